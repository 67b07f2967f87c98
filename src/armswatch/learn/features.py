"""Features of candidates for the learned extractor: general statements about how news reports
a transfer (the trigger words and their type, modality, the parse around the system, where
each state is named and what role the rules give it), never the words of one sentence.

A ``View`` is what the features of one candidate see: its sentence, the token that stands for
the system, the trigger that governs it and the events the rules state for it there.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from armswatch.candidates import SOVIET_UNION, ArticleCandidates, Candidate, StateMention
from armswatch.extract import governing_trigger, modality
from armswatch.extract.context import Mention, Trigger
from armswatch.extract.roles import role_of
from armswatch.extract.triggers import find_triggers, in_competition
from armswatch.model import Event
from armswatch.nlp import lexicon
from armswatch.nlp.entities import SYSTEM
from armswatch.nlp.syntax import clause_verb, distance, path_up

Features = dict[str, float]
NULL_STATE = "<none>"  # the supplier choice "the text does not say"
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
SOVIET_END = 1992  # the first year of Russia's own exports
SOVIET_DECADE = re.compile(r"(?:\b19|['’‘]|\b)[5-8]0s\b")
SOVIET_WORD = re.compile(r"\b(?:Soviet|USSR|U\.S\.S\.R)", re.IGNORECASE)
FUTURE_WORDS = frozenset({"will", "shall", "plan", "expect", "likely", "soon", "next", "upcoming"})


@dataclass(frozen=True)
class View:
    """One candidate as its features see it."""

    candidate: Candidate
    sentence: Span
    anchor: Token
    mention: Mention
    triggers: tuple[Trigger, ...]
    trigger: Trigger | None
    rules: tuple[Event, ...]  # events the rules state in this sentence for this system
    rules_elsewhere: tuple[Event, ...]  # events the rules state for this system on the page


def views(
    article: ArticleCandidates, rule_events: Iterable[Event], canonical: dict[str, str]
) -> list[View]:
    """Return a View of each candidate of an article. ``canonical`` maps the rules' system
    names to the candidates' names (they are the same for gazetteer systems)."""
    starts = [sentence.start_char for sentence in article.sentences]
    by_sentence: dict[tuple[int, str], list[Event]] = {}
    by_system: dict[str, list[Event]] = {}
    for event in rule_events:
        index = sentence_at(starts, event.evidence.start)
        system = canonical.get(event.system, event.system)
        by_sentence.setdefault((index, system), []).append(event)
        by_system.setdefault(system, []).append(event)
    triggers_of: dict[int, tuple[Trigger, ...]] = {}
    found = []
    for candidate in article.candidates:
        sentence = article.sentences[candidate.sentence]
        if candidate.sentence not in triggers_of:
            triggers_of[candidate.sentence] = tuple(find_triggers(sentence))
        triggers = triggers_of[candidate.sentence]
        m = candidate.mention
        anchor = article.doc[m.start : m.end].root
        mention = Mention(anchor, m.system, m.origin, m.category, m.kind == "listed")
        trigger = governing_trigger(mention, list(triggers)) if triggers else None
        found.append(
            View(
                candidate, sentence, anchor, mention, triggers, trigger,
                tuple(by_sentence.get((candidate.sentence, m.system), ())),
                tuple(by_system.get(m.system, ())),
            )
        )
    return found


def sentence_at(starts: list[int], char: int) -> int:
    """The index of the sentence (by its start offsets) that holds a character offset."""
    return max(0, bisect_right(starts, char) - 1)


