"""Arms-transfer events from an annotated article.

For each sentence with a transfer word (a trigger) and a weapon system, the dependency parse
decides which trigger governs the system, who supplies and who receives, whether the step
happened or is expected, and which date, quantity and value belong to it. A sentence that names
no system may take the one the article is talking about when it refers back to it ("the
systems"). Precision first: without a recipient, or when supplier and recipient are the same
state (domestic procurement), no event is recorded.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from armswatch.model import Article, Event, Evidence, Money, Quantity
from armswatch.nlp import lexicon, load_nlp
from armswatch.nlp.amounts import parse_money, parse_number
from armswatch.nlp.dates import Direction, is_future, resolve_date
from armswatch.nlp.entities import COUNTRY, DEMONYM, FIRM, FORCE, SYSTEM
from armswatch.nlp.gazetteer import Gazetteer, load_gazetteer

STATE_LABELS = frozenset({COUNTRY, DEMONYM, FIRM, FORCE})
# Event types ordered by how far a deal has gone; used to break ties between triggers.
TYPE_RANK = {"talks": 0, "order": 1, "delivery": 2, "deployment": 3, "cancellation": 4}
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
    # "the deal is worth $X", by the system and recipient of the deal being reported
    deal_values: dict[tuple[str, str | None], set[Money]] = field(default_factory=dict)


def extract_events(article: Article, doc: Doc, gazetteer: Gazetteer | None = None) -> list[Event]:
    """Return the arms-transfer events an annotated article states, one per distinct fact."""
    gazetteer = gazetteer or load_gazetteer()
    context = ArticleContext(
        published=article.published, home=_home_state(article.title, doc, gazetteer)
    )
    events: list[Event] = []
    for sentence in doc.sents:
        mentions = list(_mentions(sentence, gazetteer))
        triggers = list(_triggers(sentence))
        if triggers:
            if not mentions:
                mentions = _referred_back(sentence, context)
            for mention in mentions:
                events.extend(_events_for(article, sentence, mention, triggers, context))
        _note_deal_value(sentence, mentions, context)
        if mentions:
            context.recent_systems = (mentions + context.recent_systems)[:6]
    return _share_terms(_merge_repeats(events), context.deal_values)


def _note_deal_value(sentence: Span, mentions: list[Mention], context: ArticleContext) -> None:
    """ "The deal is estimated at $3 billion": the price of the deal the article is about."""
    deal = any(
        token.lemma_.lower() in lexicon.DEAL_NOUNS
        and any(child.lower_ in lexicon.DETERMINERS for child in token.children)
        for token in sentence
    )
    found = _money(sentence) if deal else None
    if found is None:
        return
    money, span = found
    if mentions:  # the system the amount is said of, when the sentence names several
        system = min(mentions, key=lambda m: _distance(m.anchor, span.root)).system
    elif context.recent_systems:
        system = context.recent_systems[0].system
    else:
        return
    recipient = context.parties.get(system, (None, None))[1]
    context.deal_values.setdefault((system, recipient), set()).add(money)


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
    if any(ent.label_ == SYSTEM for ent in sentence.ents):
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
            return [Mention(token, previous.system, previous.origin, previous.category)]
    return []


def _triggers(sentence: Span) -> Iterator[Trigger]:
    competition = _in_competition(sentence)
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
        elif token.lower_ in lexicon.TRANSFER_PARTICIPLES and _after_hyphen(token):
            yield Trigger(token, lexicon.TRANSFER_PARTICIPLES[token.lower_])
        elif lemma == "join" and any(
            child.dep_ == "dobj" and child.ent_type_ == FORCE for child in token.children
        ):
            yield Trigger(token, "delivery")  # "joined the Indian Air Force": an induction
        elif lemma in lexicon.LICENSED_PRODUCTION_VERBS and _under_licence(token):
            yield Trigger(token, "delivery")  # licensed production abroad is a transfer
        elif lemma == "runner" and any(child.lower_ == "front" for child in token.children):
            yield Trigger(token, "talks")  # "the front runner in the tender"
        elif lemma == "decide" and any(child.lower_ == "between" for child in token.children):
            yield Trigger(token, "talks")  # "decided between X and Y": a choice of contenders
        elif lemma in lexicon.TRIGGERS and token.pos_ in {"NOUN", "VERB", "ADJ", "PROPN"}:
            if lemma == "hand" and token.pos_ == "NOUN":
                continue
            if lemma in {"offer", "provide"} and _subject_is_a_thing(token):
                continue  # "the engine offers a power range of 735 kW"
            if lemma in lexicon.APPROVALS and _cleared_for_use(token):
                continue  # "cleared for integration on the fleet": a certification
            kind = lexicon.TRIGGERS[lemma]
            if lemma == "sign" and any(
                child.dep_ == "dobj" and child.lemma_.lower() in lexicon.PRE_CONTRACT_OBJECTS
                for child in token.children
            ):
                kind = "talks"
            if kind == "deployment" and lemma in {"test", "trial", "evaluate"} and competition:
                kind = "talks"  # trials of contenders in a competition are an evaluation
            yield Trigger(token, kind)


def _under_licence(token: Token) -> bool:
    return any(
        child.dep_ == "prep" and child.lower_ == "under"
        and any(t.lemma_.lower() in lexicon.LICENCE_WORDS for t in child.subtree)
        for child in token.children
    )


def _cleared_for_use(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "for":
            objects = [t for t in child.children if t.dep_ == "pobj"]
            if any(o.ent_type_ == SYSTEM or o.lemma_.lower() in lexicon.USE_NOUNS for o in objects):
                return True
    return False


def _subject_is_a_thing(token: Token) -> bool:
    subjects = [child for child in token.children if child.dep_ == "nsubj"]
    if not subjects and token.dep_ == "relcl":
        subjects = [token.head]
    return any(
        s.ent_type_ == SYSTEM or s.lemma_.lower() in lexicon.ANAPHORA_NOUNS | lexicon.MACHINE_NOUNS
        for s in subjects
    )


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


def _path_up(anchor: Token) -> list[Token]:
    """The anchor's ancestors up to the edge of its clause or of a background adjunct."""
    path = [anchor]
    node = anchor
    while node.head.i != node.i:
        if node.dep_ == "pobj" and node.head.lower_ in lexicon.ADJUNCT_PREPOSITIONS:
            break
        if node.dep_ in {"advcl", "conj"} and node.pos_ in {"VERB", "AUX"}:
            break
        node = node.head
        path.append(node)
    return path


