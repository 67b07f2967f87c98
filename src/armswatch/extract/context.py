"""What the extractor carries between sentences and stages: triggers, mentions, context."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from armswatch.model import Money


@dataclass(frozen=True)
class Trigger:
    """A word that states an event, and the type it states."""

    token: Token
    type: str
    # for a purchase sought ("decided to buy", "plans to procure"): the word that seeks it,
    # whose own modality gives the status
    sought_by: Token | None = None


@dataclass(frozen=True)
class Mention:
    """A weapon system named (or referred back to) in a sentence."""

    anchor: Token  # the token that stands for the system in the parse
    system: str
    origin: str | None
    category: str | None
    listed: bool = True  # in the gazetteer, rather than only shaped like a designation


@dataclass
class ArticleContext:
    """What earlier sentences established: systems mentioned and the parties of each system."""

    published: str | None
    recent_systems: list[Mention] = field(default_factory=list)
    parties: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    home: str | None = None  # the state the article is mostly about, the last-resort recipient
    named: list[Mention] = field(default_factory=list)  # every system the article names
    # for each of the last few sentences, the one future date it states ("from May 6, the
    # air force will hold an exercise"), which later sentences about that plan leave unsaid
    upcoming: list[str | None] = field(default_factory=list)
    # the date such a plan gives an undated deployment, by (sentence start, system)
    scheduled: dict[tuple[int, str], str] = field(default_factory=dict)
    # "the deal is worth $X", by the system and recipient of the deal being reported
    deal_values: dict[tuple[str, str | None], set[Money]] = field(default_factory=dict)