def event_features(article: ArticleCandidates, view: View) -> Features:
    """What says whether a candidate states an event, and of which type and status."""
    f: Features = {"bias": 1.0}
    m = view.candidate.mention
    sentence, anchor = view.sentence, view.anchor
    f[f"kind={m.kind}"] = 1
    f[f"category={m.category or 'none'}"] = 1
    f["origin_known"] = float(m.origin is not None)
    f["origin_is_home"] = float(m.origin is not None and m.origin == article.home)
    f[f"dep={anchor.dep_}"] = 1
    f[f"head={anchor.head.lemma_.lower()}"] = 1
    for depth, node in enumerate(path_up(anchor)[1:4]):
        f[f"up={node.lemma_.lower()}"] = 1
        if depth == 0:
            f[f"up1dep={node.dep_}"] = 1
    for trigger in view.triggers:
        f[f"sent_trigger={trigger.type}"] = 1
        f[f"sent_lemma={trigger.token.lemma_.lower()}"] = 1
    f["triggers"] = min(len(view.triggers), 4) / 4
    if view.trigger is not None:
        _trigger_features(f, view.trigger, anchor)
    else:
        f["no_trigger"] = 1
    for event in view.rules:
        f[f"rule={event.type}"] = 1
        f[f"rule={event.type}:{event.status}"] = 1
    for event in view.rules_elsewhere:
        f[f"rule_page={event.type}"] = 1
    if not view.rules and view.rules_elsewhere:
        f["rule_other_sentence"] = 1
    systems = sum(1 for ent in sentence.ents if ent.label_ == SYSTEM)
    f[f"systems={min(systems, 3)}"] = 1
    f["in_list"] = float(anchor.dep_ == "conj" or any(c.dep_ == "conj" for c in anchor.children))
    states = article.states_by_sentence[view.candidate.sentence]
    f[f"states={min(len({s.iso3 for s in states}), 3)}"] = 1
    f["competition"] = float(in_competition(sentence))
    f[f"position={_position(view.candidate.sentence)}"] = 1
    labels = {ent.label_ for ent in sentence.ents}
    for label in ("DATE", "MONEY", "CARDINAL"):
        f[f"has_{label}"] = float(label in labels)
    _year_features(f, sentence.text, article)
    lemmas = {token.lemma_.lower() for token in sentence}
    f["future_word"] = float(bool(lemmas & FUTURE_WORDS))
    f["modal"] = float(bool(lemmas & lexicon.MODALS))
    f["negation"] = float(any(token.dep_ == "neg" for token in sentence))
    for token in sentence:
        if token.pos_ == "VERB":
            f[f"verb={token.lemma_.lower()}"] = 1
    return f


def _trigger_features(f: Features, trigger: Trigger, anchor: Token) -> None:
    token = trigger.token
    f[f"trigger={trigger.type}"] = 1
    f[f"trigger_lemma={token.lemma_.lower()}"] = 1
    f[f"trigger_pos={token.pos_}"] = 1
    f[f"trigger_tag={token.tag_}"] = 1
    f["trigger_distance"] = min(distance(token, anchor), 8) / 8
    f["trigger_sought"] = float(trigger.sought_by is not None)
    f["trigger_negated"] = float(modality.negated(token))
    f["trigger_irrealis"] = float(modality.irrealis(token))
    f["trigger_advice"] = float(modality.advice(token))
    f["trigger_expected"] = float(modality.expected(token))
    f["trigger_ongoing"] = float(modality.ongoing(token))
    f["trigger_modal"] = float(modality.modal(clause_verb(token)))
    f[f"trigger={trigger.type}:expected={modality.expected(token)}"] = 1


def _position(index: int) -> str:
    return "first" if index == 0 else "early" if index < 4 else "middle" if index < 12 else "late"


def _year_features(f: Features, text: str, article: ArticleCandidates) -> None:
    years = [int(year) for year in YEAR.findall(text)]
    published = _published_year(article)
    if not years:
        f["no_year"] = 1
    elif published is not None:
        f["year_past"] = float(any(year < published - 1 for year in years))
        f["year_recent"] = float(any(published - 1 <= year <= published for year in years))
        f["year_future"] = float(any(year > published for year in years))


def _published_year(article: ArticleCandidates) -> int | None:
    published = article.published
    return int(published[:4]) if published and published[:4].isdigit() else None


