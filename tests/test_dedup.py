"""Tests for armswatch.dedup: shingles, MinHash signatures, LSH band keys, the duplicate index.

The stories below are invented for these tests (names, figures and dates are made up).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from armswatch import dedup
from armswatch.dedup import (
    BANDS,
    NUM_PERM,
    ROWS,
    THRESHOLD,
    DuplicateIndex,
    Signature,
    is_duplicate,
    shingles,
    signature,
)

TANKS = (
    "Warsaw signed a contract on Tuesday for 96 more K2 main battle tanks from South Korea, "
    "the defence ministry said, in a deal worth about 4.1 billion dollars that includes "
    "training, spare parts and ammunition for the first five years. The tanks will be built by "
    "Hyundai Rotem in Changwon, with the first 24 vehicles due in Poland by the end of next "
    "year and the rest delivered in batches of twelve until 2029. Deputy minister Pawel Nowak "
    "told reporters that the new tanks would equip two armoured brigades in the east of the "
    "country, replacing T-72 tanks that were handed to Ukraine last spring. Under the agreement "
    "a Polish company in Gliwice will assemble part of a later batch and maintain the fleet, "
    "and engineers from both countries will work on a local variant with a new remote weapon "
    "station and a Polish radio suite. Seoul has become one of the largest arms suppliers to "
    "Europe since the war in Ukraine began, and officials said talks on a second package of "
    "howitzers and rocket launchers would resume next month. The opposition criticised the "
    "cost of the programme and asked for a parliamentary hearing on the financing, which relies "
    "on a loan from Korean export banks repayable over fifteen years."
)

# Same weapon, same countries, different facts: not the same report.
TANKS_LATER = (
    "The first shipment of K2 tanks bound for Poland left the port of Busan on Friday, South "
    "Korean officials said, after a delay of three weeks caused by a shortage of fire control "
    "computers at a subcontractor. Eighteen tanks and four recovery vehicles were loaded onto a "
    "cargo ship that is expected to reach Gdynia in early March, where crews trained in Korea "
    "during the winter will take them over. A spokesman for the armament agency in Warsaw said "
    "the delay would not affect the wider schedule and that penalties foreseen in the contract "
    "had not been applied. Polish soldiers have so far completed a ten week course at a "
    "training ground near Pocheon, firing live rounds and practising river crossings. The "
    "ministry plans to show the vehicles to the public during the national army day parade in "
    "August, together with Korean K9 howitzers that arrived in the autumn. Analysts note that "
    "Poland is now the largest foreign customer of the Korean defence industry, ahead of "
    "Australia and Norway, and that the local production line is still under negotiation."
)

FRIGATES = (
    "Jakarta has ordered two frigates from an Italian shipyard in a contract valued at 1.2 "
    "billion euros, the Indonesian defence ministry said on Monday, adding to a fleet renewal "
    "plan that has been repeatedly delayed by budget cuts. The ships, currently being completed "
    "for the Italian navy, will be transferred after modifications to their combat system and "
    "handed over within eighteen months, officials said. Indonesia will also receive a package "
    "of anti-ship missiles and a training programme for about three hundred sailors at La "
    "Spezia. Admiral Budi Santoso told parliament that the purchase was an interim solution "
    "while a domestic shipbuilder prepares to build larger vessels under licence from 2027. "
    "Critics said the navy already operates too many different ship classes and that spare "
    "parts would be costly. The contract was signed during a visit by the Italian defence "
    "minister to Jakarta, where both sides also discussed cooperation on submarines and "
    "maritime patrol aircraft. Payment will be spread over six years through an Italian export "
    "credit agency and commercial banks."
)

SITES = [
    "Baltic Defence Post",
    "Korea Arms Review",
    "Eastern Flank News",
    "Armour Weekly",
    "The Security Ledger",
]


def syndicated(story: str, site: str, byline: str, changes: dict[str, str] | None = None) -> str:
    """Return ``story`` as printed by ``site``: header, byline, a few changed words, links."""
    for old, new in (changes or {}).items():
        story = story.replace(old, new, 1)
    return "\n".join(
        [
            f"{site} | Home | Europe | Defence | Subscribe",
            byline,
            story,
            "Read more: Norway weighs new air defence buys; Army trials light drones",
            f"© 2024 {site}. All rights reserved.",
        ]
    )


def copies(story: str) -> list[str]:
    """Return five syndicated copies of ``story`` with different furniture and bylines."""
    bylines = [
        "By Staff Reporter, Warsaw",
        "Reuters",
        "By Anna Kowal | 12 March 2024",
        "Agency report",
        "By our correspondent in Seoul",
    ]
    edits = [
        {},
        {"said": "announced"},
        {"Tuesday": "Tuesday evening"},
        {"about": "roughly", "the first": "an initial"},
        {"reporters": "journalists"},
    ]
    return [syndicated(story, s, b, e) for s, b, e in zip(SITES, bylines, edits, strict=True)]


def test_story_lengths_are_article_like() -> None:
    for story in (TANKS, TANKS_LATER, FRIGATES):
        assert 170 <= len(story.split()) <= 230


def test_identical_texts_have_similarity_one() -> None:
    assert signature(TANKS).similarity(signature(TANKS)) == 1.0
    assert is_duplicate(signature(TANKS), signature(TANKS))
    assert signature(TANKS) == signature(TANKS)


def test_same_story_with_other_furniture_is_duplicate() -> None:
    original = signature(TANKS)
    for copy in copies(TANKS):
        assert is_duplicate(original, signature(copy)), original.similarity(signature(copy))
    a, b = (signature(c) for c in copies(TANKS)[3:5])
    assert is_duplicate(a, b)


def test_different_stories_on_same_topic_are_not_duplicates() -> None:
    assert signature(TANKS).similarity(signature(TANKS_LATER)) < 0.1
    assert not is_duplicate(signature(TANKS), signature(TANKS_LATER))
    # the same site furniture around two different stories does not make them copies
    a = signature(syndicated(TANKS, SITES[0], "Reuters"))
    b = signature(syndicated(TANKS_LATER, SITES[0], "Reuters"))
    assert not is_duplicate(a, b)
    assert not is_duplicate(signature(TANKS), signature(FRIGATES))


def test_similarity_estimates_jaccard() -> None:
    truncated = " ".join(TANKS.split()[:150])
    a, b = shingles(TANKS), shingles(truncated)
    jaccard = len(a & b) / len(a | b)
    assert abs(signature(TANKS).similarity(signature(truncated)) - jaccard) < 0.15


def test_empty_text_is_similar_to_nothing() -> None:
    empty = signature("")
    assert empty.empty
    assert signature(" ... !! — ").empty
    assert empty.similarity(signature("")) == 0.0
    assert empty.similarity(signature(TANKS)) == 0.0
    assert signature(TANKS).similarity(empty) == 0.0
    assert not is_duplicate(empty, signature(""))
    assert empty.band_keys() == []
    assert not signature(TANKS).empty
    assert Signature.from_bytes(empty.to_bytes()).empty


def test_shingles_normalise_and_short_texts() -> None:
    assert shingles("") == set()
    assert shingles("  ,;  ") == set()
    assert len(shingles("Tanks delivered")) == 1  # shorter than k: one shingle of the text
    assert shingles("Tanks delivered") != shingles("Tanks")
    assert shingles("The K2 Tank, DELIVERED  on time!") == shingles("the k2 tank delivered on time")
    assert shingles("Poland’s K2 order") == shingles("Polands K2 order")
    assert shingles("the K2 tank order") != shingles("the K9 tank order")  # digits kept
    assert len(shingles("one two three four five six seven")) == 3
    assert len(shingles("a b a b a b", k=1)) == 2
    assert all(0 <= h < 2**64 for h in shingles(TANKS))
    with pytest.raises(ValueError):
        shingles(TANKS, k=0)


def test_shingle_hash_is_pinned() -> None:
    # computed once; a change here means every stored signature must be recomputed
    assert shingles("Poland orders K2 tanks") == {0x1E242980BD740EC3}
    assert min(shingles(TANKS)) == 0x022D029661052789


def test_shingles_are_stable_across_processes() -> None:
    code = "from armswatch.dedup import shingles; print(sorted(shingles(open(0).read())))"
    outputs = set()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code],
            input=TANKS,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(run.stdout)
    assert outputs == {f"{sorted(shingles(TANKS))}\n"}


def test_signature_is_exact_minhash() -> None:
    prime = (1 << 61) - 1
    values = [x % prime for x in shingles(FRIGATES)]
    expected = tuple(
        min((a * x + b) % prime for x in values)
        for a, b in zip(dedup.PERM_A, dedup.PERM_B, strict=True)
    )
    assert signature(FRIGATES).values == expected
    assert len(expected) == NUM_PERM
    assert all(0 < a < prime for a in dedup.PERM_A)


def test_min_hashes_are_exact_at_the_edges() -> None:
    prime = (1 << 61) - 1
    edges = [0, 1, 2**32 - 1, 2**32, prime - 1, prime, prime + 1, 2**63, 2**64 - 2, 2**64 - 1]
    xs = np.array(edges, dtype=np.uint64)
    expected = [
        min((a * (x % prime) + b) % prime for x in edges)
        for a, b in zip(dedup.PERM_A, dedup.PERM_B, strict=True)
    ]
    assert dedup._min_hashes(xs).tolist() == expected
    many = np.random.default_rng(7).integers(0, 2**64 - 1, size=300, dtype=np.uint64)
    assert dedup._min_hashes(many).tolist() == [  # more than one block of shingles
        min((a * (int(x) % prime) + b) % prime for x in many)
        for a, b in zip(dedup.PERM_A, dedup.PERM_B, strict=True)
    ]


def test_to_bytes_round_trip_and_pinned_bytes() -> None:
    sig = signature(TANKS)
    raw = sig.to_bytes()
    assert len(raw) == 8 * NUM_PERM
    assert raw[:8] == sig.values[0].to_bytes(8, "little")
    assert Signature.from_bytes(raw) == sig
    assert Signature.from_bytes(raw).to_bytes() == raw
    assert hashlib.sha256(raw).hexdigest()[:16] == "5c734493a8c78107"
    with pytest.raises(ValueError):
        Signature.from_bytes(raw[:-8])


def test_band_keys() -> None:
    keys = signature(TANKS).band_keys()
    assert BANDS * ROWS == NUM_PERM
    assert len(keys) == BANDS
    assert keys == signature(TANKS).band_keys()
    assert keys == Signature.from_bytes(signature(TANKS).to_bytes()).band_keys()
    assert [k.split(":")[0] for k in keys] == [str(b) for b in range(BANDS)]
    assert not set(keys) & set(signature(FRIGATES).band_keys())


def test_as_dict_is_json_ready() -> None:
    data = signature(TANKS).as_dict()
    assert len(data["values"]) == NUM_PERM
    assert data["empty"] is False
    assert json.loads(json.dumps(data)) == data


def test_threshold_and_bands_are_consistent() -> None:
    assert 0.3 <= THRESHOLD <= 0.9
    # the probability that a pair at the threshold becomes a candidate is high
    assert 1 - (1 - THRESHOLD**ROWS) ** BANDS > 0.95


def test_duplicate_index_clusters_copies() -> None:
    index = DuplicateIndex()
    texts = copies(TANKS)
    assert index.add("copy0", signature(texts[0])) is None
    assert index.add("later", signature(TANKS_LATER)) is None
    for i, text in enumerate(texts[1:], start=1):
        assert index.add(f"copy{i}", signature(text)) is not None
    assert index.add("frigates", signature(FRIGATES)) is None
    assert len(index) == 7
    assert index.clusters() == {
        "copy0": ["copy0", "copy1", "copy2", "copy3", "copy4"],
        "later": ["later"],
        "frigates": ["frigates"],
    }
    assert index.canonical("copy3") == "copy0"
    with pytest.raises(ValueError):
        index.add("copy0", signature(TANKS))


def test_duplicate_index_best_match_and_ties() -> None:
    index = DuplicateIndex()
    index.add("first", signature(TANKS))
    index.add("second", signature(TANKS))  # identical: ties go to the earliest
    assert index.add("third", signature(TANKS)) == "first"
    copy = syndicated(TANKS, SITES[0], "Reuters")
    index.add("site", signature(copy))
    assert index.add("site-again", signature(copy)) == "site"  # the most similar wins
    assert index.clusters() == {"first": ["first", "second", "third", "site", "site-again"]}


def test_duplicate_index_never_merges_empty_texts() -> None:
    index = DuplicateIndex()
    assert index.add("a", signature("")) is None
    assert index.add("b", signature("")) is None
    assert index.clusters() == {"a": ["a"], "b": ["b"]}