def _blocked(path: list[Token]) -> bool:
    """The path from a system to its trigger says the system is not what is transferred:
    what it replaces or is compared with, a platform, or a clause that denies it."""
    for below, node in itertools.pairwise(path):
        blocker = node.lemma_.lower() in lexicon.BLOCKERS or node.lower_ in lexicon.BLOCKERS
        # the subject of "replace" is the new system; its object, the old one
        if blocker and below.dep_ not in {"nsubj", "nsubjpass"}:
            return True
        if node.i != path[-1].i and any(child.dep_ == "neg" for child in node.children):
            return True
    return False


def _governing_trigger(mention: Mention, triggers: list[Trigger]) -> Trigger | None:
    """The trigger that governs the system, else the nearest one.

    Going up from the system, nominal triggers ("the purchase of", "a deal for the delivery
    of") are objects of what lies above them; the first verbal trigger decides.
    """
    by_token = {trigger.token.i: trigger for trigger in triggers}
    path = _path_up(mention.anchor)
    above = []
    for i, node in enumerate(path):
        if node.i in by_token:
            above.append(i)
            if node.pos_ in {"VERB", "AUX"}:
                break  # a verb states its own event; a noun ("the purchase") is its object
    if above:
        top = above[-1]
        if _blocked(path[: top + 1]):
            return None
        return by_token[path[top].i]
    head = _noun_head(mention.anchor)
    near = sorted(
        (
            trigger
            for trigger in triggers
            if head.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "attr"}
            and _distance(trigger.token, head) <= 3
            and not _crosses_clauses(_path_between(head, trigger.token))
            and not _governs_other_system(trigger.token, mention)
            and trigger.token.lower_ not in lexicon.TRANSFER_PARTICIPLES
            and not _blocked(_path_between(mention.anchor, trigger.token))
        ),
        key=lambda t: (_distance(t.token, mention.anchor), -TYPE_RANK[t.type]),
    )
    return near[0] if near else None


