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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from armswatch.model import Article, Event, Evidence, Money, Quantity
from armswatch.nlp.amounts import parse_money, parse_number
from armswatch.nlp.dates import Direction, is_future, resolve_date
from armswatch.nlp.entities import COUNTRY, DEMONYM, FIRM, FORCE, SYSTEM
from armswatch.nlp.gazetteer import Gazetteer, load_gazetteer
from armswatch.nlp.lexicon import (
    ANAPHORA_NOUNS,
    CATEGORY_UNITS,
    DETERMINERS,
    EXPECTATION_HEADS,
    IRREALIS_HEADS,
    MODALS,
    PHRASAL,
    RECIPIENT_SUBJECT,
    SPEECH_VERBS,
    SUPPLIER_SUBJECT,
    SYMMETRIC,
    TRANSFER_PARTICIPLES,
    TRIGGERS,
    UNITS,
)

STATE_LABELS = frozenset({COUNTRY, DEMONYM, FIRM, FORCE})
# Event types ordered by how far a deal has gone; used to break ties between triggers.
TYPE_RANK = {"talks": 0, "order": 1, "delivery": 2, "deployment": 3, "cancellation": 4}
# Relations through which an expectation above a trigger carries down to it.
PASS_THROUGH = frozenset(
    {"xcomp", "ccomp", "pobj", "prep", "dobj", "acomp", "compound", "nsubjpass", "attr"}
)
PERSON_TITLES = frozenset({
    "secretary", "minister", "president", "spokesman", "spokesperson", "official", "envoy",
    "ambassador", "chief", "director", "general", "head", "premier", "leader", "analyst",
    "expert", "newspaper", "media", "agency", "channel", "counterpart", "delegation",
})


@dataclass(frozen=True)
class Trigger:
    """A word that states an event, and the type it states."""

    token: Token
    type: str


@dataclass(frozen=True)
class Mention:
    """A weapon system named (or referred back to) in a sentence."""

    anchor: Token  # the token that stands for the system in the parse
    system: str
    origin: str | None
    category: str | None


@dataclass
class ArticleContext:
    """What earlier sentences established: systems mentioned and the parties of each system."""

    published: str | None
    recent_systems: list[Mention] = field(default_factory=list)
    parties: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    home: str | None = None  # the state the article is mostly about, the last-resort recipient


def extract_events(article: Article, doc: Doc, gazetteer: Gazetteer | None = None) -> list[Event]:
    """Return the arms-transfer events an annotated article states, one per distinct fact."""
    gazetteer = gazetteer or load_gazetteer()
    context = ArticleContext(published=article.published, home=_home_state(doc))
    events: list[Event] = []
    for sentence in doc.sents:
        mentions = list(_mentions(sentence, gazetteer))
        triggers = list(_triggers(sentence))
        if triggers:
            if not mentions:
                mentions = _referred_back(sentence, context)
            for mention in mentions:
                events.extend(_events_for(article, sentence, mention, triggers, context))
        if mentions:
            context.recent_systems = (mentions + context.recent_systems)[:6]
    return _merge_repeats(events)


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
            token.lemma_.lower() in ANAPHORA_NOUNS
            and token.pos_ == "NOUN"
            and any(child.lower_ in DETERMINERS for child in token.children)
            and not any(child.ent_type_ in STATE_LABELS for child in token.children)
        ):
            return [Mention(token, previous.system, previous.origin, previous.category)]
    return []


def _triggers(sentence: Span) -> Iterator[Trigger]:
    for token in sentence:
        if token.ent_type_ == SYSTEM:
            continue
        lemma = token.lemma_.lower()
        phrasal = next(
            (PHRASAL[(lemma, child.lower_)] for child in token.children
             if (lemma, child.lower_) in PHRASAL),
            None,
        )
        if phrasal:
            yield Trigger(token, phrasal)
        elif token.lower_ in TRANSFER_PARTICIPLES and _after_hyphen(token):
            yield Trigger(token, TRANSFER_PARTICIPLES[token.lower_])
        elif lemma in TRIGGERS and token.pos_ in {"NOUN", "VERB", "ADJ", "PROPN"}:
            if lemma == "hand" and token.pos_ == "NOUN":
                continue
            yield Trigger(token, TRIGGERS[lemma])


