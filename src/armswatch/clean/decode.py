"""Bytes to text, for pages saved without a charset or with a wrong one.

The order: a byte-order mark; valid UTF-8 (bytes that are not UTF-8 almost never pass as it);
the charset the page or its HTTP header declares; UTF-8 with a few broken bytes; and last a
single-byte code page guessed from the bytes: Windows-1252 for Latin-script text (English
with a few accents, French, Portuguese), or the likeliest Cyrillic, Greek, Hebrew or Arabic
code page when most letters are not ASCII.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark it begins with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_HEAD_BYTES = 8192
_SAMPLE_BYTES = 65536
_ASCII_LETTER = re.compile(rb"[A-Za-z]")
# single-byte code pages of scripts that are not Latin, for the guesser to choose among
_NON_LATIN_PAGES = ["cp1251", "koi8_r", "iso8859_5", "cp1253", "cp1255", "cp1256"]


def decode(content: bytes, declared: str | None = None, html: bool = False) -> str:
    """Return ``content`` as text. ``declared`` is a charset from outside the bytes (an HTTP
    header); with ``html``, a ``<meta charset>`` in the page counts as declared too."""
    for mark, bom_codec in _BOMS:
        if content.startswith(mark):
            return content.decode(bom_codec, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declarations = (declared, _meta_charset(content) if html else None)
    for codec in map(_codec, declarations):
        if codec and codec != "utf-8":
            try:
                return content.decode(codec)
            except (UnicodeError, LookupError):
                pass  # a wrong declaration: guess
    lenient = content.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    non_ascii = len(lenient) - len(lenient.encode("ascii", "ignore"))
    if non_ascii - broken > broken:
        return lenient  # UTF-8 with a few damaged bytes
    return content.decode(guess_single_byte(content), errors="replace")


def guess_single_byte(content: bytes) -> str:
    """Guess the single-byte code page of text that is not UTF-8."""
    sample = content[:_SAMPLE_BYTES]
    high = sum(byte >= 0x80 for byte in sample)
    if high <= 0.3 * (high + len(_ASCII_LETTER.findall(sample))):
        return "cp1252"  # Latin script: a few accented letters among ASCII ones
    import charset_normalizer

    best = charset_normalizer.from_bytes(sample, cp_isolation=_NON_LATIN_PAGES).best()
    return best.encoding if best else "cp1252"


def _meta_charset(content: bytes) -> str | None:
    match = _META_CHARSET.search(content[:_HEAD_BYTES])
    return match.group(1).decode("ascii", errors="replace") if match else None


def _codec(charset: str | None) -> str | None:
    """The Python codec of a declared charset, or None for a name Python does not know."""
    if not charset:
        return None
    try:
        info = codecs.lookup(charset.strip().strip("\"'"))
    except LookupError:
        return None
    if not info._is_text_encoding:  # base64, hex, rot13, zlib: bytes-to-bytes, not a charset
        return None
    name = info.name
    # pages that declare Latin-1 are written in Windows-1252, as browsers assume
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name
