"""The terms of an event: its date, quantity and value; and one event per fact."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from armswatch.extract.context import ArticleContext, Mention, Trigger
from armswatch.model import Event, Money, Quantity
from armswatch.nlp import lexicon
from armswatch.nlp.amounts import parse_money, parse_number
from armswatch.nlp.dates import Direction, is_future, resolve_date
from armswatch.nlp.entities import SYSTEM
from armswatch.nlp.syntax import (
    ancestors,
    blocked,
    clause_verb,
    distance,
    ent_span,
    noun_head,
    path_between,
    path_up,
)


def note_deal_value(sentence: Span, mentions: list[Mention], context: ArticleContext) -> None:
    """ "The deal is estimated at $3 billion": the price of the deal the article is about."""
    deal = any(
        token.lemma_.lower() in lexicon.DEAL_NOUNS
        and any(child.lower_ in lexicon.DETERMINERS for child in token.children)
        for token in sentence
    )
    found = first_money(sentence) if deal else None
    if found is None:
        return
    money, span = found
    if mentions:  # the system the amount is said of, when the sentence names several
        system = min(mentions, key=lambda m: distance(m.anchor, span.root)).system
    elif context.recent_systems:
        system = context.recent_systems[0].system
    else:
        return
    recipient = context.parties.get(system, (None, None))[1]
    context.deal_values.setdefault((system, recipient), set()).add(money)


def note_upcoming(sentence: Span, context: ArticleContext, keep: int = 3) -> None:
    """Remember the one future date a sentence states, for the sentences after it."""
    dates = {
        resolved
        for ent in sentence.ents
        if ent.label_ == "DATE"
        and (resolved := resolve_date(ent.text, context.published, "future")) is not None
        and is_future(resolved, context.published)
    }
    only: str | None = next(iter(dates)) if len(dates) == 1 else None
    context.upcoming = [only, *context.upcoming[: keep - 1]]


def scheduled_date(context: ArticleContext) -> str | None:
    """The future date the last few sentences set, when only one of them sets one."""
    dates = {date for date in context.upcoming if date}
    return dates.pop() if len(dates) == 1 else None


def event_date(
    sentence: Span, trigger: Trigger, published: str | None, expected: bool, within: int = 99
) -> str | None:
    """The date the event is stated for. A date that belongs to another event of the sentence
    ("receive ... by 2025, and plans to sign") is not this one's; a date that belongs to the
    report ("said on Tuesday") only bounds a past event, so it is kept at the year's
    precision, as is "recently" ("the IAF recently received ...")."""
    direction: Direction = "future" if expected else "past"
    scored: list[tuple[int, int, str]] = []
    for ent in sentence.ents:
        if ent.label_ != "DATE":
            continue
        resolved = resolve_date(ent.text, published, direction)
        if resolved is None or distance(ent.root, trigger.token) > within:
            continue
        route = path_between(ent.root, trigger.token)[1:-1]
        # verbs that carry the trigger, or complete it ("the contract to supply ... in 2023")
        above = {node.i for node in path_up(trigger.token)} | {
            child.i for child in trigger.token.children if child.dep_ in {"acl", "relcl"}
        }
        if any(node.i not in above and _of_another_step(node, trigger) for node in route):
            continue  # "will be retired from 2027", "received one ... and will get two next year"
        if _after_another_steps_adjunct(sentence, trigger, ent):
            continue
        governor = ent.root.head
        if governor.pos_ == "ADP" and governor.head.i != governor.i:
            governor = governor.head
        said = governor.lemma_.lower() in lexicon.SPEECH_VERBS
        if said and governor.i != trigger.token.i:
            if not expected:
                scored.append((1, distance(ent.root, trigger.token), resolved[:4]))
            continue
        scored.append((0, distance(ent.root, trigger.token), resolved))
    if not scored:
        return published[:4] if published and _recent(trigger.token, expected) else None
    return min(scored)[2]


def _recent(token: Token, expected: bool) -> bool:
    """The trigger's clause says the step took place recently."""
    verb = clause_verb(token)
    return not expected and any(
        child.dep_ == "advmod" and child.lower_ in lexicon.RECENTLY for child in verb.children
    )