def _crosses_clauses(path: list[Token]) -> bool:
    """A path through a coordinated or adverbial clause with a subject of its own links two
    separate statements ("X provides ..., but few operators have shown interest")."""
    return any(
        node.dep_ in {"conj", "advcl"}
        and node.pos_ in {"VERB", "AUX"}
        and any(child.dep_ in {"nsubj", "nsubjpass"} for child in node.children)
        for node in path
    )


def _path_between(a: Token, b: Token) -> list[Token]:
    """Tokens from ``a`` up to the common ancestor and down to ``b``."""
    up = _ancestors(a)
    down = _ancestors(b)
    common = next((t for t in up if t in down), None)
    if common is None:
        return [a, b]
    return up[: up.index(common) + 1] + list(reversed(down[: down.index(common)]))


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
        if token.lower_ not in lexicon.TRANSFER_PARTICIPLES or not _after_hyphen(token):
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
    governing = _governing_trigger(mention, triggers)
    chosen = [governing] if governing else []
    chosen += [t for t in _stated_transfers(mention, triggers) if t not in chosen]
    for trigger in chosen:
        if _negated(trigger.token) or _irrealis(trigger.token) or _advice(trigger.token):
            continue
        if trigger.type in {"order", "delivery"} and _sought(trigger.token):
            trigger = Trigger(trigger.token, "talks")
        yield from _event(article, sentence, mention, trigger, context)


def _sought(token: Token) -> bool:
    """A purchase someone is interested in, keen on, trying for or in talks about is talks:
    "expressed interest in procuring", "keen on acquiring", "talks to procure 12 more"."""
    return any(node.lemma_.lower() in lexicon.SEEKING_HEADS for node in _path_up(token)[1:4])


def _advice(token: Token) -> bool:
    """ "India should buy ...", "the navy must go for ...": an author's advice, not a step."""
    verb = _clause_verb(token)
    return verb.lemma_.lower() in lexicon.ADVISED_VERBS and any(
        child.dep_ == "aux" and child.lower_ in {"should", "must", "ought"}
        for child in verb.children
    )