def _after_hyphen(token: Token) -> bool:
    return token.i > 0 and token.doc[token.i - 1].text in {"-", "‐"}


def _ancestors(token: Token) -> list[Token]:
    return [token, *token.ancestors]


def _distance(a: Token, b: Token) -> int:
    path_a = _ancestors(a)
    path_b = _ancestors(b)
    common = next((t for t in path_a if t in path_b), None)
    if common is None:
        return 99
    return path_a.index(common) + path_b.index(common)


def _governing_trigger(mention: Mention, triggers: list[Trigger]) -> Trigger | None:
    """The trigger that governs the system: the highest one above it, else the nearest."""
    by_token = {trigger.token.i: trigger for trigger in triggers}
    above = [by_token[t.i] for t in _ancestors(mention.anchor) if t.i in by_token]
    hyphenated = [
        t for t in triggers
        if t.token.lower_ in TRANSFER_PARTICIPLES and abs(t.token.i - mention.anchor.i) <= 4
        and t.token.i < mention.anchor.i
    ]
    if hyphenated:
        return hyphenated[0]
    if above:
        return above[-1]
    near = sorted(
        (trigger for trigger in triggers if _distance(trigger.token, mention.anchor) <= 3),
        key=lambda t: (_distance(t.token, mention.anchor), -TYPE_RANK[t.type]),
    )
    return near[0] if near else None


# -- one event ------------------------------------------------------------------------------


def _events_for(
    article: Article, sentence: Span, mention: Mention, triggers: list[Trigger],
    context: ArticleContext,
) -> Iterator[Event]:
    trigger = _governing_trigger(mention, triggers)
    if trigger is None or _negated(trigger.token) or _irrealis(trigger.token):
        return
    suppliers, recipients = _parties(sentence, trigger, mention)
    supplier = suppliers[0] if suppliers else mention.origin
    if not recipients:
        remembered = context.parties.get(mention.system)
        if remembered and not _states_in(sentence):
            supplier = supplier or remembered[0]
            recipients = [remembered[1]]
        elif context.home and not _states_in(sentence, exclude={supplier}):
            recipients = [context.home]
    recipients = [r for r in dict.fromkeys(recipients) if r and r != supplier]
    if not recipients:
        return
    date = _date(sentence, trigger, context.published, _expected(trigger.token))
    expected = _expected(trigger.token) or is_future(date, context.published)
    if date is None and not expected and _ongoing(trigger.token) and context.published:
        date = context.published[:7]
    quantity = _quantity(sentence, mention)
    value = _value(sentence) if trigger.type in {"order", "talks"} else None
    evidence = Evidence(
        article_id=article.id,
        start=sentence.start_char,
        end=sentence.end_char,
        sentence=sentence.text,
    )
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


def _states_in(sentence: Span, exclude: Iterable[str | None] = ()) -> list[str]:
    excluded = set(exclude)
    return [
        ent.kb_id_ for ent in sentence.ents
        if ent.label_ in STATE_LABELS and ent.kb_id_ and ent.kb_id_ not in excluded
    ]


def _negated(token: Token) -> bool:
    for node in _ancestors(token)[:3]:
        if any(child.dep_ == "neg" for child in node.children):
            return True
        if node.dep_ not in {"xcomp", "ccomp", "aux", "dobj", "pobj", "prep", "compound"}:
            break
    return False


def _irrealis(token: Token) -> bool:
    return any(node.lemma_.lower() in IRREALIS_HEADS for node in _ancestors(token)[1:4])


