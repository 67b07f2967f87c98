"""Candidates: every weapon system an article mentions, sentence by sentence, with the states
that could supply or receive it.

This stage is about recall: the learned extractor (``armswatch.learn``) decides which
candidates are events, of what type, and which state receives and which supplies. A mention is
a gazetteer entry or an unknown designation (SYSTEM entities), a generic description ("air
defence systems", "jet engine technology", "submarines"), or a definite noun that refers back to
the system just talked about ("the deal", "the jets"). Its candidate states are those named in
its sentence and the sentences around it, in the title, the article's home state and the
system's state of origin.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from armswatch.nlp import lexicon
from armswatch.nlp.entities import FORCE, STATE_LABELS, SYSTEM
from armswatch.nlp.gazetteer import Gazetteer, load_generic_descriptions

# How many sentences before and after a mention may name its parties.
NEIGHBOURHOOD = 3

# Systems of Soviet design may have been supplied by the Soviet Union, which news names
# "Russia" as often as not; annotators record those transfers with the supplier SUN.
SOVIET_UNION = "SUN"
SOVIET_SUCCESSORS = frozenset({"RUS", "UKR"})

# Head nouns (lemmas) of a generic description of a weapon ("two submarines", "fighter jets").
WEAPON_NOUNS = frozenset(
    {
        "submarine", "jet", "fighter", "aircraft", "helicopter", "chopper", "drone", "uav",
        "tank", "howitzer", "gun", "artillery", "missile", "torpedo", "munition", "radar",
        "vessel", "ship", "warship", "frigate", "corvette", "destroyer", "carrier", "vehicle",
        "rifle", "carbine", "launcher", "interceptor", "bomber", "tanker", "trainer",
        "minesweeper", "craft", "rocket", "ammunition", "shell", "sonar", "seeker",
    }
)
# Heads that name a weapon only with a weapon word before them ("jet engine technology",
# "air defence systems", "marine gas turbine engines"), never alone ("the system").
QUALIFIED_NOUNS = frozenset({"system", "technology", "engine", "equipment", "platform", "weapon"})
WEAPON_QUALIFIERS = WEAPON_NOUNS | frozenset(
    {
        "defence", "defense", "air", "engine", "propulsion", "nuclear", "turbine", "naval",
        "military", "anti", "tank", "missile", "weapon", "counter", "surveillance", "combat",
        "armoured", "armored", "strike", "attack", "gas", "air-defence", "air-defense",
    }
)
# Nouns for a deal or programme, which a weapon word before them may describe.
DEAL_NOUNS = frozenset(
    {"deal", "program", "programme", "project", "tender", "contract", "order", "requirement",
     "purchase", "acquisition", "offer", "competition", "bid"}
)
# Words that open a noun phrase without describing the weapon ("the new", "more", "two").
NOT_DESCRIPTIVE = frozenset(
    {
        "new", "more", "additional", "further", "several", "other", "such", "many", "some",
        "first", "second", "latest", "remaining", "existing", "own", "same", "few", "all",
        "any", "each", "both", "various", "numerous", "total", "extra",
    }
)


@dataclass(frozen=True)
class SystemMention:
    """A weapon system named in a sentence: token offsets into the Doc, the system's name
    (canonical, or the words of a generic description), how it was found (``listed``,
    ``designation``, ``generic``, ``referred`` back to by a noun, or only in ``context``), its
    state of origin and its SIPRI category."""

    start: int
    end: int
    system: str
    kind: str
    origin: str | None
    category: str | None

    def as_dict(self) -> dict[str, Any]:
        """Return the mention as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class StateMention:
    """A state named in the article: its ISO3 code, the entity's token offsets and label."""

    iso3: str
    start: int
    end: int
    label: str

    def as_dict(self) -> dict[str, Any]:
        """Return the state mention as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Candidate:
    """A system mention in one sentence and the states that could take part in its event."""

    sentence: int  # index of the sentence in the article
    mention: SystemMention
    states: tuple[str, ...]  # ISO3 codes, nearest first

    def as_dict(self) -> dict[str, Any]:
        """Return the candidate as a JSON-ready dict."""
        return {"sentence": self.sentence, "mention": self.mention.as_dict(),
                "states": list(self.states)}


@dataclass(frozen=True)
class ArticleCandidates:
    """Every candidate of an article with what the features need: its sentences, the states
    each sentence names, the title's states and the home state."""

    doc: Doc
    published: str | None
    sentences: tuple[Span, ...]
    states_by_sentence: tuple[tuple[StateMention, ...], ...]
    title_states: tuple[str, ...]
    home: str | None
    state_counts: dict[str, int]
    candidates: tuple[Candidate, ...]


def article_candidates(
    doc: Doc, title: Doc | None, published: str | None, gazetteer: Gazetteer
) -> ArticleCandidates:
    """Return every system mention of an annotated article with its candidate states."""
    sentences = tuple(doc.sents)
    states_by_sentence = tuple(tuple(state_mentions(sentence)) for sentence in sentences)
    title_states = tuple(dict.fromkeys(s.iso3 for s in state_mentions(title[:]))) if title else ()
    counts: Counter[str] = Counter()
    for states in states_by_sentence:
        for state in states:
            counts[state.iso3] += 2 if state.label == FORCE else 1
    for iso3 in title_states:
        counts[iso3] += 2
    home = counts.most_common(1)[0][0] if counts else None
    found: list[Candidate] = []
    recent: list[SystemMention] = []
    for index, sentence in enumerate(sentences):
        mentions = system_mentions(sentence, gazetteer)
        if not mentions and recent and states_by_sentence[index]:
            # a sentence about parties that names no system is about the one just named
            mentions = referred_back(sentence, recent[0]) or [_in_context(sentence, recent[0])]
        for mention in mentions:
            parties = _candidate_states(index, mention, states_by_sentence, title_states, home)
            found.append(Candidate(index, mention, parties))
        named = [m for m in mentions if m.kind not in {"referred", "context"}]
        if named:
            recent = named + recent[:4]
    return ArticleCandidates(
        doc, published, sentences, states_by_sentence, title_states, home, dict(counts),
        tuple(found),
    )