def _event(
    article: Article,
    sentence: Span,
    mention: Mention,
    trigger: Trigger,
    context: ArticleContext,
) -> Iterator[Event]:
    suppliers, recipients, related = _parties(sentence, trigger, mention)
    supplier = suppliers[0] if suppliers else mention.origin
    if not recipients and _names_other_recipient(trigger.token):
        return  # "available for export to current operators": a recipient, but no state
    if not recipients:
        remembered = context.parties.get(mention.system)
        if remembered and not related:
            supplier = supplier or remembered[0]
            recipients = [remembered[1]]
        elif context.home and not related:
            recipients = [context.home]
    recipients = [
        r
        for r in dict.fromkeys(recipients)
        if r and r != supplier and r != mention.origin  # a state's own industry is no transfer
    ]
    if not recipients:
        return
    expected = _expected(trigger.token)
    date = _date(sentence, trigger, context.published, expected)
    if expected and trigger.type == "talks" and _in_competition(sentence):
        # a running competition between named contenders is a fact; only its outcome is due
        expected = is_future(date, context.published)
    expected = expected or is_future(date, context.published)
    ongoing = date is None and not expected and trigger.type != "deployment"
    if ongoing and context.published and _ongoing(trigger.token):
        date = context.published[:7]
    if trigger.type == "deployment" and not expected and not _date(
        sentence, trigger, context.published, expected, within=4
    ):
        return  # "squadrons deployed at forward bases": posture, not a reported step
    quantity = _quantity(sentence, mention)
    value = _own_value(sentence, mention) if trigger.type in {"order", "talks"} else None
    stated = sentence.text.strip()
    start = sentence.start_char + sentence.text.index(stated)
    evidence = Evidence(
        article_id=article.id, start=start, end=start + len(stated), sentence=stated
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


def _ent_span(token: Token) -> range:
    """Token indices of the entity a token belongs to."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return range(ent.start, ent.end)
    return range(token.i, token.i + 1)


def _noun_head(token: Token) -> Token:
    """The head noun of the phrase a token modifies ("S-400" in "the S-400 missile systems")."""
    while token.dep_ in {"compound", "nmod", "amod"} and token.head.i != token.i:
        token = token.head
    return token


def _part_of_platform(mention: Mention) -> bool:
    """ "spares for its Su-30 fleet", "engines of the Mi-17", "Su-30 operators": what is
    named is a part, a service or the users of the system, not the system itself."""
    head = _noun_head(mention.anchor)
    if head.i != mention.anchor.i and head.lemma_.lower() in lexicon.HOLDER_NOUNS:
        return True
    node = head
    for _ in range(3):
        if node.dep_ != "pobj" or node.head.lower_ not in {"of", "for"}:
            return False
        owner = node.head.head
        if owner.lemma_.lower() in lexicon.PART_NOUNS:
            return True
        if owner.lemma_.lower() in {"fleet", "squadron", "squadrons"}:
            node = owner
            continue
        return False
    return False


def _homegrown(mention: Mention) -> bool:
    """The system is presented as its state's own product ("India's locally developed Astra")."""
    noun = _noun_head(mention.anchor)
    return any(t.lower_ in lexicon.HOMEGROWN for t in noun.subtree if t.i < noun.i)


def _in_competition(sentence: Span) -> bool:
    return any(t.lemma_.lower() in lexicon.COMPETITION_NOUNS for t in sentence)


def _names_other_recipient(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "to":
            objects = [t for t in child.children if t.dep_ == "pobj"]
            if objects and objects[0].ent_type_ not in STATE_LABELS and objects[0].pos_ != "NUM":
                return True
    return False


def _negated(token: Token) -> bool:
    if any(child.lower_ in {"no", "never"} for child in token.children):
        return True
    if any(node.lemma_.lower() in lexicon.DENYING_HEADS for node in _ancestors(token)[1:5]):
        return True
    for node in _ancestors(token)[:3]:
        if any(child.dep_ == "neg" for child in node.children):
            return True
        if node.dep_ not in {"xcomp", "ccomp", "aux", "dobj", "pobj", "prep", "compound"}:
            break
    return False


def _irrealis(token: Token) -> bool:
    """A demand, a condition or a hypothesis ("pressure to cancel", "in case of buying")."""
    if any(node.lemma_.lower() in lexicon.IRREALIS_HEADS for node in _ancestors(token)[1:4]):
        return True
    verb = _clause_verb(token)
    return any(child.dep_ == "mark" and child.lower_ in {"if", "unless"} for child in verb.children)


def _expected(token: Token) -> bool:
    """The trigger is planned, scheduled or likely rather than reported as done."""
    if any(
        child.dep_ in {"amod", "acomp"} and child.lemma_.lower() in lexicon.EXPECTATION_HEADS
        for child in token.children
    ):
        return True
    for node in _ancestors(token)[:4]:
        if node.lemma_.lower() in lexicon.EXPECTATION_HEADS and node.i != token.i:
            return True
        for child in node.children:
            if child.dep_ in {"aux", "auxpass"} and child.lower_ in lexicon.MODALS:
                return True
            if child.dep_ == "aux" and child.lower_ == "to" and node.dep_ in {"xcomp", "acl"}:
                head = node.head.lemma_.lower()
                if head in lexicon.EXPECTATION_HEADS:
                    return True
        if node.dep_ not in PASS_THROUGH:
            break
        if node.dep_ == "pobj" and node.head.lower_ in lexicon.ADJUNCT_PREPOSITIONS:
            break
    return False


def _ongoing(token: Token) -> bool:
    """A present-tense report ("talks are continuing"): dated to the publication month."""
    for node in _ancestors(token)[:3]:
        if node.pos_ not in {"VERB", "AUX"}:
            continue
        auxiliaries = {child.lower_ for child in node.children if child.dep_ in {"aux", "auxpass"}}
        if node.tag_ == "VBG":
            return bool(auxiliaries & {"is", "are", "am"})
        if node.tag_ in {"VBZ", "VBP"}:
            return not auxiliaries & {"has", "have"}
        return False
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


# -- parties ------------------------------------------------------------------------------


def _parties(
    sentence: Span, trigger: Trigger, mention: Mention
) -> tuple[list[str], list[str], bool]:
    """Suppliers and recipients the parse assigns around a trigger and a system.

    The third value tells whether any state in the sentence is tied to the event at all; when
    none is, the parties may come from earlier sentences.
    """
    suppliers: list[tuple[int, str]] = []
    recipients: list[str] = []
    nearby: list[str] = []
    verb = _clause_verb(trigger.token)
    for ent in sentence.ents:
        if ent.label_ not in STATE_LABELS or not ent.kb_id_ or _beside_a_person(ent):
            continue
        role = _role(ent, trigger, verb, mention)
        if role == "supplier":
            suppliers.append((_distance(ent.root, mention.anchor), ent.kb_id_))
        elif role == "recipient":
            recipients.append(ent.kb_id_)
        elif role == "party":
            if ent.kb_id_ == mention.origin:
                suppliers.append((_distance(ent.root, mention.anchor), ent.kb_id_))
            else:
                recipients.append(ent.kb_id_)
        elif (
            _distance(_conj_root(ent.root), trigger.token) <= 4
            and not _modifier(ent)
            and ent.label_ != FIRM  # a firm near a trigger sells; it is no buyer's state
        ):
            nearby.append(ent.kb_id_)
    # the maker's state when the text names it among the sellers, else the seller nearest to
    # the system ("offers from Russia for its MiG-29 and from China for its JF-17")
    ranked = sorted(suppliers, key=lambda pair: (pair[1] != mention.origin, pair[0]))
    sellers = [code for _, code in ranked]
    if not recipients:
        loose = [code for code in nearby if code not in sellers and code != mention.origin]
        if len(set(loose)) == 1:
            recipients = loose[:1]
    related = bool(recipients or set(nearby) - set(sellers) - {mention.origin})
    return list(dict.fromkeys(sellers)), list(dict.fromkeys(recipients)), related


def _clause_verb(token: Token) -> Token:
    node = token
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    return node


def _conj_root(token: Token) -> Token:
    """A conjunct ("Azerbaijan, Morocco and Vietnam") plays its first conjunct's role."""
    while token.dep_ == "conj" and token.head.ent_type_ in STATE_LABELS:
        token = token.head
    return token


def _modifier(ent: Span) -> bool:
    """A state named as a modifier of something else ("the Ukraine war", "French choppers")."""
    root = ent.root
    return root.dep_ in {"compound", "amod", "nmod", "npadvmod"} and (
        root.head.lemma_.lower() not in lexicon.MILITARY_NOUNS
    )


def _role(ent: Span, trigger: Trigger, verb: Token, mention: Mention) -> str | None:
    root = _conj_root(ent.root)
    head = root.head
    lemma = trigger.token.lemma_.lower()
    verb_lemma = verb.lemma_.lower()
    near_trigger = {t.i for t in _ancestors(trigger.token)[:4]}
    near_system = {t.i for t in _ancestors(mention.anchor)[:4]}
    if (
        root.dep_ in {"amod", "compound"}
        and head.dep_ in {"nsubj", "nsubjpass"}
        and head.lemma_.lower() in lexicon.ACTOR_NOUNS
        and _subject_of_event(head.head, trigger, verb)
    ):
        # "the Vietnamese delegation is planning ...": the subject's state acts
        return _subject_role(head, trigger, mention)
    if ent.label_ == DEMONYM and root.dep_ in {"amod", "compound", "npadvmod"}:
        if head.ent_type_ == SYSTEM and head.i != mention.anchor.i and not (
            mention.anchor.ent_iob_ != "O" and head.i in _ent_span(mention.anchor)
        ):
            return None  # "French Dassault Rafale" describes another system
        if head.i in {mention.anchor.i, _noun_head(mention.anchor).i}:
            # "the Russian S-400" names the maker; "the Indian S-400" the owner
            return "supplier" if mention.origin in {None, ent.kb_id_} else "recipient"
        if head.i in near_system and mention.origin in {None, ent.kb_id_}:
            return "supplier"
        if head.lower_ in {"made", "built", "supplied", "origin", "designed", "manufactured"}:
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
        if preposition == "from":
            return "supplier"
        transfer_verb = governor in lexicon.TRIGGERS or governor in lexicon.SUPPLIER_SUBJECT
        if preposition == "to" and transfer_verb:
            return "recipient"
        if preposition == "for" and (governor in lexicon.TRIGGERS or head.head.i in near_system):
            return "recipient"
        if preposition == "with":
            return "party"
        if preposition == "by" and head.dep_ in {"agent", "prep"}:
            # the agent of "sold by", "designed by" supplies; of "bought by" receives
            if {governor, verb_lemma, lemma} & lexicon.SUPPLIER_SUBJECT:
                return "supplier"
            return "recipient"
    if root.dep_ in {"nsubj", "nsubjpass"} and _subject_of_event(head, trigger, verb):
        if ent.kb_id_ == mention.origin and root.dep_ == "nsubj":
            return "supplier"  # "Pentagon has cleared ... F414": the maker's state approves
        return _subject_role(root, trigger, mention)
    if root.dep_ == "dative" and head.lemma_.lower() in lexicon.SUPPLIER_SUBJECT:
        return "recipient"
    if ent.label_ == FORCE and root.dep_ in {"dobj", "pobj"} and head.i in near_trigger:
        return "recipient"
    return None


def _subject_role(subject: Token, trigger: Trigger, mention: Mention) -> str:
    """The role of the subject of a trigger's clause: the seller of "sell", the buyer of "buy"."""
    verb = subject.head.lemma_.lower()
    lemma = trigger.token.lemma_.lower()
    passive = subject.dep_ == "nsubjpass"
    if passive and (verb in lexicon.SUPPLIER_SUBJECT or lemma in lexicon.SUPPLIER_SUBJECT):
        return "recipient"
    if verb in lexicon.SYMMETRIC or lemma in lexicon.SYMMETRIC:
        return "party"
    if verb in lexicon.SUPPLIER_SUBJECT or lemma in lexicon.SUPPLIER_SUBJECT:
        return "supplier"
    return "recipient"


def _subject_of_event(head: Token, trigger: Trigger, verb: Token) -> bool:
    """The subject belongs to the trigger itself, or to the light verb that carries it."""
    if head.lemma_.lower() in lexicon.SPEECH_VERBS:
        return False
    if head.i == trigger.token.i:
        return True
    chain = _ancestors(trigger.token)[:4]
    if head.i in {t.i for t in chain}:
        return (
            head.lemma_.lower() in lexicon.LIGHT_VERBS
            or head.lemma_.lower() in lexicon.EXPECTATION_HEADS
            or head.lemma_.lower() in lexicon.TRIGGERS
        )
    return False


def _beside_a_person(ent: Span) -> bool:
    """A state named only as the employer of a person ("US Secretary of State Mike Pompeo")."""
    head = ent.root.head
    return ent.root.dep_ in {"compound", "amod", "poss", "nmod"} and (
        head.ent_type_ == "PERSON" or head.lemma_.lower() in PERSON_TITLES
    )


# -- dates, quantities, values --------------------------------------------------------------


def _date(
    sentence: Span, trigger: Trigger, published: str | None, expected: bool, within: int = 99
) -> str | None:
    """The date the event is stated for; a date that belongs to the report ("said on Tuesday")
    only bounds a past event, so it is kept at the year's precision."""
    direction: Direction = "future" if expected else "past"
    scored: list[tuple[int, int, str]] = []
    for ent in sentence.ents:
        if ent.label_ != "DATE":
            continue
        resolved = resolve_date(ent.text, published, direction)
        if resolved is None:
            continue
        path = _ancestors(ent.root)
        if _distance(ent.root, trigger.token) > within:
            continue
        said = any(node.lemma_.lower() in lexicon.SPEECH_VERBS for node in path[1:4])
        if said and trigger.token not in path:
            if not expected:
                scored.append((1, _distance(ent.root, trigger.token), resolved[:4]))
            continue
        scored.append((0, _distance(ent.root, trigger.token), resolved))
    if not scored:
        return None
    return min(scored)[2]


def _quantity(sentence: Span, mention: Mention) -> Quantity | None:
    """The number of units of the system the sentence states: "four S-400 batteries",
    "five regiments of S-400", "26 Rafale M"; else, for aircraft, the one number of jets the
    sentence gives ("the tender for 27 deck-based fighter jets")."""
    anchor = mention.anchor
    head = _noun_head(anchor)
    counted = {anchor.i, head.i}
    if head.dep_ == "pobj" and head.head.lower_ == "of":
        counted.add(head.head.head.i)  # "five regiments of S-400"
    found = [q for token in sentence if (q := _counted(token, mention)) and token.head.i in counted]
    if found:
        return found[0]
    if mention.category == "aircraft":
        aircraft = {
            q for token in sentence
            if (q := _counted(token, mention)) and q.unit == "aircraft"
            and token.head.ent_type_ != SYSTEM
        }
        if len(aircraft) == 1:
            return aircraft.pop()
    return None


def _counted(token: Token, mention: Mention) -> Quantity | None:
    """The quantity a number token gives to the noun it modifies, if that noun is a unit."""
    if token.dep_ not in {"nummod", "amod"} or token.i > token.head.i:
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


def _own_value(sentence: Span, mention: Mention) -> Money | None:
    """The amount of money the sentence states for this system: the only system named, or
    the one nearest to the amount."""
    found = _money(sentence)
    if found is None:
        return None
    money, span = found
    anchors = [
        ent.root for ent in sentence.ents if ent.label_ == SYSTEM and ent.kb_id_ != mention.system
    ]
    mine = _distance(mention.anchor, span.root)
    if any(_distance(other, span.root) < mine for other in anchors):
        return None
    return money


def _value(sentence: Span) -> Money | None:
    """The first amount of money in the sentence."""
    found = _money(sentence)
    return found[0] if found else None


def _money(sentence: Span) -> tuple[Money, Span] | None:
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


# -- one event per fact -----------------------------------------------------------------------


def _share_terms(
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
                and _dates_compatible(other.date, event.date)
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


def _dates_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _merge_repeats(events: list[Event]) -> list[Event]:
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
        ]
        if not same:
            kept.append(event)
            continue
        first = kept[same[0]]
        kept[same[0]] = replace(
            first, quantity=first.quantity or event.quantity, value=first.value or event.value
        )
    return sorted(kept, key=lambda e: e.evidence.start)
