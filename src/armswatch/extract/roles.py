"""Who supplies and who receives: the roles of the states around a trigger and a system."""

from __future__ import annotations

from spacy.tokens import Span, Token

from armswatch.extract.context import Mention, Trigger
from armswatch.extract.triggers import orders_in_general
from armswatch.nlp import lexicon
from armswatch.nlp.entities import COUNTRY, DEMONYM, FIRM, FORCE, STATE_LABELS, SYSTEM
from armswatch.nlp.syntax import (
    ancestors,
    clause_verb,
    conj_root,
    distance,
    ent_span,
    noun_head,
)

PERSON_TITLES = frozenset(
    {
        "secretary",
        "minister",
        "president",
        "spokesman",
        "spokesperson",
        "official",
        "envoy",
        "ambassador",
        "chief",
        "director",
        "general",
        "head",
        "premier",
        "leader",
        "analyst",
        "expert",
        "newspaper",
        "media",
        "agency",
        "channel",
        "counterpart",
        "delegation",
    }
)


def parties(
    sentence: Span, trigger: Trigger, mention: Mention
) -> tuple[list[str], list[str], bool]:
    """Suppliers and recipients the parse assigns around a trigger and a system.

    The third value tells whether any state in the sentence is tied to the event at all; when
    none is, the parties may come from earlier sentences.
    """
    suppliers: list[tuple[int, str]] = []
    recipients: list[str] = []
    nearby: list[str] = []
    home_forces: list[str] = []  # the maker's own armed force acts: "PAF has been inducting JF-17"
    peers: list[str] = []
    forerunners: list[str] = []
    verb = clause_verb(trigger.token)
    for ent in sentence.ents:
        if ent.label_ not in STATE_LABELS or not ent.kb_id_ or beside_a_person(ent):
            continue
        if subject_of_next_clause(ent):
            continue
        if went_first(ent, verb):
            forerunners.append(ent.kb_id_)
        role = role_of(ent, trigger, verb, mention)
        if role == "recipient" and ent.label_ == FIRM and not _buys(ent, trigger):
            role = None  # "responded to by Boeing", "GE anticipates orders": firms sell
        if role == "supplier":
            suppliers.append((distance(ent.root, mention.anchor), ent.kb_id_))
        elif role == "recipient":
            recipients.append(ent.kb_id_)
        elif role == "party":
            if ent.kb_id_ == mention.origin:
                suppliers.append((distance(ent.root, mention.anchor), ent.kb_id_))
            else:
                recipients.append(ent.kb_id_)
        elif (
            distance(conj_root(ent.root), trigger.token) <= 4
            and not modifier(ent)
            and ent.label_ != FIRM  # a firm near a trigger sells; it is no buyer's state
        ):
            # "the U.S. and China are major players ... exporting": one of several is no buyer
            (peers if among_peers(ent) else nearby).append(ent.kb_id_)
            if ent.label_ == FORCE and ent.kb_id_ == mention.origin:
                home_forces.append(ent.kb_id_)
    # the maker's state when the text names it among the sellers, else the seller nearest to
    # the system ("offers from Russia for its MiG-29 and from China for its JF-17")
    ranked = sorted(suppliers, key=lambda pair: (pair[1] != mention.origin, pair[0]))
    sellers = [code for _, code in ranked]
    if not recipients and not orders_in_general(trigger.token):
        loose = [code for code in nearby if code not in sellers and code != mention.origin]
        if len(set(loose)) == 1:
            recipients = loose[:1]
    elif forerunners:  # "after Vietnam and Indonesia, Malaysia has asked": they asked too
        recipients += [code for code in forerunners if code not in sellers]
    related = bool(
        recipients or home_forces or set(nearby + peers) - set(sellers) - {mention.origin}
    )
    return list(dict.fromkeys(sellers)), list(dict.fromkeys(recipients)), related


def modifier(ent: Span) -> bool:
    """A state named as a modifier of something else ("the Ukraine war", "French choppers")."""
    root = ent.root
    return root.dep_ in {"compound", "amod", "nmod", "npadvmod"} and (
        root.head.lemma_.lower() not in lexicon.MILITARY_NOUNS
    )


