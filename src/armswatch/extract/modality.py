"""Modality and polarity of a trigger: denied, hypothetical, advised, expected or going on."""

from __future__ import annotations

from spacy.tokens import Token

from armswatch.nlp import lexicon
from armswatch.nlp.syntax import ancestors, clause_verb

# Relations through which an expectation above a trigger carries down to it.
PASS_THROUGH = frozenset(
    {
        "xcomp",
        "ccomp",
        "pobj",
        "prep",
        "dobj",
        "acomp",
        "compound",
        "nsubjpass",
        "attr",
        "nsubj",
        "appos",
    }
)


def advice(token: Token) -> bool:
    """ "India should buy ...", "the navy must go for ...", "the IAF needs to ... procure":
    an author's advice or a requirement, not a step of a deal."""
    verb = clause_verb(token)
    if verb.lemma_.lower() not in lexicon.ADVISED_VERBS:
        return False
    carriers = [verb]  # "must cancel the tender and go for ordering three more"
    while carriers[-1].dep_ in {"conj", "xcomp", "pcomp", "prep"} and len(carriers) < 5:
        carriers.append(carriers[-1].head)
    if any(
        child.dep_ == "aux" and child.lower_ in {"should", "must", "ought"}
        for node in carriers
        for child in node.children
    ):
        return True
    return any(node.lemma_.lower() == "need" for node in ancestors(verb)[1:4])


def negated(token: Token) -> bool:
    """The text denies the step ("did not sign", "no deal", "the deal won't go ahead")."""
    if any(child.lower_ in {"no", "never"} for child in token.children):
        return True
    verb = token.head
    if (
        token.dep_ == "nsubj"
        and verb.lemma_.lower() in lexicon.GOING_AHEAD
        and any(child.dep_ == "neg" for child in verb.children)
    ):
        return True  # "the deal to procure it won't go any further"
    if any(node.lemma_.lower() in lexicon.DENYING_HEADS for node in ancestors(token)[1:5]):
        return True
    for node in ancestors(token)[:3]:
        if any(child.dep_ == "neg" for child in node.children):
            return True
        if node.dep_ not in {"xcomp", "ccomp", "aux", "dobj", "pobj", "prep", "compound"}:
            break
    return False


def irrealis(token: Token) -> bool:
    """A demand, a condition, a hypothesis, a set of options or a time yet to come ("pressure
    to cancel", "in case of buying", "either they procure X or Y", "till the missile arrives")."""
    if any(node.lemma_.lower() in lexicon.IRREALIS_HEADS for node in ancestors(token)[1:4]):
        return True
    if any(
        node.lemma_.lower() in lexicon.ALLOWING_VERBS and node.tag_ in {"VBZ", "VBP"}
        for node in ancestors(token)[1:3]
    ):
        return True  # "methods that allow yards to deliver a frigate": a capability, an option
    infinitive = {child.dep_ for child in token.children if child.lower_ in {"to", "for"}}
    if token.dep_ == "relcl" and infinitive == {"aux"}:
        # "use Egypt as a base to export the Tejas": a purpose a thing can serve (but "the
        # way for Ukraine to receive F-16s" names who will receive them)
        return True
    if planned_by_be_to(token) and token.head.tag_ == "VBD" and _passive(token):
        # "200 Ka-226 that were to be procured": a plan of the past, not carried out (but "the
        # plan was to induct 30 drones" states the plan)
        return True
    verb = clause_verb(token)
    while verb.i == token.i and verb.dep_ == "xcomp" and verb.head.i != verb.i:
        verb = verb.head  # "if China manages to supply": the condition is on the verb above
    if any(
        child.dep_ == "prep" and any(
            t.dep_ == "pobj" and t.lemma_.lower() in lexicon.HEARSAY for t in child.subtree
        )
        for child in verb.children
    ):
        return True  # "according to unconfirmed rumours, the air force acquired ..."
    return any(
        (child.dep_ == "mark" and child.lower_ in {"if", "unless", "till", "until", "once"})
        or (child.dep_ == "preconj" and child.lower_ == "either")  # options, not a step
        for child in verb.children
    )


def expected(token: Token) -> bool:
    """The trigger is planned, scheduled or likely rather than reported as done."""
    if any(
        child.dep_ in {"amod", "acomp"} and child.lemma_.lower() in lexicon.EXPECTATION_HEADS
        for child in token.children
    ):
        return True
    for node in ancestors(token)[:4]:
        if node.lemma_.lower() in lexicon.EXPECTATION_HEADS and node.i != token.i:
            return True
        for child in node.children:
            if child.dep_ in {"aux", "auxpass"} and child.lower_ in lexicon.MODALS:
                return True
            if child.dep_ == "mark" and child.lower_ == "for":
                return True  # "paving the way for Ukraine to receive F-16s"
            if child.dep_ == "aux" and child.lower_ == "to" and node.dep_ in {"xcomp", "acl"}:
                head = node.head.lemma_.lower()
                if head in lexicon.EXPECTATION_HEADS:
                    return True
            if child.dep_ == "aux" and child.lower_ == "to" and modal(node.head):
                return True  # "will sign the deal to procure ...": the purpose is still to come
        if planned_by_be_to(node):
            return True  # "the jets are to be delivered"
        if node.dep_ not in PASS_THROUGH:
            break
        if node.dep_ == "pobj" and node.head.lower_ in lexicon.ADJUNCT_PREPOSITIONS:
            break
    return False


def _passive(verb: Token) -> bool:
    return any(child.dep_ == "auxpass" for child in verb.children)


def planned_by_be_to(verb: Token) -> bool:
    """ "is to be delivered", "were to be procured": a verb under "be to", which plans it."""
    return (
        verb.dep_ == "xcomp"
        and verb.head.lemma_.lower() == "be"
        and any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children)
    )


def modal(verb: Token) -> bool:
    """The verb has a modal auxiliary ("will sign", "could be cleared")."""
    return any(
        child.dep_ in {"aux", "auxpass"} and child.lower_ in lexicon.MODALS
        for child in verb.children
    )


def ongoing(token: Token) -> bool:
    """A present-tense report ("talks are continuing"): dated to the publication month. An
    event named as a point in time ("after the procurement of ...") is background, not now."""
    if token.pos_ == "NOUN" and token.head.lower_ in lexicon.TIME_PREPOSITIONS:
        return False
    for node in ancestors(token)[:3]:
        if node.pos_ not in {"VERB", "AUX"}:
            continue
        auxiliaries = {child.lower_ for child in node.children if child.dep_ in {"aux", "auxpass"}}
        if node.tag_ == "VBG":
            return bool(auxiliaries & {"is", "are", "am"})
        if node.tag_ in {"VBZ", "VBP"}:
            return not auxiliaries & {"has", "have"}
        return False
    return False


def will(token: Token) -> bool:
    """The trigger's clause says it will happen ("will be employed", "is to be deployed"),
    rather than that it can or may."""
    for node in ancestors(token)[:3]:
        auxiliaries = {child.lower_ for child in node.children if child.dep_ in {"aux", "auxpass"}}
        if auxiliaries & {"will", "shall", "'ll"}:
            return True
        if node.dep_ not in {"xcomp", "conj"}:
            break
    return False