def quantity_of(sentence: Span, mention: Mention, trigger: Trigger) -> Quantity | None:
    """The number of units of the system the sentence states: "four S-400 batteries",
    "five regiments of S-400", "26 Rafale M"; else, for aircraft, the number of jets nearest
    to the event's word ("the tender for 27 deck-based fighter jets")."""
    anchor = mention.anchor
    head = noun_head(anchor)
    counted = {head.i, *ent_span(anchor)}  # "36 Dassault Rafale" counts the whole name
    if head.dep_ == "pobj" and head.head.lower_ == "of":
        counted.add(head.head.head.i)  # "five regiments of S-400"
    found = [q for token in sentence if (q := count_of(token, mention)) and token.head.i in counted]
    if found:
        return found[0]
    # systems the sentence names as what is bought, not as what is replaced or compared
    systems = {
        ent.kb_id_ for ent in sentence.ents
        if ent.label_ == SYSTEM and not blocked(ancestors(ent.root)[:5])
    }
    units = lexicon.CATEGORY_COUNTS.get(mention.category or "", frozenset())
    if units and systems <= {mention.system}:
        # the count of this kind of weapon nearest to the event's word, when one is nearest
        candidates = [
            (distance(token, trigger.token), q)
            for token in sentence
            if (q := count_of(token, mention)) and q.unit in units
            and token.head.ent_type_ != SYSTEM
        ]
        ranked = sorted(candidates, key=lambda pair: pair[0])
        if ranked and (len(ranked) == 1 or ranked[0][0] < ranked[1][0]):
            return ranked[0][1]
    return None


def count_of(token: Token, mention: Mention) -> Quantity | None:
    """The quantity a number token gives to the noun it modifies, if that noun is a unit."""
    # "48 FA-50 combat aircraft": the parser may read a count as part of a designation with
    # digits; a number compounded onto the system's own name still counts it
    onto_the_name = token.dep_ == "compound" and token.pos_ == "NUM" and (
        token.head.i == mention.anchor.i and token.head.ent_type_ == SYSTEM
    )
    if (token.dep_ not in {"nummod", "amod"} and not onto_the_name) or token.i > token.head.i:
        return None  # a count precedes what it counts; "ERJ 145", "Hermes 450" are names
    if token.ent_type_ == SYSTEM:
        return None
    if token.dep_ == "amod" and token.lower_ not in {"second", "third", "fourth", "another"}:
        return None
    number = parse_number(token.text)
    if number is None or number > 10000:
        return None
    noun = token.head
    unit = lexicon.UNITS.get(noun.lemma_.lower())
    if unit is None and noun.i == mention.anchor.i:
        unit = lexicon.CATEGORY_UNITS.get(mention.category or "")
    return Quantity(number, unit) if unit else None


def own_value(sentence: Span, mention: Mention) -> Money | None:
    """The amount of money the sentence states for this system: the only system named, or
    the one nearest to the amount."""
    found = first_money(sentence)
    if found is None:
        return None
    money, span = found
    anchors = [
        ent.root for ent in sentence.ents if ent.label_ == SYSTEM and ent.kb_id_ != mention.system
    ]
    mine = distance(mention.anchor, span.root)
    if any(distance(other, span.root) < mine for other in anchors):
        return None
    return money


def first_money(sentence: Span) -> tuple[Money, Span] | None:
    """The first amount of money in the sentence and its span. The model labels "2.5 billion
    euros" a number and may leave the currency outside a MONEY span, so a little context is
    read."""
    doc = sentence.doc
    for ent in sentence.ents:
        if ent.label_ in {"MONEY", "CARDINAL"}:
            money = parse_money(ent.text)
            if money is None:
                window = doc[max(ent.start - 1, 0) : min(ent.end + 2, len(doc))].text
                money = parse_money(window)
            if money:
                return money, ent
    return None


