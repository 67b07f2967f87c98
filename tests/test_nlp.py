"""Tests for armswatch.nlp: the spaCy pipeline with the gazetteer entity component."""

from __future__ import annotations

import pytest
from spacy.language import Language

from armswatch.nlp import Gazetteer, load_gazetteer, load_nlp
from armswatch.nlp.entities import designation_family
from armswatch.nlp.gazetteer import surface_key

# A designation invented for this test; test_invented_designation_is_not_in_the_gazetteer checks
# that it stays unknown.
INVENTED = "Zx-97"


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The armswatch pipeline (loaded once per process)."""
    return load_nlp()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """The shipped gazetteer."""
    return load_gazetteer()


def entities(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    """(text, label, kb_id) of every entity of ``text``."""
    return [(ent.text, ent.label_, ent.kb_id_) for ent in nlp(text).ents]


def test_gazetteer_component_runs_after_ner(nlp: Language) -> None:
    names = nlp.pipe_names
    assert "armswatch_gazetteer" in names
    assert names.index("armswatch_gazetteer") > names.index("ner")


def test_load_nlp_is_cached() -> None:
    assert load_nlp() is load_nlp()


@pytest.mark.parametrize(
    ("sentence", "entity"),
    [
        ("Turkey bought the S-400 Triumf from Russia.", ("S-400 Triumf", "SYSTEM", "S-400")),
        ("Turkey bought the SA-21 from Russia.", ("SA-21", "SYSTEM", "S-400")),
        ("The Indian Air Force flies the Su-30MKI.", ("Su-30MKI", "SYSTEM", "Su-30")),
        ("Boeing offered the F-18 E/F to India.", ("F-18 E/F", "SYSTEM", "F/A-18")),
        ("The Super Hornet is a carrier jet.", ("Super Hornet", "SYSTEM", "F/A-18")),
        ("Turkish officials met in Ankara.", ("Turkish", "DEMONYM", "TUR")),
        ("Turkish officials met in Ankara.", ("Ankara", "COUNTRY", "TUR")),
        ("Officials met in Turkey last week.", ("Turkey", "COUNTRY", "TUR")),
        ("Rosoboronexport signed the contract.", ("Rosoboronexport", "FIRM", "RUS")),
        ("The Indian Air Force flies the Su-30MKI.", ("Indian Air Force", "FORCE", "IND")),
        (
            "The Indian Army ordered launchers from Larsen & Toubro.",
            ("Larsen & Toubro", "FIRM", "IND"),
        ),
    ],
)
def test_gazetteer_entities_carry_their_key(
    nlp: Language, sentence: str, entity: tuple[str, str, str]
) -> None:
    assert entity in entities(nlp, sentence)


def test_invented_designation_is_not_in_the_gazetteer(gazetteer: Gazetteer) -> None:
    assert gazetteer.system(INVENTED) is None
    key = surface_key(INVENTED)
    for system in gazetteer.systems:
        assert all(surface_key(name) != key for name in (system.canonical, *system.aliases))


@pytest.mark.parametrize(
    ("written", "family"), [(INVENTED, INVENTED), (INVENTED + "B", INVENTED)]
)
def test_unknown_designation_is_a_system_with_its_family(
    nlp: Language, written: str, family: str
) -> None:
    found = entities(nlp, f"The army showed the {written} drone at the parade in Delhi.")
    assert (written, "SYSTEM", family) in found


@pytest.mark.parametrize(
    ("designation", "family"), [("J-10C", "J-10"), ("KJ-500", "KJ-500"), ("Zx-97AB", "Zx-97")]
)
def test_designation_family(designation: str, family: str) -> None:
    assert designation_family(designation) == family


@pytest.mark.parametrize(
    "sentence",
    [
        "The COVID-19 pandemic delayed the deliveries.",
        "Deliveries slowed during COVID-19 last year.",
        "The rule was set under Sec-12 of the act.",
    ],
)
def test_non_weapon_designations_are_no_system(nlp: Language, sentence: str) -> None:
    labels = [label for _, label, _ in entities(nlp, sentence)]
    assert "SYSTEM" not in labels


def test_statistical_entities_are_kept(nlp: Language) -> None:
    found = entities(
        nlp, "Poland signed a contract with South Korea in August 2022 worth $3.4 billion."
    )
    labels = {label for _, label, _ in found}
    assert {"COUNTRY", "DATE", "MONEY"} <= labels
    assert ("South Korea", "COUNTRY", "KOR") in found


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("S-400 Triumf", "S-400"),
        ("SA-21", "S-400"),
        ("s400", "S-400"),
        ("S 400", "S-400"),
        ("Su-30MKI", "Su-30"),
        ("F-18 E/F", "F/A-18"),
        ("Super Hornet", "F/A-18"),
        ("K2 Black Panther", "K2"),
        (INVENTED, INVENTED),  # unknown names come back unchanged
    ],
)
def test_canonical_system(gazetteer: Gazetteer, name: str, canonical: str) -> None:
    assert gazetteer.canonical_system(name) == canonical


def test_system_category_and_origin(gazetteer: Gazetteer) -> None:
    system = gazetteer.system("S-400 Triumf")
    assert system is not None
    assert (system.canonical, system.category, system.origin) == (
        "S-400", "air defence systems", "RUS"
    )


@pytest.mark.parametrize(
    ("iso3", "name"),
    [("TUR", "Turkey"), ("IND", "India"), ("KOR", "South Korea"), ("XYZ", "XYZ"), (None, "")],
)
def test_country_name(gazetteer: Gazetteer, iso3: str | None, name: str) -> None:
    assert gazetteer.country_name(iso3) == name


def test_the_parser_does_not_start_a_sentence_without_a_sentence_end(nlp: Language) -> None:
    doc = nlp(
        "The firm flew two jets at the Defence Expo 2024 Airshow making a pitch to buyers. "
        "The navy took note.\nNext Paragraph starts here"
    )
    assert [sentence.text.strip() for sentence in doc.sents] == [
        "The firm flew two jets at the Defence Expo 2024 Airshow making a pitch to buyers.",
        "The navy took note.",
        "Next Paragraph starts here",
    ]


def test_an_event_name_with_a_year_is_no_weapon(nlp: Language) -> None:
    doc = nlp("Two Indian ships will take part in AIME-2023 and in Exercise-2022 drills.")
    assert [ent.text for ent in doc.ents if ent.label_ == "SYSTEM"] == []
