"""A rough language guess for an article's text, by stopword share and script."""

from __future__ import annotations

import re

from armswatch.clean.patterns import EN_STOPWORDS, WORD, wordset

_OTHER_STOPWORDS: dict[str, frozenset[str]] = {
    "de": wordset("der die das und ist nicht mit den von zu ein eine auf für sich dem des im"),
    "fr": wordset("le la les et des est une pour dans que qui sur pas par au du avec plus"),
    "es": wordset("el la los las y que de en un una por con para es del se al como"),
    "pt": wordset("o a os as e que de em um uma para com não do da dos das se por"),
    "it": wordset("il la le e che di un una per con non del della sono gli si al"),
    "id": wordset("yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke"),
}

_SCRIPTS = (
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
)


def detect_language(text: str) -> str | None:
    """Guess the language of ``text``: "en" by English stopword share, else a rough guess."""
    sample = text[:20000]
    tokens = [t.lower() for t in WORD.findall(sample)]
    if len(tokens) >= 5 and sum(t in EN_STOPWORDS for t in tokens) / len(tokens) >= 0.2:
        return "en"
    letters = max(1, sum(ch.isalpha() for ch in sample))
    for code, script in _SCRIPTS:
        if len(script.findall(sample)) / letters >= 0.2:
            if code == "zh" and _SCRIPTS[1][1].search(sample):
                return "ja"
            return code
    if len(tokens) < 5:
        return None
    best, share = None, 0.12
    for code, words in _OTHER_STOPWORDS.items():
        s = sum(t in words for t in tokens) / len(tokens)
        if s > share:
            best, share = code, s
    if best is None and sum(t in EN_STOPWORDS for t in tokens) / len(tokens) >= 0.12:
        return "en"
    return best
