"""Paths through spaCy's dependency parse: ancestors, distances, clause edges, phrase heads."""

from __future__ import annotations

import itertools

from spacy.tokens import Token

from armswatch.nlp import lexicon
from armswatch.nlp.entities import STATE_LABELS


def after_hyphen(token: Token) -> bool:
    """The token follows a hyphen ("Russian-supplied")."""
    return token.i > 0 and token.doc[token.i - 1].text in {"-", "‐"}


def ancestors(token: Token) -> list[Token]:
    """The token and its heads up to the root."""
    return [token, *token.ancestors]


def distance(a: Token, b: Token) -> int:
    """The number of arcs between two tokens in the parse (99 when unconnected)."""
    path_a = ancestors(a)
    path_b = ancestors(b)
    common = next((t for t in path_a if t in path_b), None)
    if common is None:
        return 99
    return path_a.index(common) + path_b.index(common)


def path_up(anchor: Token) -> list[Token]:
    """The anchor's ancestors up to the edge of its clause or of a background adjunct."""
    path = [anchor]
    node = anchor
    while node.head.i != node.i:
        if node.dep_ in {"pobj", "pcomp"} and node.head.lower_ in lexicon.ADJUNCT_PREPOSITIONS:
            break  # "after the purchase of", "after receiving orders for"
        if node.dep_ in {"advcl", "conj"} and node.pos_ in {"VERB", "AUX"}:
            break
        node = node.head
        path.append(node)
    return path


def path_between(a: Token, b: Token) -> list[Token]:
    """Tokens from ``a`` up to the common ancestor and down to ``b``."""
    up = ancestors(a)
    down = ancestors(b)
    common = next((t for t in up if t in down), None)
    if common is None:
        return [a, b]
    return up[: up.index(common) + 1] + list(reversed(down[: down.index(common)]))


def crosses_clauses(a: Token, b: Token) -> bool:
    """The path between two tokens goes through a coordinated or adverbial clause with a
    subject of its own, so they belong to separate statements ("X provides ..., but few
    operators have shown interest"). The clause both share is not crossed."""
    up = ancestors(a)
    down = ancestors(b)
    common = next((t for t in up if t in down), None)
    if common is None:
        return True
    below_common = up[: up.index(common)] + down[: down.index(common)]
    return any(
        node.dep_ in {"conj", "advcl"}
        and node.pos_ in {"VERB", "AUX"}
        and any(child.dep_ in {"nsubj", "nsubjpass"} for child in node.children)
        for node in below_common
    )


def ent_span(token: Token) -> range:
    """Token indices of the entity a token belongs to."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return range(ent.start, ent.end)
    return range(token.i, token.i + 1)


def noun_head(token: Token) -> Token:
    """The head noun of the phrase a token modifies ("systems" for "S-400" in "the S-400
    missile systems"). A designation the parser takes for a number ("F-16 jets") counts too."""
    while token.head.i != token.i and (
        token.dep_ in {"compound", "nmod", "amod"}
        or (token.dep_ == "nummod" and not token.like_num)
    ):
        token = token.head
    return token


def clause_verb(token: Token) -> Token:
    """The verb of the clause a token belongs to."""
    node = token
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    return node


def conj_root(token: Token) -> Token:
    """A conjunct ("Azerbaijan, Morocco and Vietnam") plays its first conjunct's role."""
    while token.dep_ == "conj" and token.head.ent_type_ in STATE_LABELS:
        token = token.head
    return token


def blocked(path: list[Token]) -> bool:
    """The path from a system to its trigger says the system is not what is transferred:
    what it replaces or is compared with, a platform, or a clause that denies it."""
    for below, node in itertools.pairwise(path):
        blocker = node.lemma_.lower() in lexicon.BLOCKERS or node.lower_ in lexicon.BLOCKERS
        # the subject of "replace" is the new system; its object, the old one
        if blocker and below.dep_ not in {"nsubj", "nsubjpass"}:
            return True
        # "to be armed on the Kalvari class submarines": the platform a weapon is fitted on
        if node.lower_ == "on" and node.head.lemma_.lower() in lexicon.FITTING_VERBS:
            return True
        if node.i != path[-1].i and any(child.dep_ == "neg" for child in node.children):
            return True
    return False
