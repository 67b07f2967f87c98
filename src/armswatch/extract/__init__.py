"""Arms-transfer events from an annotated article.

For each sentence with a transfer word (a trigger) and a weapon system, the dependency parse
decides which trigger governs the system, who supplies and who receives, whether the step
happened or is expected, and which date, quantity and value belong to it. A sentence that names
no system may take the one the article is talking about when it refers back to it ("the
systems"). Precision first: without a recipient, or when supplier and recipient are the same
state (domestic procurement), no event is recorded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from armswatch.extract import modality
from armswatch.extract.context import ArticleContext, Mention, Trigger
from armswatch.extract.roles import parties
from armswatch.extract.terms import (
    event_date,
    merge_repeats,
    note_deal_value,
    note_upcoming,
    own_value,
    quantity_of,
    scheduled_date,
    share_terms,
)
from armswatch.extract.triggers import (
    find_triggers,
    in_competition,
    names_its_object,
    orders_in_general,
)
from armswatch.model import Article, Event, Evidence
from armswatch.nlp import lexicon, load_nlp
from armswatch.nlp.dates import is_future
from armswatch.nlp.entities import COUNTRY, FIRM, FORCE, STATE_LABELS, SYSTEM
from armswatch.nlp.gazetteer import Gazetteer, load_gazetteer
from armswatch.nlp.syntax import (
    after_hyphen,
    blocked,
    conj_root,
    crosses_clauses,
    distance,
    ent_span,
    noun_head,
    path_between,
    path_up,
)

# Event types ordered by how far a deal has gone; used to break ties between triggers.
TYPE_RANK = {"talks": 0, "order": 1, "delivery": 2, "deployment": 3, "cancellation": 4}


def extract_events(article: Article, doc: Doc, gazetteer: Gazetteer | None = None) -> list[Event]:
    """Return the arms-transfer events an annotated article states, one per distinct fact."""
    gazetteer = gazetteer or load_gazetteer()
    context = ArticleContext(
        published=article.published,
        home=_home_state(article.title, doc, gazetteer),
        named=list(_mentions(doc[:], gazetteer)),
    )
    events: list[Event] = []
    for sentence in doc.sents:
        mentions = list(_mentions(sentence, gazetteer))
        triggers = list(find_triggers(sentence))
        if triggers:
            if not mentions:
                mentions = _referred_back(sentence, context)
            named = {mention.system for mention in mentions}
            mentions += [
                mention for mention in _makers_systems(sentence, triggers, context)
                if mention.system not in named
            ]
            for mention in mentions:
                events.extend(_events_for(article, sentence, mention, triggers, context))
        note_deal_value(sentence, mentions, context)
        note_upcoming(sentence, context)
        if mentions:
            context.recent_systems = (mentions + context.recent_systems)[:6]
    events = _deployments_of_transfers(events)
    events = [_dated_by_plan(event, context) for event in events]
    return share_terms(merge_repeats(events), context.deal_values)


def _dated_by_plan(event: Event, context: ArticleContext) -> Event:
    """A deployment dated by the plan it belongs to, once it counts as an event on its own."""
    date = context.scheduled.get((event.evidence.start, event.system))
    return replace(event, date=date) if event.type == "deployment" and date else event


def _deployments_of_transfers(events: list[Event]) -> list[Event]:
    """Using, testing or fielding a system is an arms-transfer event for what the article has
    the state receive or order, or when it is scheduled for a date; otherwise it is a state
    using its inventory or a statement of capability."""
    transferred = {
        (event.recipient, event.system)
        for event in events
        if event.type in {"order", "delivery"}
    }
    return [
        event
        for event in events
        if event.type != "deployment"
        or (event.recipient, event.system) in transferred
        or (event.status == "expected" and event.date is not None)  # "trials from May"
    ]


# -- sentences: systems and triggers ---------------------------------------------------------


def _mentions(sentence: Span, gazetteer: Gazetteer) -> Iterator[Mention]:
    for ent in sentence.ents:
        if ent.label_ != SYSTEM:
            continue
        known = gazetteer.system(ent.kb_id_)
        yield Mention(
            anchor=ent.root,
            system=ent.kb_id_,
            origin=known.origin if known else None,
            category=known.category if known else None,
            listed=known is not None,
        )


def _referred_back(sentence: Span, context: ArticleContext) -> list[Mention]:
    """A definite noun ("the systems", "the deal") stands for the system just talked about."""
    if not context.recent_systems:
        return []
    systems = {mention.system for mention in context.recent_systems[:2]}
    if len(systems) != 1:
        return []
    previous = context.recent_systems[0]
    for token in sentence:
        if (
            token.lemma_.lower() in lexicon.ANAPHORA_NOUNS
            and token.pos_ == "NOUN"
            and any(child.lower_ in lexicon.DETERMINERS for child in token.children)
            and not any(child.ent_type_ in STATE_LABELS for child in token.children)
        ):
            return [replace(previous, anchor=token)]
    return []


def _makers_systems(
    sentence: Span, triggers: list[Trigger], context: ArticleContext
) -> list[Mention]:
    """Contenders named by their makers ("Boeing and Dassault are competing in the tender"):
    each firm stands for the system of its state the article last talked about, or else the
    only one of its state the article names."""
    talks = {
        trigger.token.i for trigger in triggers
        if trigger.type == "talks" and not names_its_object(trigger.token)
    }
    found: list[Mention] = []
    for ent in sentence.ents:
        if ent.label_ != FIRM or not ent.kb_id_:
            continue
        subject = conj_root(ent.root)
        if subject.dep_ != "nsubj" or subject.head.i not in talks:
            continue
        system = next((m for m in context.recent_systems if m.origin == ent.kb_id_), None)
        if system is None:  # "... for 27 fighter jets": the maker's only jet in the article
            kinds = _kinds_sought(sentence)
            named = {
                m.system: m for m in context.named
                if m.origin == ent.kb_id_
                and lexicon.CATEGORY_COUNTS.get(m.category or "", frozenset()) & kinds
            }
            system = next(iter(named.values())) if len(named) == 1 else None
        if system and system.system not in {m.system for m in found}:
            found.append(replace(system, anchor=ent.root))
    return found


def _kinds_sought(sentence: Span) -> frozenset[str]:
    """The kinds of weapon a sentence names by common nouns ("fighter jets", "a light tank")."""
    return frozenset(
        lexicon.UNITS[token.lemma_.lower()]
        for token in sentence
        if token.lemma_.lower() in lexicon.UNITS and token.pos_ == "NOUN"
    )


def governing_trigger(mention: Mention, triggers: list[Trigger]) -> Trigger | None:
    """The trigger that governs the system, else the nearest one.

    Going up from the system, nominal triggers ("the purchase of", "a deal for the delivery
    of") are objects of what lies above them; the first verbal trigger decides.
    """
    by_token = {trigger.token.i: trigger for trigger in triggers}
    found, above = _trigger_above(mention.anchor, by_token)
    if found:
        return above
    found, beside = _beside_misparsed_phrase(mention, by_token)
    if found:
        return beside
    head = noun_head(mention.anchor)
    near = sorted(
        (
            trigger
            for trigger in triggers
            if head.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "attr"}
            and distance(trigger.token, head) <= 3
            and not crosses_clauses(head, trigger.token)
            and not _governs_other_system(trigger.token, mention)
            # "Sea Kings, which were procured in the 1980s" describes the system in passing;
            # "200 Ka-226 that were to be procured" states a plan of a deal
            and (
                trigger.token.lower_ not in lexicon.TRANSFER_PARTICIPLES
                or modality.planned_by_be_to(trigger.token)
            )
            and not blocked(path_between(mention.anchor, trigger.token))
        ),
        key=lambda t: (distance(t.token, mention.anchor), -TYPE_RANK[t.type]),
    )
    return near[0] if near else None


def _trigger_above(anchor: Token, by_token: dict[int, Trigger]) -> tuple[bool, Trigger | None]:
    """Whether there is a trigger on the way up from the anchor, and the one that governs it
    (None when the way there is blocked)."""
    path = path_up(anchor)
    above = []
    for i, node in enumerate(path):
        if i and node.dep_ == "relcl" and path[i - 1].dep_ == "nsubj" and node.i not in by_token:
            break  # "the contract where the Tejas was a distant second": a clause of its own
        if node.i in by_token:
            above.append(i)
            if node.pos_ in {"VERB", "AUX"}:
                break  # a verb states its own event; a noun ("the purchase") is its object
    if not above:
        return False, None
    top = above[-1]
    if blocked(path[: top + 1]):
        return True, None
    return True, by_token[path[top].i]


def _beside_misparsed_phrase(
    mention: Mention, by_token: dict[int, Trigger]
) -> tuple[bool, Trigger | None]:
    """A trigger right beside the system's phrase, which the parser tore apart: a nominal
    trigger just before it ("the purchase of 12 MQ-9B Sky Guardian drones", its last words
    read as a clause of their own) or a relative clause just after it ("the K9 howitzer that
    the company built under licence", attached to an earlier noun)."""
    doc = mention.anchor.doc
    start = ent_span(mention.anchor).start
    before = start - 1
    while before > 0 and start - before <= 3 and doc[before].pos_ in {"DET", "NUM", "ADJ"}:
        before -= 1
    if before > 0 and doc[before].lower_ == "of" and doc[before - 1].pos_ == "NOUN":
        noun = doc[before - 1]
        if noun.i in by_token:
            return _trigger_above(noun, by_token)
    end = noun_head(mention.anchor).i + 1
    if end < len(doc) and doc[end].lower_ in {"that", "which"}:
        clause = doc[end].head
        if (
            clause.dep_ == "relcl"
            and clause.head.i < start  # attached to a noun before the system
            and clause.i in by_token
            and not _governs_other_system(clause, mention)
        ):
            return True, by_token[clause.i]
    return False, None


def _governs_other_system(token: Token, mention: Mention) -> bool:
    return any(
        t.ent_type_ == SYSTEM and t.i != mention.anchor.i and t.head.i != mention.anchor.i
        for t in token.subtree
    )


def _stated_transfers(mention: Mention, triggers: list[Trigger]) -> list[Trigger]:
    """ "Russian-supplied Igla", "newly-acquired ... Hammer missiles": a transfer in passing."""
    found = []
    for trigger in triggers:
        token = trigger.token
        if token.lower_ not in lexicon.TRANSFER_PARTICIPLES or not after_hyphen(token):
            continue
        described = trigger.token.head
        if mention.anchor.i in {t.i for t in described.subtree} or described.i == mention.anchor.i:
            found.append(trigger)
    return found


# -- one event ------------------------------------------------------------------------------


def _events_for(
    article: Article,
    sentence: Span,
    mention: Mention,
    triggers: list[Trigger],
    context: ArticleContext,
) -> Iterator[Event]:
    if _homegrown(mention) or _part_of_platform(mention):
        return
    governing = governing_trigger(mention, triggers)
    if governing and governing.token.i == mention.anchor.i:
        governing = None  # "the deal is worth $500 million": said of a deal already reported
    chosen = [governing] if governing else []
    chosen += [t for t in _stated_transfers(mention, triggers) if t not in chosen]
    for trigger in chosen:
        token = trigger.token
        if modality.negated(token) or modality.irrealis(token) or modality.advice(token):
            continue
        trigger = _noun_decides(_object_decides(trigger))
        if trigger.token.i != token.i and modality.negated(trigger.token):
            continue  # "the deal to procure them will not go any further"
        if _gets_parts(trigger.token, mention) or _developed(mention, trigger):
            continue
        seeker = _seeker(trigger.token) if trigger.type in {"order", "delivery"} else None
        if seeker is not None:
            trigger = Trigger(trigger.token, "talks", sought_by=seeker)
        yield from _event(article, sentence, mention, trigger, context)


def _noun_decides(trigger: Trigger) -> Trigger:
    """ "the contract to supply 18 FA-50", "the tender to supply": a transfer verb that
    completes a deal noun is that deal's step."""
    token = trigger.token
    head = token.head
    noun = head.lemma_.lower()
    completes = token.pos_ == "VERB" and token.dep_ in {"acl", "relcl"} and head.pos_ == "NOUN"
    if completes and lexicon.TRIGGERS.get(noun) in {"order", "talks"}:
        return Trigger(head, lexicon.TRIGGERS[noun])
    return trigger


def _gets_parts(token: Token, mention: Mention) -> bool:
    """ "delivered spares for the Su-30 fleet", "received funds": what moves is parts or money,
    not the platform (but "chose GE F404 engines": the engines are the system)."""
    objects = [child for child in token.children if child.dep_ in {"dobj", "nsubjpass"}]
    if any(thing.lemma_.lower() in lexicon.MONEY_NOUNS for thing in objects):
        return True  # "the programme started receiving funds"
    if any(thing.lemma_.lower() in lexicon.PAPER_NOUNS for thing in objects):
        return True  # "hand over the final verdict on the selection of the jets"
    objects += [  # "the supply of spares for ...", "orders for 300 engine units"
        grand
        for child in token.children
        if child.dep_ == "prep" and child.lower_ in {"of", "for"} and token.pos_ == "NOUN"
        for grand in child.children
        if grand.dep_ == "pobj"
    ]
    return any(
        _names_part(thing) and mention.anchor.i not in {t.i for t in thing.subtree}
        for thing in objects
    )


def _names_part(noun: Token) -> bool:
    """ "spares", "engine units", "Advanced Structures": the noun, or its compound, is a part."""
    words = [noun] + [child for child in noun.children if child.dep_ == "compound"]
    return any(
        word.lemma_.lower() in lexicon.PART_NOUNS
        or word.lower_.removesuffix("s") in lexicon.PART_NOUNS
        for word in words
    )


def _developed(mention: Mention, trigger: Trigger) -> bool:
    """ "an agreement for the development of the IMRH": the system is developed, not moved
    (but "walked out of the joint development of the FGFA" ends a programme)."""
    return trigger.type != "cancellation" and any(
        node.lemma_.lower() in lexicon.DEVELOPMENT_NOUNS
        for node in path_between(mention.anchor, trigger.token)
    )


def _object_decides(trigger: Trigger) -> Trigger:
    """ "received bids", "won the contract": with a verb of getting, the noun it gets states
    the event (talks for bids and offers, an order for a contract); and a step taken on
    negotiations ("concluding the contract negotiations") is still talks."""
    for child in trigger.token.children:
        noun = child.lemma_.lower()
        if child.dep_ == "dobj" and noun in lexicon.NEGOTIATION_NOUNS:
            return Trigger(child, "talks")
    if trigger.token.lemma_.lower() not in lexicon.GETTING_VERBS:
        return trigger
    for child in trigger.token.children:
        noun = child.lemma_.lower()
        if child.dep_ == "dobj" and noun in lexicon.PERMISSION_NOUNS:
            return Trigger(child, "talks")  # "received a license to provide": an approval
        if child.dep_ == "dobj" and noun in lexicon.TRIGGERS and noun not in lexicon.GETTING_VERBS:
            return Trigger(child, lexicon.TRIGGERS[noun])
    return trigger


def _seeker(token: Token) -> Token | None:
    """The word under which a purchase is only sought, which makes it talks: "expressed
    interest in procuring", "keen on acquiring", "decided to procure", "talks to procure"."""
    receiving = token.lemma_.lower() in lexicon.RECEIVING_TRIGGERS
    for node in _purpose_path(token)[:4]:
        above = node.i != token.i
        is_verb = node.pos_ in {"VERB", "AUX"}
        word = node.lemma_.lower()
        if is_verb and (talks := _talks_around(node)) is not None:
            return talks
        if above and (
            word in lexicon.SEEKING_HEADS
            or (word in lexicon.WILLING_HEADS and not receiving)
            or (word in {"close", "near"} and node.pos_ == "ADJ")  # "close to inking a deal"
        ):
            return node
        if above and is_verb and (sought := _seeking_object(node)) is not None:
            return sought  # "won the tender to supply", "issued a request to procure"
        if above and is_verb and any(child.dep_ == "nsubj" for child in node.children):
            break  # "a trip that might see a contract": the clause states its own step
    # "the original plan was to induct 30", "the aim is to acquire": a plan as the subject
    verb = token.head if token.dep_ in {"xcomp", "attr", "ccomp"} else None
    if verb is not None and verb.lemma_.lower() == "be":
        return next(
            (
                child for child in verb.children
                if child.dep_ == "nsubj" and child.lemma_.lower() in lexicon.SEEKING_HEADS
                | {"aim", "idea", "goal", "intention", "objective"}
            ),
            None,
        )
    return None


def _purpose_path(token: Token) -> list[Token]:
    """The token's ancestors within its clause, continued from a purpose infinitive to the
    verb it serves ("backed a deal ... to acquire", "responded to the RFI ... to procure")."""
    path = path_up(token)
    top = path[-1]
    if top.dep_ in {"advcl", "acl"} and any(
        child.dep_ == "aux" and child.lower_ == "to" for child in top.children
    ):
        path = path + path_up(top.head)
    return path


def _seeking_object(verb: Token) -> Token | None:
    return next(
        (
            child for child in verb.children
            if child.dep_ == "dobj" and child.lemma_.lower() in lexicon.SEEKING_HEADS
        ),
        None,
    )


def _talks_around(verb: Token) -> Token | None:
    """Negotiations the verb's clause is about: "talks are continuing ... for the sale",
    "India is in the final stages of talks ... to acquire"."""
    outcome = verb.lemma_.lower() in lexicon.OUTCOME_VERBS
    if outcome and not modality.modal(verb):
        return None  # "the talks ended with a contract": the outcome is the step
    if verb.dep_ == "relcl":  # "(levels of) talks that will clear the way for the purchase"
        noun = verb.head
        nouns = [noun] + [
            grand for child in noun.children if child.dep_ == "prep" and child.lower_ == "of"
            for grand in child.children if grand.dep_ == "pobj"
        ]
        found = next((n for n in nouns if n.lemma_.lower() in lexicon.NEGOTIATION_NOUNS), None)
        if found is not None:
            return found
    if outcome:
        return None
    for child in verb.children:
        if child.dep_ == "nsubj" and child.lemma_.lower() in lexicon.NEGOTIATION_NOUNS:
            return child
        if child.dep_ == "prep" and child.lower_ == "in":
            found = next(
                (
                    t for t in child.subtree
                    if t.lemma_.lower() in lexicon.NEGOTIATION_NOUNS | lexicon.IN_THE_RUNNING
                    and distance(t, child) <= 4
                ),
                None,
            )
            if found is not None:
                return found
    return None


def _event(
    article: Article,
    sentence: Span,
    mention: Mention,
    trigger: Trigger,
    context: ArticleContext,
) -> Iterator[Event]:
    suppliers, recipients, related = parties(sentence, trigger, mention)
    supplier = suppliers[0] if suppliers else mention.origin
    if _firm_of_another_maker(sentence, supplier, mention.origin):
        return  # "KAI got the contract ... where India's Tejas was second": KAI sells no Tejas
    if supplier is None and not mention.listed:
        return  # an unknown designation from no named supplier: mostly domestic, or no weapon
    if not recipients and _names_other_recipient(trigger.token):
        return  # "available for export to current operators": a recipient, but no state
    if not recipients and orders_in_general(trigger.token):
        return  # "with orders for Eurofighter on the decline": nobody's order
    if not recipients:
        remembered = context.parties.get(mention.system)
        if remembered and not related:
            supplier = supplier or remembered[0]
            recipients = [remembered[1]]
        elif context.home and not related and not _other_states(sentence, {supplier, context.home}):
            recipients = [context.home]
    recipients = [
        r
        for r in dict.fromkeys(recipients)
        if r and r != supplier and r != mention.origin  # a state's own industry is no transfer
    ]
    if not recipients:
        return
    in_passing = trigger.token.lower_ in lexicon.TRANSFER_PARTICIPLES and after_hyphen(
        trigger.token
    )
    if trigger.sought_by is not None:
        # talks are going on when sought ("decided to", "keen on"), coming when planned
        seeker = trigger.sought_by
        planned = seeker.lemma_.lower() in lexicon.PLANNING_HEADS - lexicon.WILLING_HEADS
        expected = planned or modality.expected(seeker)
    else:
        expected = modality.expected(trigger.token)
    date = event_date(sentence, trigger, context.published, expected)
    outcome = trigger.token.pos_ == "NOUN" or trigger.token.lemma_.lower() == "decide"
    if expected and trigger.type == "talks" and outcome and in_competition(sentence):
        # a running competition between named contenders is a fact; only its outcome is due
        # ("the winner might be decided between X and Y"); a bid that "might" be allowed is not
        expected = is_future(date, context.published)
    expected = expected or is_future(date, context.published)
    ongoing = date is None and not expected and trigger.type != "deployment"
    if ongoing and context.published and modality.ongoing(trigger.token):
        date = context.published[:7]
    if trigger.type == "deployment" and not expected and not event_date(
        sentence, trigger, context.published, expected, within=4
    ):
        return  # "squadrons deployed at forward bases": posture, not a reported step
    if in_passing:  # "the Russian-supplied MiG-29K": a past transfer, dated nowhere here
        expected, date = False, None
    quantity = quantity_of(sentence, mention, trigger)
    value = own_value(sentence, mention) if trigger.type in {"order", "talks"} else None
    stated = sentence.text.strip()
    start = sentence.start_char + sentence.text.index(stated)
    evidence = Evidence(
        article_id=article.id, start=start, end=start + len(stated), sentence=stated
    )
    # "From May 6 the IAF will hold an exercise ... the missiles will be employed"
    scheduled = scheduled_date(context) if trigger.type == "deployment" and date is None else None
    if scheduled is not None and modality.will(trigger.token):
        context.scheduled[(start, mention.system)] = scheduled
    for recipient in recipients:
        context.parties[mention.system] = (supplier, recipient)
        yield Event(
            type=trigger.type,
            status="expected" if expected else "happened",
            supplier=supplier,
            recipient=recipient,
            system=mention.system,
            date=date,
            quantity=quantity,
            value=value,
            evidence=evidence,
        )


def _part_of_platform(mention: Mention) -> bool:
    """ "spares for its Su-30 fleet", "engines of the Mi-17", "S-400 spares", "Su-30
    operators": what is named is a part, a service or the users of the system, not the system
    itself (but "GE F404 engines" are the system: an engine)."""
    head = noun_head(mention.anchor)
    word = head.lemma_.lower()
    if head.i != mention.anchor.i and word in lexicon.HOLDER_NOUNS:
        return True
    if head.i != mention.anchor.i and word in lexicon.PART_NOUNS:
        return not (mention.category or "").startswith(word)  # "engines" of an engine
    # "spares for Russian fighter jets such as the Su-30": a part noun up the noun phrase
    for node in path_up(head)[:8]:
        if node.pos_ in {"VERB", "AUX"}:
            return False
        owner = node.head.head
        # "engines for the Tejas", "300 engine units for its Tejas"
        if (
            node.dep_ == "pobj" and node.head.lower_ in {"of", "for"}
            and _names_part(owner)
            and owner.lower_ != "part"  # "as part of the package", unlike "parts for"
        ):
            return True
    return False


def _homegrown(mention: Mention) -> bool:
    """The system is presented as its state's own product ("India's locally developed Astra")."""
    noun = noun_head(mention.anchor)
    return any(t.lower_ in lexicon.HOMEGROWN for t in noun.subtree if t.i < noun.i)


def _firm_of_another_maker(sentence: Span, supplier: str | None, origin: str | None) -> bool:
    """The supplier is named only through a firm, and the sentence names the system's own,
    other state as well ("KAI got the contract ... where India's Tejas was second"): the
    firm sells something else. (BAE Systems offering "its M777" names no other state.)"""
    if not origin or supplier == origin:
        return False
    labels: dict[str, set[str]] = {}
    for ent in sentence.ents:
        if ent.label_ in STATE_LABELS:
            labels.setdefault(ent.kb_id_, set()).add(ent.label_)
    return labels.get(supplier or "") == {FIRM} and bool(labels.get(origin, set()) - {FIRM})


def _other_states(sentence: Span, known: set[str | None]) -> bool:
    """The sentence names a state that could be the buyer besides these: then the article's
    own state is no default. Firms and makers' labels ("US Boeing F/18") are no buyers."""
    return any(
        ent.label_ in {COUNTRY, FORCE}
        and ent.kb_id_
        and ent.kb_id_ not in known
        and not _labels_a_maker(ent)
        for ent in sentence.ents
    )


def _labels_a_maker(ent: Span) -> bool:
    return ent.root.dep_ in {"compound", "amod", "nmod"} and ent.root.head.ent_type_ in {
        SYSTEM, FIRM
    }


def _names_other_recipient(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "to":
            objects = [t for t in child.children if t.dep_ == "pobj"]
            if objects and objects[0].ent_type_ not in STATE_LABELS and objects[0].pos_ != "NUM":
                return True
    return False


def _home_state(title: str | None, doc: Doc, gazetteer: Gazetteer) -> str | None:
    """The state an article is about, the last-resort recipient: the state it names most
    often (headline and armed forces count double), when one clearly leads."""
    counts: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ in STATE_LABELS and ent.kb_id_:
            counts[ent.kb_id_] += 2 if ent.label_ == FORCE else 1
    if title:
        for ent in title_doc(title).ents:
            if ent.label_ in STATE_LABELS and ent.kb_id_:
                counts[ent.kb_id_] += 2
    if not counts:
        return None
    (top, count), *rest = counts.most_common(2)
    return top if not rest or count >= 2 * rest[0][1] else None


def title_doc(title: str) -> Doc:
    """The headline with gazetteer entities only (no parse: headlines parse badly anyway)."""
    nlp = load_nlp()
    return nlp.get_pipe("armswatch_gazetteer")(nlp.make_doc(title))


