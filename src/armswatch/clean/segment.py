"""Find the article in a classified dump: the best-scoring run of prose lines, widened over
short gaps and over a closing list, with teaser lists and inline "Related" boxes marked."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from armswatch.clean.lines import Line, classify, is_prose, list_intro, list_item
from armswatch.clean.patterns import BULLET

HEADING_COST = 150.0
PASSED_FACTOR = 0.3
THREAD_FACTOR = 0.05


def _weight(line: Line) -> float:
    """Score of a line for the main-block search: prose earns, furniture and menus cost."""
    if line.heading:
        return -HEADING_COST
    if is_prose(line):
        return float(min(line.size, 600))
    if line.furniture:
        return -60.0
    if line.sentence and line.words >= 6:
        return 10.0
    if line.words >= 4:
        return -12.0
    return -30.0


def _thread_factor(lines: list[Line]) -> float:
    """A run where several commenters sign their posts is a comment thread: it counts little."""
    return THREAD_FACTOR if sum(line.commenter for line in lines) >= 2 else 1.0


def _main_block(lines: list[Line]) -> tuple[int, int]:
    """Return ``[start, end)`` of the article's run of lines.

    The run is the highest-scoring contiguous run of lines (prose earns, everything else
    costs). A comments heading is a wall no run spans; an "Also Read"-style heading costs so
    much that only a long stretch of prose after it (an inline "Related" box in mid-article)
    is joined. Runs that start after such a heading that follows a substantial run (comments,
    teaser lists below an article) count for less, so the article wins over what follows it.
    """
    runs: list[tuple[float, int, int, bool]] = []  # score, start, end, after the article
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    passed = run_passed = False

    def close() -> None:
        nonlocal best, best_span
        if best > 0:
            runs.append((best, best_span[0], best_span[1], run_passed))
        best, best_span = 0.0, (0, 0)

    for i, line in enumerate(lines):
        if line.heading and (best >= 300 or any(r[0] >= 300 for r in runs)):
            passed = True
        if line.wall:
            close()
            total = 0.0
            continue
        if total <= 0:
            close()
            total, start, run_passed = 0.0, i, passed
        total += _weight(line)
        if total > best:
            best, best_span = total, (start, i + 1)
    close()
    if not runs:
        return 0, 0
    scored = [(score * (PASSED_FACTOR if after else 1.0) * _thread_factor(lines[s:e]), s, e)
              for score, s, e, after in runs]
    top = max(x[0] for x in scored)
    for score, run_start, run_end in scored:
        if score == top:
            return run_start, run_end
    return 0, 0


def _extend(lines: list[Line], start: int, end: int) -> tuple[int, int]:
    """Add nearby runs of prose separated from the main block by a short gap of non-prose."""
    changed = True
    while changed:
        changed = False
        j, gap = end, 0
        while j < len(lines) and not is_prose(lines[j]) and not lines[j].heading and gap < 4:
            j, gap = j + 1, gap + 1
        if j < len(lines) and is_prose(lines[j]):
            end, changed = j + 1, True
        j, gap = start - 1, 0
        while j >= 0 and not is_prose(lines[j]) and not lines[j].heading and gap < 3:
            j, gap = j - 1, gap + 1
        if j >= 0 and is_prose(lines[j]):
            start, changed = j, True
    return start, end


def _teasers(lines: list[Line]) -> set[int]:
    """Indexes of the prose lines of teaser lists: under a "More stories"-style heading, the
    paragraphs of other stories each stand alone between their headline and byline lines, where
    an article that goes on after an inline box has paragraphs that follow one another. Only
    headings after the first two paragraphs in a row (the article's start) count."""
    found: set[int] = set()
    prose_at = [is_prose(line) for line in lines]
    paired = [i for i in range(1, len(lines)) if prose_at[i] and prose_at[i - 1]]
    if not paired:
        return found
    heads = [i for i, line in enumerate(lines) if line.heading and i > paired[0]] + [len(lines)]
    for head, nxt in pairwise(heads):
        prose = [i for i in range(head + 1, nxt) if prose_at[i]]
        if len(prose) >= 2 and all(b - a > 1 for a, b in pairwise(prose)):
            found.update(prose)
    return found


def segment(raw: list[str]) -> tuple[list[Line], int, int]:
    """Classify ``raw`` lines and return them with the article's ``[start, end)``."""
    lines = [classify(t) for t in raw]
    for i in _teasers(lines):
        lines[i] = replace(lines[i], furniture=True)
    start, end = _main_block(lines)
    if end == start:
        return lines, 0, 0
    start, end = _extend(lines, start, end)
    while end > start and not is_prose(lines[end - 1]):
        end -= 1
    return lines, start, _closing_list(lines, end)


def _closing_list(lines: list[Line], end: int) -> int:
    """Extend the article's end over a list its last paragraph introduces with a colon
    ("The aircraft will go to:"), which the search for prose leaves out."""
    j = end
    if j < len(lines) and list_intro(lines[j]) and list_item(lines[j]):
        j += 1
    if j == 0 or j >= len(lines) or not list_intro(lines[j - 1]):
        return end
    k, shape = j, _item_shape(lines[j].text)
    while k < min(len(lines), j + 80) and _same_item(lines[k], shape):
        k += 1
    return k if k - j >= 2 else end


def _same_item(line: Line, shape: tuple[str, bool]) -> bool:
    return list_item(line) and _item_shape(line.text) == shape


def _item_shape(text: str) -> tuple[str, bool]:
    """How a list item looks: its leading mark (number, bullet, letter) and whether it
    holds a figure; the items of one list share it."""
    lead = "digit" if text[:1].isdigit() else "bullet" if BULLET.match(text) else "letter"
    return lead, any(ch.isdigit() for ch in text)


def inline_boxes(lines: list[Line]) -> set[int]:
    """Indexes of an inline "Related" box: its heading and the short lines under it."""
    inside: set[int] = set()
    open_box = False
    for i, line in enumerate(lines):
        if line.heading:
            open_box = True
        elif is_prose(line):
            open_box = False
        if open_box:
            inside.add(i)
    return inside