def _expected(token: Token) -> bool:
    """The trigger is planned, scheduled or likely rather than reported as done."""
    for node in _ancestors(token)[:4]:
        if node.lemma_.lower() in EXPECTATION_HEADS and node.i != token.i:
            return True
        for child in node.children:
            if child.dep_ in {"aux", "auxpass"} and child.lower_ in MODALS:
                return True
            if child.dep_ in {"amod", "acomp"} and child.lemma_.lower() in EXPECTATION_HEADS:
                return True
            if child.dep_ == "aux" and child.lower_ == "to" and node.dep_ in {"xcomp", "acl"}:
                head = node.head.lemma_.lower()
                if head in EXPECTATION_HEADS:
                    return True
        if node.dep_ not in PASS_THROUGH:
            break
    return False


def _ongoing(token: Token) -> bool:
    """A present-tense report ("talks are continuing"): dated to the publication month."""
    for node in _ancestors(token)[:3]:
        if node.tag_ in {"VBG", "VBZ", "VBP"} and node.pos_ in {"VERB", "AUX"}:
            return not any(child.lower_ in {"has", "have"} for child in node.children)
    return False


def _home_state(doc: Doc) -> str | None:
    """The state an article keeps returning to through its armed forces, when there is one."""
    forces = Counter(ent.kb_id_ for ent in doc.ents if ent.label_ == FORCE and ent.kb_id_)
    if not forces:
        return None
    (top, count), *rest = forces.most_common(2)
    return top if not rest or count > 2 * rest[0][1] else None


# -- parties ------------------------------------------------------------------------------


def _parties(sentence: Span, trigger: Trigger, mention: Mention) -> tuple[list[str], list[str]]:
    """Suppliers and recipients the parse assigns around a trigger and a system."""
    suppliers: list[str] = []
    recipients: list[str] = []
    verb = _clause_verb(trigger.token)
    for ent in sentence.ents:
        if ent.label_ not in STATE_LABELS or not ent.kb_id_:
            continue
        role = _role(ent, trigger, verb, mention)
        if role == "supplier":
            suppliers.append(ent.kb_id_)
        elif role == "recipient":
            recipients.append(ent.kb_id_)
        elif role == "party":
            (suppliers if ent.kb_id_ == mention.origin else recipients).append(ent.kb_id_)
    if not recipients:
        loose = [
            ent.kb_id_ for ent in sentence.ents
            if ent.label_ in STATE_LABELS and ent.kb_id_
            and ent.kb_id_ not in suppliers and ent.kb_id_ != mention.origin
            and not _beside_a_person(ent)
        ]
        if len(set(loose)) == 1:
            recipients = loose[:1]
    return list(dict.fromkeys(suppliers)), list(dict.fromkeys(recipients))


def _clause_verb(token: Token) -> Token:
    node = token
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    return node


def _role(ent: Span, trigger: Trigger, verb: Token, mention: Mention) -> str | None:
    root = ent.root
    # a conjunct ("Azerbaijan, Morocco and Vietnam") plays its first conjunct's role
    while root.dep_ == "conj" and root.head.ent_type_ in STATE_LABELS:
        root = root.head
    head = root.head
    lemma = trigger.token.lemma_.lower()
    verb_lemma = verb.lemma_.lower()
    if ent.label_ == DEMONYM and (root.dep_ in {"amod", "compound", "npadvmod"}):
        if head.i == mention.anchor.i or head in _ancestors(mention.anchor)[:3]:
            return "supplier" if mention.origin in {None, ent.kb_id_} else "recipient"
        if head.lower_ in {"made", "built", "supplied", "origin", "designed", "manufactured"}:
            return "supplier"
        if head.lemma_.lower() in {"force", "navy", "army", "military", "government", "ministry"}:
            return "recipient"
    if root.dep_ == "poss":
        if mention.origin and ent.kb_id_ == mention.origin:
            return "supplier"
        return "recipient"
    if root.dep_ == "pobj":
        preposition = head.lower_
        if preposition == "from":
            return "supplier"
        if preposition in {"to", "for", "with"} and head.head in _ancestors(trigger.token)[:4]:
            return "recipient" if preposition != "with" else "party"
        if preposition == "by" and head.dep_ in {"agent", "prep"}:
            if verb_lemma in SUPPLIER_SUBJECT or lemma in SUPPLIER_SUBJECT:
                return "supplier"
            return "recipient"
    if root.dep_ in {"nsubj", "nsubjpass"} and head.lemma_.lower() not in SPEECH_VERBS:
        subject_of = head.lemma_.lower()
        if root.dep_ == "nsubjpass" and subject_of in SUPPLIER_SUBJECT:
            return "recipient"
        if subject_of in SYMMETRIC or lemma in SYMMETRIC:
            return "party"
        if subject_of in SUPPLIER_SUBJECT or (lemma in SUPPLIER_SUBJECT and head.i == verb.i):
            return "supplier"
        if subject_of in RECIPIENT_SUBJECT or subject_of in TRIGGERS or head.i == verb.i:
            return "recipient"
    if root.dep_ == "dative" and head.lemma_.lower() in SUPPLIER_SUBJECT:
        return "recipient"
    if ent.label_ == FORCE and not _beside_a_person(ent):
        return "recipient"
    return None