def share_terms(
    events: list[Event], deal_values: dict[tuple[str, str | None], set[Money]]
) -> list[Event]:
    """An article about one deal states its size and price once: a talks or order event
    without them takes those of the other talks and order events of the same deal in the
    article, or the price stated for the deal, when they agree on one and their dates do not
    set them apart."""
    shared = []
    for event in events:
        if event.type in {"talks", "order"} and not (event.quantity and event.value):
            same_deal = [
                other for other in events
                if other is not event and other.type in {"talks", "order"}
                and (other.supplier, other.recipient, other.system)
                == (event.supplier, event.recipient, event.system)
                and dates_compatible(other.date, event.date)
            ]
            quantities = {other.quantity for other in same_deal if other.quantity}
            values = {other.value for other in same_deal if other.value}
            if not values:
                values = set(deal_values.get((event.system, event.recipient), ()))
            if event.quantity is None and len(quantities) == 1:
                event = replace(event, quantity=quantities.pop())
            if event.value is None and len(values) == 1:
                event = replace(event, value=values.pop())
        shared.append(event)
    return shared


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Two dates that may name the same moment: one missing, or one a prefix of the other."""
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def merge_repeats(events: list[Event]) -> list[Event]:
    """Keep one event per fact: an undated or less precise repeat of a dated one is dropped,
    and the quantity or value only the repeat gave passes to the event kept."""
    kept: list[Event] = []
    for event in sorted(events, key=lambda e: (-len(e.date or ""), e.evidence.start)):
        same = [
            index
            for index, other in enumerate(kept)
            if (other.type, other.supplier, other.recipient, other.system)
            == (event.type, event.supplier, event.recipient, event.system)
            # the same negotiation reported twice may read as going on and as coming
            and (other.status == event.status or event.type == "talks")
            and (event.date is None or (other.date or "").startswith(event.date))
            # different numbers are different purchases ("114 jets" and "90 jets")
            and not (event.quantity and other.quantity and event.quantity != other.quantity)
        ]
        if not same:
            kept.append(event)
            continue
        first = kept[same[0]]
        kept[same[0]] = replace(
            first, quantity=first.quantity or event.quantity, value=first.value or event.value
        )
    return sorted(kept, key=lambda e: e.evidence.start)


def _of_another_step(node: Token, trigger: Trigger) -> bool:
    """A node between a date and the trigger that makes the date another step's: a verb of
    another step or clause ("will be retired from 2027", "the programme that will start trials
    in 2024"), or a noun of another step in an adjunct ("with deliveries to commence in 2023",
    "under a 2020 deal")."""
    if node.pos_ == "VERB":
        return (
            _other_step(node, trigger)
            or _coordinated_clause(node, trigger.token)
            or node.dep_ == "relcl"
        )
    return (
        node.pos_ == "NOUN"
        and lexicon.TRIGGERS.get(node.lemma_.lower(), trigger.type) != trigger.type
        and node.head.pos_ == "ADP"
        and node.head.lower_ not in {"for", "of"}
    )


def _after_another_steps_adjunct(sentence: Span, trigger: Trigger, date: Span) -> bool:
    """The date follows a "with" phrase of another step, which it ends, whatever the parse
    hung it on ("contracted an order for 48 jets with deliveries to commence in 2023")."""
    doc = sentence.doc
    return any(
        token.dep_ == "pobj"
        and token.head.lower_ == "with"
        and lexicon.TRIGGERS.get(token.lemma_.lower(), trigger.type) != trigger.type
        for token in doc[trigger.token.i + 1 : date.start]
    )


def _coordinated_clause(verb: Token, trigger: Token) -> bool:
    """A verb coordinated with the trigger's clause heads a clause of its own, with its own
    date ("received the third last month and will get the fourth next year")."""
    return verb.dep_ == "conj" and verb.head.i in {node.i for node in path_up(trigger)}


def _other_step(verb: Token, trigger: Trigger) -> bool:
    """A verb that states another step than the trigger's: another kind of transfer step, or
    the end of a system's service ("retired from 2027", "replaced")."""
    lemma = verb.lemma_.lower()
    if lemma in lexicon.TRIGGERS:
        return lexicon.TRIGGERS[lemma] != trigger.type
    return lemma in lexicon.BLOCKERS - lexicon.FITTED_WITH  # "engines to power ... in 2004"
