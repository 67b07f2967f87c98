"""Tests for armswatch.clean.decode: bytes to text, whatever charset a page was saved in."""

from __future__ import annotations

import codecs

import pytest

from armswatch.clean.decode import decode, guess_single_byte

SPANISH = "El señor Müller dijo que la Força Aérea recibió seis cazas F-16 en marzo."
RUSSIAN = (
    "Россия поставила Индии зенитные ракетные комплексы С-400 в декабре 2021 года. "
    "Контракт на сумму 5,43 млрд долларов был подписан в октябре 2018 года."
)
POLISH = "Minister Błaszczak said the K2 tanks “would arrive this year” — a first for Poland."


def test_utf8_is_read_as_utf8() -> None:
    assert decode(POLISH.encode("utf-8")) == POLISH


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_a_byte_order_mark_decides(codec: str) -> None:
    assert decode(POLISH.encode(codec)) == POLISH


def test_latin1_without_a_charset_is_read_as_windows_1252() -> None:
    assert decode(SPANISH.encode("latin-1")) == SPANISH
    quoted = "The minister said the deal was “done” – for now."
    assert decode(quoted.encode("cp1252")) == quoted


def test_windows_1251_without_a_charset_is_read_as_cyrillic() -> None:
    assert guess_single_byte(RUSSIAN.encode("cp1251")) == "cp1251"
    assert decode(RUSSIAN.encode("cp1251")) == RUSSIAN


def test_a_declared_charset_is_used() -> None:
    page = f'<html><head><meta charset="windows-1251"></head><body>{RUSSIAN}</body></html>'
    assert RUSSIAN in decode(page.encode("cp1251"), html=True)
    assert decode(RUSSIAN.encode("koi8_r"), declared="koi8-r") == RUSSIAN
    equiv = ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
             f"<p>{SPANISH}</p>")
    assert SPANISH in decode(equiv.encode("latin-1"), html=True)


def test_valid_utf8_beats_a_wrong_single_byte_declaration() -> None:
    page = f'<meta charset="iso-8859-1"><p>{POLISH}</p>'
    assert POLISH in decode(page.encode("utf-8"), html=True)


def test_an_unknown_or_wrong_declaration_falls_back_to_the_guess() -> None:
    assert decode(SPANISH.encode("latin-1"), declared="x-no-such-charset") == SPANISH
    assert decode(SPANISH.encode("latin-1"), declared="utf-8") == SPANISH


def test_utf8_with_a_few_broken_bytes_keeps_its_good_characters() -> None:
    data = POLISH.encode("utf-8").replace(b"tanks", b"ta\xff\xfenks")
    text = decode(data)
    assert "Błaszczak" in text and "“would arrive this year”" in text
    assert "\ufffd" in text and "ta" in text


def test_any_bytes_decode_to_a_string() -> None:
    for data in (bytes(range(256)), b"\x80" * 10, b"", codecs.BOM_UTF16_LE + b"\x00"):
        assert isinstance(decode(data), str)