def _beside_a_person(ent: Span) -> bool:
    """A state named only as the employer of a person ("US Secretary of State Mike Pompeo")."""
    head = ent.root.head
    return ent.root.dep_ in {"compound", "amod", "poss", "nmod"} and (
        head.ent_type_ == "PERSON" or head.lemma_.lower() in PERSON_TITLES
    )


# -- dates, quantities, values --------------------------------------------------------------


def _date(sentence: Span, trigger: Trigger, published: str | None, expected: bool) -> str | None:
    direction: Direction = "future" if expected else "past"
    scored: list[tuple[int, str]] = []
    for ent in sentence.ents:
        if ent.label_ != "DATE":
            continue
        resolved = resolve_date(ent.text, published, direction)
        if resolved is None:
            continue
        path = _ancestors(ent.root)
        said = any(node.lemma_.lower() in SPEECH_VERBS for node in path[1:3])
        if said and trigger.token not in path:
            continue
        scored.append((_distance(ent.root, trigger.token), resolved))
    if not scored:
        return None
    scored.sort()
    return scored[0][1]


def _quantity(sentence: Span, mention: Mention) -> Quantity | None:
    anchor = mention.anchor
    related = {anchor.i, *(t.i for t in _ancestors(anchor)[:4])}
    for token in sentence:
        if token.dep_ not in {"nummod", "amod"} or token.head.i not in related:
            continue
        number = parse_number(token.text)
        if token.dep_ == "amod" and token.lower_ not in {"second", "third", "fourth", "another"}:
            continue
        if number is None or number > 10000:
            continue
        noun = token.head
        unit = UNITS.get(noun.lemma_.lower())
        if unit is None and noun.i == anchor.i:
            unit = CATEGORY_UNITS.get(mention.category or "")
        if unit is None:
            continue
        return Quantity(number, unit)
    return None


def _value(sentence: Span) -> Money | None:
    for ent in sentence.ents:
        if ent.label_ == "MONEY":
            money = parse_money(ent.text)
            if money is None:
                # the model's span can leave the currency word outside; read a little around it
                doc = ent.doc
                window = doc[max(ent.start - 1, 0): min(ent.end + 3, len(doc))].text
                money = parse_money(window)
            if money:
                return money
    return None


# -- one event per fact -----------------------------------------------------------------------


def _merge_repeats(events: list[Event]) -> list[Event]:
    """Keep one event per fact: an undated or less precise repeat of a dated one is dropped."""
    kept: list[Event] = []
    for event in sorted(events, key=lambda e: (-len(e.date or ""), e.evidence.start)):
        same = [
            other for other in kept
            if (other.type, other.status, other.supplier, other.recipient, other.system)
            == (event.type, event.status, event.supplier, event.recipient, event.system)
        ]
        if any(
            event.date is None or (other.date or "").startswith(event.date) for other in same
        ):
            continue
        kept.append(event)
    return sorted(kept, key=lambda e: e.evidence.start)
