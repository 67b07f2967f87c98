"""Which date belongs to an event: the options a sentence offers and what says which is right.

An event's options are every date the sentence states (resolved against the page's
publication date, towards the future for expected events), the date the rules' resolver picks
(``armswatch.extract.terms.event_date``, which keeps a report's "said on Tuesday" at the
year's precision), the publication month (news dates ongoing talks and fresh handovers by the
report) and no date at all. A ranker trained on the annotated events scores each option; the
best one is the event's date. The features are general statements about how news dates a step
(the preposition that introduces the date, where it hangs in the parse relative to the event's
word, how far it lies from the report, the tense of the event's verb), never one sentence's
words.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from armswatch.extract.context import Trigger
from armswatch.nlp import lexicon
from armswatch.nlp.dates import Direction, resolve_date
from armswatch.nlp.syntax import clause_verb, distance, path_up

Features = dict[str, float]
NO_DATE = ""  # the option "the text gives no date for this event"


@dataclass(frozen=True)
class DateOption:
    """One date an event may carry, with where it comes from."""

    value: str  # an ISO date (YYYY, YYYY-MM, YYYY-MM-DD) or NO_DATE
    sources: tuple[str, ...]  # "stated", "rules", "published", "none"
    entity: Span | None = None  # the sentence's date phrase, for a stated date


def date_options(
    sentence: Span, published: str | None, expected: bool, rules_date: str | None
) -> list[DateOption]:
    """The dates an event stated in ``sentence`` may carry, one option per distinct value."""
    direction: Direction = "future" if expected else "past"
    found: dict[str, tuple[list[str], Span | None]] = {}
    for ent in sentence.ents:
        if ent.label_ != "DATE":
            continue
        resolved = resolve_date(ent.text, published, direction)
        if resolved and resolved not in found:
            found[resolved] = (["stated"], ent)
    if rules_date:
        found.setdefault(rules_date, ([], None))[0].append("rules")
    if published and len(published) >= 7:
        found.setdefault(published[:7], ([], None))[0].append("published")
    found.setdefault(NO_DATE, ([], None))[0].append("none")
    return [DateOption(value, tuple(sources), ent) for value, (sources, ent) in found.items()]


def date_features(
    option: DateOption,
    sentence: Span,
    trigger: Trigger | None,
    event_type: str,
    expected: bool,
    published: str | None,
) -> Features:
    """What says whether ``option`` is the date of an event of ``event_type`` whose word is
    ``trigger``."""
    f: Features = {"bias": 1.0}
    status = "expected" if expected else "happened"
    dates_here = sum(1 for ent in sentence.ents if ent.label_ == "DATE")
    f[f"dates_in_sentence={min(dates_here, 3)}"] = 1
    for source in option.sources:
        f[f"source={source}"] = 1
        f[f"source={source}:type={event_type}"] = 1
        f[f"source={source}:status={status}"] = 1
        f[f"source={source}:dates={min(dates_here, 2)}"] = 1
    if option.value:
        precision = ("year", "month", "day")[min(option.value.count("-"), 2)]
        f[f"precision={precision}"] = 1
        f[f"age={_age(option.value, published)}"] = 1
        f[f"age={_age(option.value, published)}:status={status}"] = 1
    token = trigger.token if trigger is not None else None
    if token is not None:
        _tense_features(f, option, token, event_type)
    if option.entity is not None:
        _stated_features(f, option.entity, token, event_type)
    return f


def _age(value: str, published: str | None) -> str:
    """How far a date lies from the report: "past" (two years or more before), "recent"
    (the year before or the same year, before the report's month), "now" (the report's month),
    "future"."""
    if not published or not published[:4].isdigit():
        return "unknown"
    year, pub_year = int(value[:4]), int(published[:4])
    if year < pub_year - 1:
        return "past"
    if year > pub_year:
        return "future"
    if len(value) >= 7 and value[:7] == published[:7]:
        return "now"
    if year == pub_year and len(value) >= 7 and value[:7] > published[:7]:
        return "future"
    return "recent"


def _tense_features(f: Features, option: DateOption, token: Token, event_type: str) -> None:
    """The event's verb: present, perfect or past tense, "recently", a report's verb."""
    verb = clause_verb(token)
    tag = verb.tag_
    auxes = {child.lower_ for child in verb.children if child.dep_ in {"aux", "auxpass"}}
    perfect = bool(auxes & {"has", "have"})
    tense = "perfect" if perfect else "past" if tag == "VBD" else (
        "present" if tag in {"VBZ", "VBP", "VBG"} else "other")
    recent = any(child.lower_ in lexicon.RECENTLY for child in verb.children)
    reported = verb.head.lemma_.lower() in lexicon.SPEECH_VERBS
    for source in option.sources:
        f[f"source={source}:tense={tense}"] = 1
        f[f"source={source}:tense={tense}:type={event_type}"] = 1
        if recent:
            f[f"source={source}:recently"] = 1
        if reported:
            f[f"source={source}:reported"] = 1


def _stated_features(f: Features, ent: Span, trigger: Token | None, event_type: str) -> None:
    """Where a stated date hangs in the parse, relative to the event's word."""
    root = ent.root
    head = root.head
    if head.pos_ == "ADP":
        f[f"prep={head.lower_}"] = 1
        f[f"prep={head.lower_}:type={event_type}"] = 1
        governor = head.head
    else:
        f[f"date_dep={root.dep_}"] = 1
        governor = head
    f["relative_phrase"] = float(not any(token.like_num for token in ent))
    f["said_on"] = float(governor.lemma_.lower() in lexicon.SPEECH_VERBS)
    if trigger is None:
        f["stated:no_trigger"] = 1
        return
    above = {node.i for node in path_up(trigger)}
    f["governs_trigger_clause"] = float(governor.i in above)
    f["governed_by_trigger"] = float(governor.i == trigger.i)
    f[f"tree_distance={min(distance(root, trigger), 6)}"] = 1
    f["before_trigger"] = float(root.i < trigger.i)
    f["token_distance"] = min(abs(root.i - trigger.i), 30) / 30