def role_of(ent: Span, trigger: Trigger, verb: Token, mention: Mention) -> str | None:
    """The role the parse gives a state: "supplier", "recipient", "party" (either) or None."""
    root = conj_root(ent.root)
    head = root.head
    lemma = trigger.token.lemma_.lower()
    verb_lemma = verb.lemma_.lower()
    near_trigger = {t.i for t in ancestors(trigger.token)[:4]}
    near_system = {t.i for t in ancestors(mention.anchor)[:4]}
    if (
        root.dep_ in {"amod", "compound", "nmod"}
        and head.dep_ in {"nsubj", "nsubjpass"}
        and head.lemma_.lower() in lexicon.ACTOR_NOUNS
        and subject_of_event(head.head, trigger, verb)
    ):
        # "the Vietnamese delegation is planning ...": the subject's state acts
        return subject_role(head, trigger, mention)
    if ent.label_ == DEMONYM and root.dep_ in {"amod", "compound", "npadvmod"}:
        if head.ent_type_ == SYSTEM and head.i != mention.anchor.i and not (
            mention.anchor.ent_iob_ != "O" and head.i in ent_span(mention.anchor)
        ):
            return None  # "French Dassault Rafale" describes another system
        if head.i in {mention.anchor.i, noun_head(mention.anchor).i}:
            # "the Russian S-400", "Danish F-16s": the state the system comes from
            return "supplier"
        if head.i in near_system and mention.origin in {None, ent.kb_id_}:
            return "supplier"
        if head.lower_ in {"made", "built", "supplied", "origin", "designed", "manufactured"} and (
            head.head.i in near_system  # not "a German-origin trainer" beside the system
        ):
            return "supplier"
        if head.lemma_.lower() in lexicon.MILITARY_NOUNS and head.i in near_trigger | near_system:
            return "recipient"
        return None
    if root.dep_ == "poss" and (head.i in near_system or head.i in near_trigger):
        if mention.origin and ent.kb_id_ == mention.origin:
            return "supplier"
        return "recipient"
    if root.dep_ == "pobj" and head.head.i in near_trigger | near_system:
        preposition = head.lower_
        governor = head.head.lemma_.lower()
        if preposition == "from" and (
            governor in lexicon.ORDER_NOUNS or _ordered(head.head) or _gets_orders(head.head)
        ):
            # "orders from India", "orders for BrahMos from the Philippines", "received
            # orders from the Philippines": orders come from the buyer
            return "recipient"
        if preposition == "from" or (preposition == "on" and governor in lexicon.RELIANCE):
            return "supplier"  # "from Russia", "dependent on Russia for the supply"
        transfer_verb = governor in lexicon.TRIGGERS or governor in lexicon.SUPPLIER_SUBJECT
        if preposition == "to" and governor in lexicon.REQUEST_NOUNS:
            return "supplier"  # "a request to India": the state asked to supply
        if preposition == "to" and transfer_verb:
            return "recipient"
        if preposition == "into" and ent.label_ == FORCE:
            return "recipient"  # "inducted into the French Navy"
        if preposition == "for" and (governor in lexicon.TRIGGERS or head.head.i in near_system):
            return "recipient"
        if preposition == "with":
            return "party"
        if preposition == "by" and head.dep_ in {"agent", "prep"}:
            # the agent of "sold by", "designed by" supplies; of "bought by" receives
            if {governor, verb_lemma, lemma} & lexicon.SUPPLIER_SUBJECT:
                return "supplier"
            return "recipient"
    if root.dep_ in {"nsubj", "nsubjpass"} and subject_of_event(head, trigger, verb):
        if ent.kb_id_ == mention.origin and root.dep_ == "nsubj" and ent.label_ != FORCE:
            return "supplier"  # "Pentagon has cleared ... F414": the maker's state approves
        return subject_role(root, trigger, mention)
    if root.dep_ == "dative" and head.lemma_.lower() in lexicon.SUPPLIER_SUBJECT:
        return "recipient"
    if ent.label_ == FORCE and root.dep_ in {"dobj", "pobj"} and head.i in near_trigger:
        return "recipient"
    return None


def subject_role(subject: Token, trigger: Trigger, mention: Mention) -> str:
    """The role of the subject of a trigger's clause: the seller of "sell", the buyer of "buy"."""
    verb = subject.head.lemma_.lower()
    lemma = trigger.token.lemma_.lower()
    passive = subject.dep_ == "nsubjpass"
    if verb in lexicon.GETTING_VERBS and trigger.token.i != subject.head.i:
        # "Argentina received offers" (the buyer) but "Boeing won the contract" (the seller)
        return "supplier" if trigger.type == "order" else "recipient"
    if passive and (verb in lexicon.SUPPLIER_SUBJECT or lemma in lexicon.SUPPLIER_SUBJECT):
        return "recipient"
    if verb in lexicon.SYMMETRIC or lemma in lexicon.SYMMETRIC:
        return "party"
    if verb in lexicon.SUPPLIER_SUBJECT or lemma in lexicon.SUPPLIER_SUBJECT:
        return "supplier"
    return "recipient"


