"""Trigger words: the words of a sentence that state a transfer step, and the step each states.

A trigger is a word from the lexicon ("sold", "delivery", "talks") that is used as a transfer
and not only to classify a thing ("the export version"), or a phrase the lexicon lists
("signed up for", "the front runner").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from armswatch.extract.context import Trigger
from armswatch.nlp import lexicon
from armswatch.nlp.entities import COUNTRY, FORCE, STATE_LABELS, SYSTEM
from armswatch.nlp.syntax import after_hyphen


def _for_a_state(token: Token) -> bool:
    """The noun has a "for" phrase naming a state or its forces ("an option for Argentina",
    "the only option left for the Navy")."""
    heads = {token.i} | {child.i for child in token.children if child.dep_ == "acl"}
    return any(
        node.dep_ == "prep" and node.lower_ == "for" and node.head.i in heads
        and any(grand.ent_type_ in {COUNTRY, FORCE} for grand in node.subtree)
        for node in token.subtree
    )


def names_its_object(token: Token) -> bool:
    """The trigger says what is offered or bid for ("proposed a technology transfer", "bid on
    the FRCV"), so a firm near it does not stand for its state's system."""
    for child in token.children:
        if child.dep_ == "dobj":
            return True
        if child.dep_ == "prep" and any(
            grand.dep_ == "pobj" and grand.pos_ == "PROPN" and grand.ent_type_ not in STATE_LABELS
            for grand in child.children
        ):
            return True
    return False


def find_triggers(sentence: Span) -> Iterator[Trigger]:
    competition = in_competition(sentence)
    for token in sentence:
        if token.ent_type_ == SYSTEM:
            continue
        lemma = token.lemma_.lower()
        phrasal = next(
            (
                lexicon.PHRASAL[(lemma, child.lower_)]
                for child in token.children
                if (lemma, child.lower_) in lexicon.PHRASAL
            ),
            None,
        )
        if phrasal:
            yield Trigger(token, phrasal)
        elif token.lower_ in lexicon.TRANSFER_PARTICIPLES and after_hyphen(token):
            yield Trigger(token, lexicon.TRANSFER_PARTICIPLES[token.lower_])
        elif lemma == "join" and any(
            child.dep_ == "dobj" and child.ent_type_ == FORCE for child in token.children
        ):
            yield Trigger(token, "delivery")  # "joined the Indian Air Force": an induction
        elif lemma in lexicon.LICENSED_PRODUCTION_VERBS and _under_licence(token):
            yield Trigger(token, "delivery")  # licensed production abroad is a transfer
        elif lemma == "runner" and any(child.lower_ == "front" for child in token.children):
            yield Trigger(token, "talks")  # "the front runner in the tender"
        elif lemma in {"option", "choice", "candidate"} and _for_a_state(token):
            yield Trigger(token, "talks")  # "the only option left for the Navy"
        elif lemma == "decide" and any(child.lower_ == "between" for child in token.children):
            yield Trigger(token, "talks")  # "decided between X and Y": a choice of contenders
        elif lemma in lexicon.TRIGGERS and token.pos_ in {"NOUN", "VERB", "ADJ", "PROPN"}:
            if lemma == "hand" and token.pos_ == "NOUN":
                continue
            if _names_a_kind(token):
                continue  # "the export version", "a data acquisition system", "the receiving jet"
            if lemma == "conclude" and _concludes_no_deal(token):
                continue  # "concluding high-altitude tests"
            if lemma in lexicon.THING_SUBJECT_VERBS and _subject_is_a_thing(token):
                continue  # "the engine offers 735 kW", "the Su-30SM2s will receive a radar"
            if lemma in lexicon.APPROVALS and _cleared_for_use(token):
                continue  # "cleared for integration on the fleet": a certification
            if lemma in lexicon.APPROVALS and _clears_the_way(token):
                continue  # "talks that will clear the path for the procurement"
            if lemma == "consider" and _judged_as(token):
                continue  # "missiles that are considered inferior": a judgement
            kind = lexicon.TRIGGERS[lemma]
            if lemma == "sale" and _offered_for_sale(token):
                kind = "talks"  # "the jet is on sale", "put up for sale": an offer
            if lemma == "sign" and any(
                child.dep_ == "dobj" and child.lemma_.lower() in lexicon.PRE_CONTRACT_OBJECTS
                for child in token.children
            ):
                kind = "talks"
            if kind == "deployment" and lemma in {"test", "trial", "evaluate"} and competition:
                kind = "talks"  # trials of contenders in a competition are an evaluation
            if kind == "delivery" and _of_technology(token):
                kind = "talks"  # a technology transfer in the news is nearly always an offer
            if lemma == "induct" and _to_a_place(token):
                kind = "deployment"  # "inducted tanks in operational areas": moved, not bought
            yield Trigger(token, kind)


def _names_a_kind(token: Token) -> bool:
    """A transfer word that only classifies a thing: a compound of a thing noun ("export
    version", "target acquisition radar") or a participle before a noun ("receiving aircraft")."""
    if token.dep_ == "compound" and token.head.lemma_.lower() in lexicon.KIND_NOUNS:
        return True
    return token.dep_ == "amod" and token.tag_ == "VBG"


def _concludes_no_deal(token: Token) -> bool:
    """What is concluded is no deal ("the trials were concluded", "deliveries will pick up and
    be concluded in 2025": the subject shared with the clause before)."""
    objects = [child for child in token.children if child.dep_ in {"dobj", "nsubjpass"}]
    if not objects and token.dep_ == "conj":
        objects = [child for child in token.head.children if child.dep_ in {"nsubj", "nsubjpass"}]
    return bool(objects) and not any(
        lexicon.TRIGGERS.get(o.lemma_.lower()) in {"order", "talks"}
        or o.lemma_.lower() in lexicon.DEAL_NOUNS
        for o in objects
    )


def _of_technology(token: Token) -> bool:
    """ "technology transfer of the Gripen", "transfer of technology", "transfer ToT"."""
    words = {child.lemma_.lower() for child in token.children if child.dep_ in {"compound", "dobj"}}
    words |= {
        grand.lemma_.lower()
        for child in token.children
        if child.dep_ == "prep" and child.lower_ == "of"
        for grand in child.children
    }
    return bool(words & lexicon.TECHNOLOGY_NOUNS)


def _to_a_place(token: Token) -> bool:
    """ "inducted tanks in operational areas", "inducted into the Ladakh sector"."""
    holders = [token] + [child for child in token.children if child.dep_ == "dobj"]
    return any(
        child.dep_ == "prep" and child.lower_ in {"in", "into", "at", "along"}
        and any(
            t.dep_ == "pobj" and (t.lemma_.lower() in lexicon.PLACE_NOUNS or t.ent_type_ == "LOC")
            for t in child.children
        )
        for holder in holders
        for child in holder.children
    )


def _under_licence(token: Token) -> bool:
    return any(
        child.dep_ == "prep" and child.lower_ == "under"
        and any(t.lemma_.lower() in lexicon.LICENCE_WORDS for t in child.subtree)
        for child in token.children
    )


def _cleared_for_use(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "xcomp" and child.lemma_.lower() in lexicon.USE_VERBS:
            return True  # "cleared to carry the missile"
        if child.dep_ == "prep" and child.lower_ == "for":
            objects = [t for t in child.children if t.dep_ == "pobj"]
            if any(o.ent_type_ == SYSTEM or o.lemma_.lower() in lexicon.USE_NOUNS for o in objects):
                return True
    return False


def _offered_for_sale(token: Token) -> bool:
    preposition = token.head
    if token.dep_ != "pobj" or preposition.lower_ not in {"on", "for"}:
        return False
    return preposition.lower_ == "on" or (
        preposition.i > 0 and token.doc[preposition.i - 1].lower_ == "up"
    )


def _clears_the_way(token: Token) -> bool:
    return any(
        child.dep_ == "dobj" and child.lemma_.lower() in {"way", "path", "road"}
        for child in token.children
    )


def _judged_as(token: Token) -> bool:
    """ "considered inferior", "considered a game changer", "considered to be the best"."""
    return any(
        child.dep_ in {"oprd", "acomp", "attr"}
        or (child.dep_ == "xcomp" and child.lemma_.lower() == "be")
        for child in token.children
    )


def _subject_is_a_thing(token: Token) -> bool:
    subjects = [child for child in token.children if child.dep_ == "nsubj"]
    if not subjects and token.dep_ == "relcl":
        subjects = [token.head]
    return any(
        s.ent_type_ == SYSTEM or s.lemma_.lower() in lexicon.ANAPHORA_NOUNS | lexicon.MACHINE_NOUNS
        for s in subjects
    )


def in_competition(sentence: Span) -> bool:
    return any(t.lemma_.lower() in lexicon.COMPETITION_NOUNS for t in sentence)


def orders_in_general(token: Token) -> bool:
    """ "orders for Eurofighter on the decline", "has been winning fresh orders": orders of a
    market, not of one buyer; only a buyer the sentence names can make them a deal."""
    if token.tag_ != "NNS" or token.lemma_.lower() not in lexicon.ORDER_NOUNS:
        return False
    return not any(
        child.dep_ in {"det", "poss", "nummod"}
        or child.lower_ in lexicon.REPEAT_WORDS  # "additional orders": the known buyer's
        or (child.dep_ == "prep" and any(t.pos_ == "NUM" for t in child.subtree))
        for child in token.children
    )