def party_features(
    article: ArticleCandidates, view: View, state: str, event_type: str, role: str
) -> Features:
    """What says whether ``state`` is the ``role`` ("recipient" or "supplier") of a candidate's
    event of ``event_type``."""
    f: Features = {"bias": 1.0}
    m = view.candidate.mention
    if state == NULL_STATE:
        f["null"] = 1
        f[f"null:kind={m.kind}"] = 1
        f["null:origin_known"] = float(m.origin is not None)
        f[f"null:type={event_type}"] = 1
        return f
    if state == SOVIET_UNION or state == m.origin:
        _era_features(f, article, view, "soviet" if state == SOVIET_UNION else "origin")
    if state == SOVIET_UNION:
        f[f"soviet:type={event_type}"] = 1
        return f
    where = _where(article, view, state)
    f[f"where={where}"] = 1
    f[f"where={where}:type={event_type}"] = 1
    f["is_origin"] = float(state == m.origin)
    f[f"is_origin:type={event_type}"] = float(state == m.origin)
    f["is_home"] = float(state == article.home)
    f["in_title"] = float(state in article.title_states)
    counts = sorted(article.state_counts.values(), reverse=True)
    count = article.state_counts.get(state, 0)
    f["page_rank1"] = float(bool(counts) and count == counts[0])
    f["page_share"] = count / max(1, sum(counts))
    f["order_in_states"] = min(view.candidate.states.index(state), 6) / 6
    for event in view.rules:
        if event.recipient == state:
            f["rule_recipient"] = 1
        if event.supplier == state:
            f["rule_supplier"] = 1
    for event in view.rules_elsewhere:
        if event.recipient == state:
            f["rule_page_recipient"] = 1
        if event.supplier == state:
            f["rule_page_supplier"] = 1
    here = [s for s in article.states_by_sentence[view.candidate.sentence] if s.iso3 == state]
    if here:
        _mention_features(f, article, view, here, event_type)
    return f


def _era_features(f: Features, article: ArticleCandidates, view: View, prefix: str) -> None:
    """Whether the candidate's sentence speaks of the Soviet era: a year before 1992, a decade
    ("the mid-'80s"), the word "Soviet"; or only of later years."""
    index = view.candidate.sentence
    text = view.sentence.text
    years = [int(year) for year in YEAR.findall(text)]
    f[f"{prefix}:soviet_year"] = float(any(year < SOVIET_END for year in years))
    f[f"{prefix}:later_year"] = float(any(year >= SOVIET_END for year in years))
    f[f"{prefix}:soviet_decade"] = float(bool(SOVIET_DECADE.search(text)))
    near = " ".join(
        article.sentences[i].text for i in range(max(0, index - 1), index + 2)
        if i < len(article.sentences)
    )
    f[f"{prefix}:soviet_word"] = float(bool(SOVIET_WORD.search(near)))


def _where(article: ArticleCandidates, view: View, state: str) -> str:
    index = view.candidate.sentence
    for gap in range(4):
        for near in (index - gap, index + gap):
            if 0 <= near < len(article.states_by_sentence) and any(
                s.iso3 == state for s in article.states_by_sentence[near]
            ):
                return "sentence" if gap == 0 else f"{'before' if near < index else 'after'}{gap}"
    if state in article.title_states:
        return "title"
    return "home" if state == article.home else "origin"


def _mention_features(
    f: Features, article: ArticleCandidates, view: View, here: list[StateMention],
    event_type: str,
) -> None:
    """Where the state is named in the candidate's sentence: its entity type, its place in the
    parse, and the role the rules' parse gives it."""
    doc = article.doc
    nearest = min(here, key=lambda s: abs(s.start - view.anchor.i))
    ent = doc[nearest.start : nearest.end]
    root = ent.root
    f[f"label={nearest.label}"] = 1
    f[f"state_dep={root.dep_}"] = 1
    head = root.head
    if root.dep_ == "pobj":
        f[f"prep={head.lower_}"] = 1
        f[f"prep={head.lower_}:type={event_type}"] = 1
    if root.dep_ in {"nsubj", "nsubjpass"}:
        f[f"subject:{root.dep_}:type={event_type}"] = 1
    f["before_system"] = float(root.i < view.anchor.i)
    f["token_distance"] = min(abs(root.i - view.anchor.i), 30) / 30
    f["modifies_system"] = float(head.i == view.anchor.i or root.i in _phrase(view.anchor))
    f["mentions_here"] = min(len(here), 3) / 3
    if view.trigger is not None:
        verb = clause_verb(view.trigger.token)
        role = role_of(ent, view.trigger, verb, view.mention)
        f[f"role={role}"] = 1
        f[f"role={role}:type={event_type}"] = 1
        f["tree_distance"] = min(distance(root, view.trigger.token), 8) / 8


def _phrase(anchor: Token) -> set[int]:
    return {token.i for token in anchor.subtree}