def subject_of_event(head: Token, trigger: Trigger, verb: Token) -> bool:
    """The subject belongs to the trigger itself, or to the light verb that carries it."""
    if head.lemma_.lower() in lexicon.SPEECH_VERBS:
        return False
    if head.i == trigger.token.i:
        return True
    chain = ancestors(trigger.token)[:4]
    if head.lemma_.lower() == "be" and any(
        node.dep_ == "acomp" and node.head.i == head.i for node in chain
    ):
        return True  # "India and Japan were close to inking a deal"
    if head.i in {t.i for t in chain}:
        return (
            head.lemma_.lower() in lexicon.LIGHT_VERBS
            or head.lemma_.lower() in lexicon.EXPECTATION_HEADS
            or head.lemma_.lower() in lexicon.TRIGGERS
        )
    return False


def _buys(firm: Span, trigger: Trigger) -> bool:
    """The firm is the one who orders or receives ("HAL ordered 99 engines", "HAL placed an
    order"), as a licensed builder does; a firm in any other buyer's slot sells."""
    root = firm.root
    verb = root.head
    return (
        root.dep_ == "nsubj"
        and trigger.type in {"order", "delivery"}
        and (verb.i == trigger.token.i or verb.lemma_.lower() in lexicon.LIGHT_VERBS)
        and trigger.token.lemma_.lower() not in lexicon.SUPPLIER_SUBJECT
    )


def _ordered(noun: Token) -> bool:
    """The noun is what orders are for ("orders for BrahMos")."""
    return (
        noun.dep_ == "pobj" and noun.head.lower_ == "for"
        and noun.head.head.lemma_.lower() in lexicon.ORDER_NOUNS
    )


def _gets_orders(verb: Token) -> bool:
    return verb.lemma_.lower() in lexicon.GETTING_VERBS and any(
        child.dep_ == "dobj" and child.lemma_.lower() in lexicon.ORDER_NOUNS
        for child in verb.children
    )


def among_peers(ent: Span) -> bool:
    """The state is coordinated with another state ("the U.S. and China"): named as one of
    several, it is no one buyer."""
    # not "the Indian Navy and Mazagon Dock are in talks": a buyer and a shipyard
    states = {COUNTRY, DEMONYM, FORCE}
    root = ent.root
    if ent.label_ not in states:
        return False
    partners = [root.head] if root.dep_ == "conj" else []
    partners += [child for child in root.children if child.dep_ == "conj"]
    return any(
        other.ent_type_ in states and other.ent_kb_id_ not in {"", ent.kb_id_}
        for other in partners
    )  # "the Indian Army and the Indian Air Force" are one buyer


def went_first(ent: Span, verb: Token) -> bool:
    """The state is named as one that took the same step before ("after Vietnam and
    Indonesia, Malaysia has put in a request", "like Egypt, Qatar bought")."""
    root = conj_root(ent.root)
    preposition = root.head
    return (
        root.dep_ == "pobj"
        and preposition.lower_ in {"after", "like"}
        and preposition.head.i == verb.i
        and preposition.i < verb.i
        and any(child.dep_ == "nsubj" for child in verb.children)
    )


def subject_of_next_clause(ent: Span) -> bool:
    """The last state of a list is really the subject of the clause after it, which the parse
    left without one ("sold to Azerbaijan, Morocco and Vietnam will be the third client")."""
    doc = ent.doc
    if ent.root.dep_ != "conj" or ent.end >= len(doc):
        return False
    after = doc[ent.end]
    verb = after.head if after.dep_ in {"aux", "auxpass"} else after
    return (
        after.pos_ in {"AUX", "VERB"}
        and verb.dep_ == "conj"
        and not any(child.dep_ in {"nsubj", "nsubjpass", "expl"} for child in verb.children)
    )


def beside_a_person(ent: Span) -> bool:
    """A state named only as the employer of a person ("US Secretary of State Mike Pompeo")."""
    head = ent.root.head
    if head.dep_ in {"nsubj", "nsubjpass"} and head.lemma_.lower() in lexicon.ACTOR_NOUNS:
        return False  # "the Vietnamese delegation is planning ...": the delegation's state acts
    return ent.root.dep_ in {"compound", "amod", "poss", "nmod"} and (
        head.ent_type_ == "PERSON" or head.lemma_.lower() in PERSON_TITLES
    )