def _candidate_states(
    index: int,
    mention: SystemMention,
    states_by_sentence: tuple[tuple[StateMention, ...], ...],
    title_states: tuple[str, ...],
    home: str | None,
) -> tuple[str, ...]:
    """The states near a mention, nearest sentence first, then title, home and origin."""
    order: list[str] = []
    for distance in range(NEIGHBOURHOOD + 1):
        for near in {index - distance, index + distance}:
            if 0 <= near < len(states_by_sentence):
                order.extend(state.iso3 for state in states_by_sentence[near])
    order.extend(title_states)
    if home:
        order.append(home)
    if mention.origin:
        order.append(mention.origin)
    if mention.origin in SOVIET_SUCCESSORS:
        order.append(SOVIET_UNION)
    return tuple(dict.fromkeys(order))


def state_mentions(span: Span) -> list[StateMention]:
    """Return the states a span names: countries, demonyms, firms and armed services."""
    return [
        StateMention(ent.kb_id_, ent.start, ent.end, ent.label_)
        for ent in span.ents
        if ent.label_ in STATE_LABELS and ent.kb_id_
    ]


def system_mentions(sentence: Span, gazetteer: Gazetteer) -> list[SystemMention]:
    """Return the systems a sentence names: SYSTEM entities, then generic descriptions of a
    weapon that overlap none of them."""
    found: list[SystemMention] = []
    taken: set[int] = set()
    for ent in sentence.ents:
        if ent.label_ != SYSTEM:
            continue
        known = gazetteer.system(ent.kb_id_)
        found.append(
            SystemMention(
                ent.start, ent.end, known.canonical if known else ent.kb_id_,
                "listed" if known else "designation",
                known.origin if known else None, known.category if known else None,
            )
        )
        taken.update(range(ent.start, ent.end))
    for chunk in sentence.noun_chunks:
        if taken.intersection(range(chunk.start, chunk.end)):
            continue
        generic = generic_description(chunk)
        if generic is not None:
            found.append(generic)
    return sorted(found, key=lambda mention: mention.start)


def generic_description(chunk: Span) -> SystemMention | None:
    """A noun phrase that describes a weapon without naming it ("two Scorpene-like
    submarines" is named; "six conventional submarines" is generic): its descriptive words,
    or the name the generic table gives them. A deal named by its weapon ("the submarine
    deal") describes that weapon."""
    root = chunk.root
    if root.pos_ not in {"NOUN", "PROPN"}:
        return None
    words = [token for token in chunk if token.i <= root.i and _descriptive(token)]
    if not words or words[-1].i != root.i:
        return None
    if root.lemma_.lower() in DEAL_NOUNS and len(words) > 1:
        words = words[:-1]  # "the submarine deal", "the fighter jet programme"
        if words[-1].dep_ != "compound":
            return None
    last = words[-1]
    lemma = last.lemma_.lower()
    descriptions = load_generic_descriptions()
    for first in range(len(words)):  # the longest description the table knows
        key = " ".join([*(token.lower_ for token in words[first:-1]), lemma])
        known = descriptions.get(key)
        if known:
            return SystemMention(words[first].i, last.i + 1, known, "generic", None, None)
        if words[first].pos_ != "ADJ":
            break  # "tank engines" is not "engines": only adjectives may be left out
    qualifiers = {token.lemma_.lower() for token in words[:-1]} | {
        part for token in words[:-1] for part in token.lower_.split("-")
    }
    if lemma not in WEAPON_NOUNS and not (
        lemma in QUALIFIED_NOUNS and qualifiers & WEAPON_QUALIFIERS
    ):
        return None
    text = chunk.doc[words[0].i : last.i + 1].text
    return SystemMention(words[0].i, last.i + 1, text, "generic", None, None)


def _descriptive(token: Token) -> bool:
    return not (
        token.pos_ in {"DET", "NUM", "PRON", "PART", "PUNCT", "SYM", "ADV", "CCONJ"}
        or token.dep_ in {"poss", "case", "predet", "nummod", "quantmod"}
        or token.ent_type_ in STATE_LABELS
        or token.lower_ in NOT_DESCRIPTIVE
        or token.like_num
    )


def _in_context(sentence: Span, previous: SystemMention) -> SystemMention:
    root = sentence.root
    return SystemMention(
        root.i, root.i + 1, previous.system, "context", previous.origin, previous.category
    )


def referred_back(sentence: Span, previous: SystemMention) -> list[SystemMention]:
    """A definite noun ("the deal", "these jets") that stands for the system just named."""
    for token in sentence:
        if (
            token.lemma_.lower() in lexicon.ANAPHORA_NOUNS
            and token.pos_ == "NOUN"
            and any(child.lower_ in lexicon.DETERMINERS for child in token.children)
        ):
            return [
                SystemMention(
                    token.i, token.i + 1, previous.system, "referred",
                    previous.origin, previous.category,
                )
            ]
    return []
