"""spaCy component that marks weapon systems, countries, demonyms and organisations.

Entities carry their canonical key in ``kb_id_``: the system's family name for SYSTEM, the ISO3
code for COUNTRY, DEMONYM, FIRM and FORCE (an armed service). They replace overlapping entities
of the statistical NER, whose DATE, MONEY, CARDINAL and other spans are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from armswatch.nlp.gazetteer import Gazetteer, load_gazetteer

SYSTEM, COUNTRY, DEMONYM, FIRM, FORCE = "SYSTEM", "COUNTRY", "DEMONYM", "FIRM", "FORCE"
OUR_LABELS = frozenset({SYSTEM, COUNTRY, DEMONYM, FIRM, FORCE})
# Entities that stand for a state: its name, its adjective, its firms and its armed services.
STATE_LABELS = frozenset({COUNTRY, DEMONYM, FIRM, FORCE})

# A designation not in the gazetteer: letters, a hyphen, digits, an optional variant suffix
# ("J-10C", "KJ-500"). Prefixes that are not weapons are excluded.
DESIGNATION = r"^[A-Z][A-Za-z]{0,3}-\d{1,4}[A-Z]{0,4}$"
YEAR_SUFFIX = re.compile(r"-(?:19|20)\d\d$")  # "Exercise-2023", "AIME-2023": events, not weapons
NOT_WEAPON_PREFIXES = frozenset(
    {
        "COVID",
        "Covid",
        "SARS",
        "G",
        "P",
        "Mk",
        "MK",
        "No",
        "Art",
        "Sec",
        "FY",
        "ISO",
        "MH",
        "Rs",
        "INR",
        "GSLV",
        "PSLV",
        "Chandrayaan",
        "Gaganyaan",
        "IS",
        "NH",
        "SH",
        "Rule",
        "I",
        "Ex",
    }
)


def _variants(surface: str) -> set[str]:
    """The written forms of a name that news uses: as given, plural, and upper-case codes."""
    forms = {surface, surface + "s"}
    if any(ch.isdigit() for ch in surface):
        forms |= {surface.upper(), surface.upper() + "s"}
    return forms


class GazetteerMatcher:
    """Finds gazetteer entries and unknown designations in a Doc and sets them as entities."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.caseless = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.keys: dict[str, tuple[str, str]] = {}
        self.patterns = Matcher(nlp.vocab)
        self.patterns.add("DESIGNATION", [[{"TEXT": {"REGEX": DESIGNATION}}]])
        for system in gazetteer.systems:
            self._add(nlp, SYSTEM, system.canonical, (system.canonical, *system.aliases))
        for country in gazetteer.countries:
            names = (country.name, *country.aliases, *country.capitals)
            self._add(nlp, COUNTRY, country.iso3, names)
            self._add(nlp, DEMONYM, country.iso3, country.demonyms)
        for org in gazetteer.organisations:
            label = FORCE if org.kind == "military" else FIRM
            self._add(nlp, label, org.iso3 or "", (org.name, *org.aliases))

    def _add(self, nlp: Language, label: str, key: str, surfaces: Iterable[str]) -> None:
        match_id = f"{label}:{key}"
        self.keys[match_id] = (label, key)
        exact: list[Doc] = []
        caseless: list[Doc] = []
        for surface in surfaces:
            # Names with digits or several words are specific enough to match in any case;
            # single words ("Rafale", "Spike") only as written, or they would match common words.
            specific = any(ch.isdigit() for ch in surface) or " " in surface
            for form in _variants(surface) if label == SYSTEM else {surface}:
                (caseless if specific and label == SYSTEM else exact).append(nlp.make_doc(form))
        if exact:
            self.exact.add(match_id, exact)
        if caseless:
            self.caseless.add(match_id, caseless)

    def names_a_system(self, doc: Doc) -> bool:
        """True when the tokens name a weapon system of the gazetteer or a designation.

        Works on a tokenized Doc alone (``nlp.make_doc``), so it is cheap; it answers True for
        every Doc in which this component would mark a SYSTEM entity, and events need one.
        """
        for matcher in (self.exact, self.caseless):
            for match_id, _, _ in matcher(doc):
                if self.keys[doc.vocab.strings[match_id]][0] == SYSTEM:
                    return True
        return any(_may_be_a_weapon(doc[start].text) for _, start, _ in self.patterns(doc))

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for matcher in (self.exact, self.caseless):
            for match_id, start, end in matcher(doc):
                label, key = self.keys[doc.vocab.strings[match_id]]
                spans.append(Span(doc, start, end, label=label, kb_id=key))
        known = {i for span in spans for i in range(span.start - 1, span.end + 1)}
        for _, start, end in self.patterns(doc):
            token = doc[start]
            if start in known or not _may_be_a_weapon(token.text):
                continue  # a variant code of a known system, or not a weapon ("AIME-2023")
            spans.append(Span(doc, start, end, label=SYSTEM, kb_id=designation_family(token.text)))
        ours = filter_spans(spans)
        taken = {i for span in ours for i in range(span.start, span.end)}
        kept = [ent for ent in doc.ents if not any(i in taken for i in range(ent.start, ent.end))]
        doc.ents = sorted([*ours, *kept], key=lambda span: span.start)
        return doc


def _may_be_a_weapon(designation: str) -> bool:
    """A designation-shaped word whose prefix and suffix do not rule out a weapon."""
    prefix = designation.split("-", 1)[0]
    return prefix not in NOT_WEAPON_PREFIXES and not YEAR_SUFFIX.search(designation)


def designation_family(designation: str) -> str:
    """Return the family of an unknown designation: "J-10C" -> "J-10", "KJ-500" -> "KJ-500"."""
    match = re.match(r"^([A-Za-z]+-\d+)", designation)
    return match.group(1) if match else designation


@Language.factory("armswatch_gazetteer")
def make_gazetteer_matcher(nlp: Language, name: str) -> GazetteerMatcher:
    """Create the gazetteer entity component (place it after "ner")."""
    return GazetteerMatcher(nlp, load_gazetteer())


SENTENCE_ENDS = frozenset({".", "!", "?", '"', "”", "’", "'", ":", ";", ")", "…"})


@Language.component("armswatch_sentence_guard")
def sentence_guard(doc: Doc) -> Doc:
    """Keep the parser from starting a sentence where the text has no sentence end: news
    sentences end with punctuation or a paragraph break ("at the Aero India 2023 Airshow" is
    one sentence). Place before "parser"."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        ends_line = previous.is_space or "\n" in previous.whitespace_
        if previous.text[-1] not in SENTENCE_ENDS and not ends_line:  # "Rafale M. Boeing"
            token.is_sent_start = False
    return doc
