"""Turn a Page into an Article: the main text of the page, its title, date, site and language.

HTML goes through trafilatura. Plain-text page dumps (and JSONL record texts, which are often
dumps too) go through our own furniture remover, :func:`clean_text_dump`: it keeps the article's
paragraphs verbatim (one input line is one paragraph, joined with a blank line) and drops page
furniture such as menus, bylines, captions, counters, "Also Read" lists, teaser lists, comment
threads, tag clouds and footers.

Everything here is pure Python and regular expressions, so it is deterministic and fast.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from itertools import pairwise

from armswatch.model import Article, Page

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_EN_STOPWORDS = _wordset(
    """a about after all also an and any are as at be been before but by can could did do does
    for from had has have he her his how i if in into is it its may more most no not of on one
    or other our out over said says she should so some such than that the their them then
    there these they this those to under up us was we were what when where which while who
    will with would you your"""
)

_OTHER_STOPWORDS: dict[str, frozenset[str]] = {
    "de": _wordset("der die das und ist nicht mit den von zu ein eine auf für sich dem des im"),
    "fr": _wordset("le la les et des est une pour dans que qui sur pas par au du avec plus"),
    "es": _wordset("el la los las y que de en un una por con para es del se al como"),
    "pt": _wordset("o a os as e que de em um uma para com não do da dos das se por"),
    "it": _wordset("il la le e che di un una per con non del della sono gli si al"),
    "id": _wordset("yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke"),
}

_SCRIPTS = (
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
)

# Headings that open a block of links to other stories, comments or sharing tools.
_END_HEADING = re.compile(
    r"""^(?:also\s+read|read\s+also|see\s+also|related(?:\s+(?:topics?|stories|articles|news|posts|
    content|coverage|links|videos|reading|tags)(?:\s+from\s.{1,60})?)?|recent\s+(?:stories|posts|
    news|articles)|more\s+(?:stories|news|articles|from|on\s+this|videos)(?:\s.*)?|latest\s+(?:news|
    stories|posts|articles|videos)|your\s+thoughts\s+and\s+comments|read\s+more|read\s+next|
    trending(?:\s+now|\s+stories|\s+news|\s+topics)?|most\s+(?:popular|read|viewed|shared|commented|
    recent)(?:\s.*)?|popular\s+(?:stories|posts|now|articles|news)|recommended(?:\s+for\s+you|
    \s+stories|\s+articles|\s+reading|\s+videos?)?|you\s+(?:may|might)\s+also\s+(?:like|enjoy|
    be\s+interested\s+in)|top\s+stories|editor'?s?\s+picks|don'?t\s+miss|further\s+reading|
    what\s+to\s+read\s+next|comments?(?:\s+\(\d+\))?|\d+\s+comments?|leave\s+a\s+(?:reply|comment)|
    post\s+a\s+comment|join\s+the\s+(?:discussion|conversation)|share\s+this(?:\s+(?:article|
    story|post))?|tags?|topics|filed\s+under|sponsored\s+(?:content|stories|links)|
    around\s+the\s+web|promoted\s+stories|in\s+other\s+news|more\s+in\s+\w+(?:\s+\w+)?|
    more(?:\s+\w+){1,3}\s+stories|more(?:\s+great)?(?:\s+[\w.]+){0,2}|also\s+on\s+[\w.]+|
    we\s+recommend|(?:previous|next)\s+(?:article|post|story)|like\s+this\s+(?:article|story)\?|
    featured\s+videos?|about\s+the\s+author)\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)

# Words that mark a short line as page furniture wherever it stands.
_BOILERPLATE = re.compile(
    r"""©|\(c\)\s*\d{4}|copyright|all\s+rights\s+reserved|rights\s+of\s+the\s+publication|
    reproduction\s+without|privacy\s+(?:policy|notice|settings)|terms\s+(?:of|and)\s+
    (?:use|service|conditions)|newsletter|subscribe\b|subscription|sign\s+(?:in|up)\b|log\s*in\b|
    log\s+out|follow\s+us|click\s+here|javascript|^advertis(?:e|ement|ing)\b|download\s+(?:the|our)
    \s+app|about\s+us|contact\s+us|skip\s+to|back\s+to\s+top|print\s+edition""",
    re.IGNORECASE | re.VERBOSE,
)
# Words that mark a line as furniture when it is short and reads as no sentence.
_WEAK_BOILERPLATE = re.compile(
    r"""share\s+(?:on|this|via)|photo\s*:|image\s*:|credit\s*:|getty\s+images|reuters\s*/|
    \bAP\s+photo|enlarge\s+this\s+image|caption|toggle|menu\b|email\s+(?:this|address)|
    whatsapp|facebook|twitter|linkedin|pinterest|instagram|register\b|sponsored|advertis""",
    re.IGNORECASE | re.VERBOSE,
)

_COOKIES = re.compile(r"\bcookies?\b.{0,80}\b(?:consent|accept|agree|browsing|experience|use)"
                      r"|\b(?:consent|accept|agree)\b.{0,80}\bcookies?\b", re.IGNORECASE)
_RELATIVE_TIME = re.compile(
    r"^(?:about\s+)?(?:\d+|an?|one)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|"
    r"months?|years?)\s+ago\b\.?(?:\s+at\s+[\d:]+\s*(?:[ap]\.?m\.?)?)?$|"
    r"^(?:just\s+now|yesterday|today)$",
    re.IGNORECASE,
)
_NUMBERISH = re.compile(r"^[\W\d_]*$")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$")
_LIST_SEP = re.compile(r"\s(?:\||-|–|•|·|/|»)\s")
_TRUNCATED = re.compile(r"[\w,](?:\.\.\.|…)$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WALL = re.compile(
    r"^(?:comments?(?:\s+\(\d+\))?|\d+\s+comments?|leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|"
    r"join\s+the\s+(?:discussion|conversation)|your\s+thoughts\s+and\s+comments|"
    r"\d+\s+(?:responses?|replies|thoughts|comments?)\s+(?:to|on)\b.*|"
    r"(?:\W*\w+\W+){0,3}comments\W*(?:\w+\W*)?)\s*:?$",
    re.IGNORECASE,
)
# "READ MORE: <headline>", "Related: <headline>", "Also on example.com: <headline>"
_LINK_LINE = re.compile(
    r"^(?:(?:also\s+)?(?:read|see|watch|listen)(?:\s+(?:more|also|next|this))?|related(?:\s+\w+)?|"
    r"also(?:\s+on\s+\S+)?|more|on\s+\S+\.(?:com|net|org|co\.uk|in))\s*:\s*\S",
    re.IGNORECASE,
)
# Photo captions: "In this Nov. 3 file photo, ...", "Jane Doe, left, and ...", "... [File: Reuters]"
_CAPTION = re.compile(
    r"""^in\s+this\s+(?:[\w.,]+\s+){0,6}?(?:file\s+)?(?:photo|image|picture|handout|still|
    screen\s?(?:shot|grab)|illustration|frame\s+grab)\b
    |^(?:this|the|an?)\s+(?:[\w'’-]+\s+){0,3}?(?:photo(?:graph)?|image|picture|illustration|
    rendering|screen\s?(?:shot|grab)|micrograph|satellite\s+image)\s+(?:\w+\s+){0,4}?
    (?:shows?|showing|depicts?|released|provided|taken|made|from|of)\b
    |^an?\s+artist['’]?s?['’]?\s+(?:concept|illustration|impression|rendering|depiction)\b
    |\bfile\s+(?:photo|image|picture)\b|^(?:pictured|photo|image|caption)\s*:
    |,\s+(?:left|right|center|centre|second\s+(?:from\s+)?(?:left|right)|top|bottom|
    foreground|background)\s*[,)]|\((?:left|right|center|centre|pictured|top|bottom)\)
    |[\[(](?:[^\])]{0,40}\b(?:file|photo|via|getty|reuters|afp|epa)\b[^\])]{0,40})[\])]$
    |\b(?:getty\s+images|shutterstock|ap\s+photo|reuters\s+file|via\s+getty|submitted\s+photo)
    \W*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Short photo-credit lines: "Courtesy of Jane Doe", "Jane Doe/Agency", "Photograph: Agency"
_CREDIT = re.compile(
    r"^(?:(?:photo(?:graph)?s?|image|picture|credit|source)\s*(?:credit)?\s*(?::|by)|courtesy\b)"
    r"|^[\w.'’ -]*[a-z]/[A-Z][\w.'’ /-]*$",
    re.IGNORECASE,
)
# An author's bio: "Jane Doe is a staff writer at ...", "John joined the magazine in 2017 ..."
_BIO = re.compile(
    r"""^(?:[A-Z][\w.'’-]+\s+){0,3}[A-Z][\w.'’-]+(?:\s+\([^)]{1,40}\))?\s+
    (?:(?:is|was)\s+(?:an?|the)|has\s+been|joined|writes|covers|reports)\b.{0,200}?
    \b(?:writer|reporter|journalist|editor|correspondent|columnist|contributor|blogger|author|
    freelancer|host|podcaster|producer|photographer|reporting\s+on|covering|has\s+written)\b""",
    re.VERBOSE,
)
# Calls to sign up, write in or follow the author, which close many articles.
_PROMO = re.compile(
    r"""\b(?:to|in|into)\s+your\s+(?:e-?mail\s+)?inbox\b|\bmeet\s+your\s+inbox\b|\bnews\s+alerts\b
    |breaking\s+news\s+emails|(?:can|may)\s+be\s+reached\s+(?:at|by)\b|^write\s+to\s+.{1,60}@
    |\bfollow\s+(?:him|her|them|me|the\s+author)\s+on\b|^have\s+a\s+(?:news\s+)?tip\b
    |\bplease\s+be\s+(?:respectful|civil|polite)\b
    |^thanks?\s+(?:you\s+)?for\s+(?:reading|watching)\b
    |\bsupport\s+(?:our|independent)\s+journalism\b|\bdonate\s+(?:now|today)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_COMMENTER = re.compile(r"\b(?:says|said|wrote|replied)\s*:$", re.IGNORECASE)
_BULLET = re.compile(r"^[•·▪●◦*\-–]\s*")

# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    re.compile(
        _MONTH + r"\s+(?P<d>[0-3]?\d)" + _ORD + r",?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE
    ),
    re.compile(
        r"(?<!\d)(?P<d>[0-3]?\d)" + _ORD + r"\s+(?:of\s+)?" + _MONTH
        + r",?\s+(?P<y>(?:19|20)\d\d)(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)\d\d)(?![\d/.])"),
    # "On 11/13/19 at 4:00 PM": a two-digit year, slashes only
    re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>\d\d)(?![\d/.])"),
)
_NUMERIC_DATE = re.compile(r"(?<![\d/.])[0-3]?\d[/.][0-3]?\d[/.]\d\d(?:\d\d)?(?![\d/.])")
_UPDATED = re.compile(r"\b(?:updated|modified|edited)\b", re.IGNORECASE)
# "MOSCOW (Agency - 27th November, 2019)", "NEW DELHI, 3 May 2021 (Agency) -"
_DATELINE = re.compile(r"^[A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]+){0,3}\s*(?:\(|,|[-–—])")


@dataclass(frozen=True)
class CleanText:
    """What the text-dump cleaner finds: the headline, the publication date and the body."""

    title: str | None
    published: str | None
    text: str


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _dates_in(line: str) -> list[tuple[int, str]]:
    """Return ``(position, ISO date)`` for every full calendar date written in ``line``."""
    found: list[tuple[int, str]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(line):
            groups = match.groupdict()
            year = int(groups["y"])
            if year < 100:
                year += 2000 if year < 70 else 1900
            if groups.get("mon"):
                iso = _valid(year, _MONTHS[groups["mon"].lower()[:3]], int(groups["d"]))
            elif "a" in groups:
                a, b = int(groups["a"]), int(groups["b"])
                if a > 12 >= b:
                    iso = _valid(year, b, a)
                elif b > 12 >= a or a == b:
                    iso = _valid(year, a, b)
                else:
                    iso = None  # 03/04/2019: day and month cannot be told apart
            else:
                iso = _valid(year, int(groups["m"]), int(groups["d"]))
            if iso:
                found.append((match.start(), iso))
    return sorted(found)


# --------------------------------------------------------------------------------------------
# Line classification
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    text: str
    words: int
    size: int  # characters, with each CJK character counted three times
    stop: float
    sentence: bool
    furniture: bool
    heading: bool  # "Also Read", "Related", "Comments"...: opens a block of links or comments
    wall: bool  # a heading that opens the comments: no article continues after it
    commenter: bool = False  # "Jane on May 2, 2019 at 4:47 pm said:": a comment's signature


def _is_list_shaped(text: str, words: int) -> bool:
    """A run of short items joined by separators, such as a footer's site links."""
    parts = _LIST_SEP.split(text)
    return len(parts) >= 3 and words / len(parts) <= 5 and not _SENTENCE_END.search(text)


def _classify(text: str) -> _Line:
    tokens = _WORD.findall(text)
    words = len(tokens)
    lowered = [t.lower() for t in tokens]
    stop = sum(t in _EN_STOPWORDS for t in lowered) / words if words else 0.0
    sentence = bool(_SENTENCE_END.search(text))
    bare = _BULLET.sub("", text).strip()
    wall = bool(_WALL.match(bare)) and words <= 20
    heading = wall or (bool(_END_HEADING.match(bare)) and words <= 8)
    furniture = (
        heading
        or bool(_NUMBERISH.match(bare))
        or bool(_RELATIVE_TIME.match(bare))
        or _is_date_only(bare)
        or (words < 40 and bool(_BOILERPLATE.search(text)))
        or ((words <= 8 or not sentence) and words < 40 and bool(_WEAK_BOILERPLATE.search(text)))
        or (words < 80 and bool(_COOKIES.search(text)))
        or _is_list_shaped(text, words)
        or bool(_TRUNCATED.search(text))
        or (words <= 12 and bool(_COMMENTER.search(text)))
        or (words <= 25 and bool(_LINK_LINE.match(bare)))
        or (words < 70 and bool(_CAPTION.search(text)))
        or (words <= 8 and not sentence and bool(_CREDIT.search(bare)))
        or (words < 120 and bool(_BIO.match(bare)))
        or (words < 60 and bool(_PROMO.search(bare)))
    )
    size = len(text) + 2 * len(_CJK.findall(text))
    commenter = words <= 12 and bool(_COMMENTER.search(text))
    return _Line(text, words, size, stop, sentence, furniture, heading, wall, commenter)


def _is_date_only(text: str) -> bool:
    dates = _dates_in(text)
    if not dates:
        return False
    rest = text
    for pattern in _DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    return len(_WORD.findall(rest)) <= 6


def _is_prose(line: _Line) -> bool:
    """A line that reads like a paragraph of running text."""
    if line.furniture:
        return False
    if line.words >= 12 and line.sentence and (line.stop >= 0.15 or line.size >= 100):
        return True
    if line.words >= 25 and line.stop >= 0.2:
        return True
    # Scripts without spaces (Chinese, Japanese) give few \w+ tokens per line.
    return line.size >= 90 and line.words <= line.size / 15 and line.sentence


def _weight(line: _Line) -> float:
    """Score of a line for the main-block search: prose earns, furniture and menus cost."""
    if line.heading:
        return -HEADING_COST
    if _is_prose(line):
        return float(min(line.size, 600))
    if line.furniture:
        return -60.0
    if line.sentence and line.words >= 6:
        return 10.0
    if line.words >= 4:
        return -12.0
    return -30.0


HEADING_COST = 150.0
PASSED_FACTOR = 0.3
THREAD_FACTOR = 0.05


def _thread_factor(lines: list[_Line]) -> float:
    """A run where several commenters sign their posts is a comment thread: it counts little."""
    return THREAD_FACTOR if sum(line.commenter for line in lines) >= 2 else 1.0


def _main_block(lines: list[_Line]) -> tuple[int, int]:
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


def _extend(lines: list[_Line], start: int, end: int) -> tuple[int, int]:
    """Add nearby runs of prose separated from the main block by a short gap of non-prose."""
    changed = True
    while changed:
        changed = False
        j, gap = end, 0
        while j < len(lines) and not _is_prose(lines[j]) and not lines[j].heading and gap < 4:
            j, gap = j + 1, gap + 1
        if j < len(lines) and _is_prose(lines[j]):
            end, changed = j + 1, True
        j, gap = start - 1, 0
        while j >= 0 and not _is_prose(lines[j]) and not lines[j].heading and gap < 3:
            j, gap = j - 1, gap + 1
        if j >= 0 and _is_prose(lines[j]):
            start, changed = j, True
    return start, end


def _teasers(lines: list[_Line]) -> set[int]:
    """Indexes of the prose lines of teaser lists: under a "More stories"-style heading, the
    paragraphs of other stories each stand alone between their headline and byline lines, where
    an article that goes on after an inline box has paragraphs that follow one another. Only
    headings after the first two paragraphs in a row (the article's start) count."""
    found: set[int] = set()
    prose_at = [_is_prose(line) for line in lines]
    paired = [i for i in range(1, len(lines)) if prose_at[i] and prose_at[i - 1]]
    if not paired:
        return found
    heads = [i for i, line in enumerate(lines) if line.heading and i > paired[0]] + [len(lines)]
    for head, nxt in pairwise(heads):
        prose = [i for i in range(head + 1, nxt) if prose_at[i]]
        if len(prose) >= 2 and all(b - a > 1 for a, b in pairwise(prose)):
            found.update(prose)
    return found


def _segment(raw: list[str]) -> tuple[list[_Line], int, int]:
    """Classify ``raw`` lines and return them with the article's ``[start, end)``."""
    lines = [_classify(t) for t in raw]
    for i in _teasers(lines):
        lines[i] = replace(lines[i], furniture=True)
    start, end = _main_block(lines)
    if end == start:
        return lines, 0, 0
    start, end = _extend(lines, start, end)
    while end > start and not _is_prose(lines[end - 1]):
        end -= 1
    return lines, start, _closing_list(lines, end)


def _list_item(line: _Line) -> bool:
    return not (line.heading or line.furniture or _is_prose(line)) and 1 <= line.words <= 40


def _closing_list(lines: list[_Line], end: int) -> int:
    """Extend the article's end over a list its last paragraph introduces with a colon
    ("The aircraft will go to:"), which the search for prose leaves out."""
    j = end
    if j < len(lines) and _list_intro(lines[j]) and _list_item(lines[j]):
        j += 1
    if not _list_intro(lines[j - 1]) or j >= len(lines):
        return end
    k, shape = j, _item_shape(lines[j].text)
    while k < min(len(lines), j + 80) and _same_item(lines[k], shape):
        k += 1
    return k if k - j >= 2 else end


def _same_item(line: _Line, shape: tuple[str, bool]) -> bool:
    return _list_item(line) and _item_shape(line.text) == shape


def _item_shape(text: str) -> tuple[str, bool]:
    """How a list item looks: its leading mark (number, bullet, letter) and whether it
    holds a figure; the items of one list share it."""
    lead = "digit" if text[:1].isdigit() else "bullet" if _BULLET.match(text) else "letter"
    return lead, any(ch.isdigit() for ch in text)


def _inline_boxes(lines: list[_Line]) -> set[int]:
    """Indexes of an inline "Related" box: its heading and the short lines under it."""
    inside: set[int] = set()
    open_box = False
    for i, line in enumerate(lines):
        if line.heading:
            open_box = True
        elif _is_prose(line):
            open_box = False
        if open_box:
            inside.add(i)
    return inside


def _starts_lower(text: str) -> bool:
    return text[:1].isalpha() and text[:1].islower()


def _wrapped(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` continues ``prev`` (a paragraph hard-wrapped over several lines)."""
    if _SENTENCE_END.search(prev) or _BULLET.match(nxt):
        return False
    words = _WORD.findall(prev)
    if len(words) < 3:
        return False
    if _starts_lower(nxt):
        return len(_WORD.findall(nxt)) >= 4
    return len(words) >= 6 and (prev.endswith(",") or words[-1].lower() in _WRAP_WORDS)


_WRAP_WORDS = _wordset("a an the of to in on for and or but with by from at as that")


def _split_lines(text: str) -> list[str]:
    """Return the paragraphs of a dump: its non-empty lines, stripped; a paragraph
    hard-wrapped over several lines stays one paragraph (its inner newlines kept)."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if out and _wrapped(out[-1].rsplit("\n", 1)[-1], line):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def find_title(text: str) -> str | None:
    """Return the page's headline from a plain-text dump, or None.

    A headline is a short line near the top (or just before the article body) that is not a
    date, byline, counter or menu line; a line printed twice in the header wins.
    """
    raw = _split_lines(text)
    lines, start, _ = _segment(raw)
    return _title_from(lines, start)


def _headline_like(line: _Line) -> bool:
    if line.furniture or line.words < 3 or line.words > 30 or line.size > 200:
        return False
    if _dates_in(line.text) or _RELATIVE_TIME.search(line.text):
        return False
    if line.text.endswith((".", ",", ";")) and line.words > 20:
        return False
    return not _is_prose(line) or line.words <= 25


def _title_from(lines: list[_Line], body_start: int) -> str | None:
    header = lines[: max(body_start, 1)]
    window = header[:15] + header[-12:] if len(header) > 27 else header
    seen: dict[str, int] = {}
    for line in window:
        if _headline_like(line):
            key = _norm_title(line.text)
            seen[key] = seen.get(key, 0) + 1
    for line in window:
        if _headline_like(line) and seen[_norm_title(line.text)] > 1:
            return line.text
    # containment: "Section|Headline" next to "Headline"
    for line in window:
        if _headline_like(line) and line.words >= 4:
            key = _norm_title(line.text)
            if any(key != other and key in other for other in seen):
                return line.text
    for line in header[:15]:
        if _headline_like(line) and line.words >= 4:
            return line.text
    for line in reversed(header[-6:]):
        if _headline_like(line) and line.words >= 4:
            return line.text
    return None


def _norm_title(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def find_published(text: str) -> str | None:
    """Return the page's own publication date (ISO ``YYYY-MM-DD``) from a text dump, or None.

    Looks in the header and byline area (the first lines and the lines before the article body),
    then at a dateline opening the first paragraphs; never in "Also Read" lists or after the body.
    """
    raw = _split_lines(text)
    lines, start, end = _segment(raw)
    return _published_from(lines, start, end)


def _published_from(lines: list[_Line], start: int, end: int) -> str | None:
    header_end = max(start, min(15, len(lines)))
    if end > start:
        header_end = min(max(header_end, start + 6), end)
    candidates: list[tuple[int, int, str]] = []
    dated = [i for i, line in enumerate(lines[:header_end])
             if _is_date_only(line.text) or (_NUMERIC_DATE.search(line.text) and line.words <= 8)]
    for i, line in enumerate(lines[:header_end]):
        if line.heading and i > start:
            break
        if sum(abs(i - j) <= 10 for j in dated) >= 3 or line.commenter or _not_byline(line.text):
            continue  # a list of other stories, a comment's signature, a caption, a cookie notice
        inside = start <= i < end
        if inside and not _byline_date(line):
            continue  # dates inside the article's sentences are not its publication date
        label = lines[i - 1].text if i and lines[i - 1].words <= 3 else ""
        for pos, iso in _dates_in(line.text):
            before = line.text[:pos] or label  # "Updated" may stand on the line above
            if re.search(r"\bdate\b|published|posted", before, re.IGNORECASE):
                rank = 0
            elif _UPDATED.search(before):
                rank = 3
            elif line.words <= 16:
                rank = 1 if i >= start - 30 else 4  # far above the article: the masthead's today
            else:
                rank = 5
            candidates.append((rank, abs(start - i) + 10 * inside, iso))
    for i in range(start, min(end, start + 3)):
        head = lines[i].text[:100]
        if _DATELINE.match(head):
            for _, iso in _dates_in(head)[:1]:
                candidates.append((2, i - start, iso))
    if not candidates:
        return None
    return min(candidates)[2]


def _not_byline(text: str) -> bool:
    return bool(_CAPTION.search(text) or _COOKIES.search(text) or _BOILERPLATE.search(text))


def _byline_date(line: _Line) -> bool:
    """A byline or date line at the top of the article (not a tweet's signature)."""
    text = line.text
    if "@" in text or text.startswith(("—", "–", "-")) or line.words > 20:
        return False
    return (_is_date_only(text) or text.startswith("By ")
            or bool(re.search(r"published|posted|updated", text, re.IGNORECASE)))


def clean_text_dump(text: str) -> CleanText:
    """Clean a plain-text page dump: keep the article's paragraphs, drop the furniture.

    Each kept paragraph is one input line (or several, for a hard-wrapped paragraph, with its
    line breaks kept), character-exact apart from outer whitespace; paragraphs are joined with
    a blank line. The article is the best-scoring run of prose lines; an "Also Read"-style
    heading ends it unless a long stretch of prose follows (an inline box, which is dropped),
    and a comments heading always ends it; a run signed by several commenters never wins.
    Captions, photo credits, "Read more: ..." links, author bios, sign-up calls and the
    stand-alone teaser paragraphs under a "More stories" heading are furniture; a list that the
    last paragraph opens with a colon is kept. Exact duplicates, repeats of the headline and
    paragraphs repeated inside a later one (a standfirst before its dateline) are dropped.
    """
    raw = _split_lines(text)
    lines, start, end = _segment(raw)
    title = _title_from(lines, start)
    published = _published_from(lines, start, end)
    kept: list[str] = []
    title_key = _norm_title(title) if title else None
    body = lines[start:end]
    boxes = _inline_boxes(body)
    for k, line in enumerate(body):
        if k in boxes or (line.furniture and not _is_prose(line)):
            continue
        if title_key and _norm_title(line.text) == title_key:
            continue
        if not _is_prose(line) and not _keep_short(body, k) and not _in_list(body, k):
            continue
        if line.text in kept:
            continue
        kept.append(line.text)
    kept = [p for i, p in enumerate(kept) if not _repeated_later(p, kept[i + 1 : i + 3])]
    if not kept and title and len(lines) == 1:
        kept = [title]  # a text that is a single sentence is its own article
    return CleanText(title=title, published=published, text="\n\n".join(kept))


def _keep_short(body: list[_Line], k: int) -> bool:
    """Keep a short line inside the body when it sits between prose, like a subheading."""
    before = any(_is_prose(x) for x in body[max(0, k - 8) : k])
    after = any(_is_prose(x) for x in body[k + 1 : k + 9])
    line = body[k]
    return before and after and line.words >= 1 and not _dates_in(line.text)


def _in_list(body: list[_Line], k: int) -> bool:
    """Whether ``body[k]`` is an item of a list (or its colon-ended lead-in line)."""
    if not _list_item(body[k]):
        return False
    if _list_intro(body[k]):
        return k + 1 < len(body) and _list_item(body[k + 1])
    j = k
    while j > 0 and _list_item(body[j - 1]) and not _list_intro(body[j - 1]):
        j -= 1
    return j > 0 and _list_intro(body[j - 1])


def _list_intro(line: _Line) -> bool:
    return line.text.endswith(":") and line.words >= 3


def _repeated_later(paragraph: str, following: list[str]) -> bool:
    stem = paragraph.rstrip(" .")
    return len(stem) >= 60 and any(stem in other and stem != other for other in following)


def detect_language(text: str) -> str | None:
    """Guess the language of ``text``: "en" by English stopword share, else a rough guess."""
    sample = text[:20000]
    tokens = [t.lower() for t in _WORD.findall(sample)]
    if len(tokens) >= 5 and sum(t in _EN_STOPWORDS for t in tokens) / len(tokens) >= 0.2:
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
    if best is None and sum(t in _EN_STOPWORDS for t in tokens) / len(tokens) >= 0.12:
        return "en"
    return best


def clean(page: Page) -> Article:
    """Turn one Page into an Article (html via trafilatura; text dumps and records via ours)."""
    title: str | None
    published: str | None
    site: str | None = None
    if page.content_type == "html":
        title, published, site, body = _clean_html(page)
    else:
        raw = page.content.decode("utf-8", errors="replace")
        cleaned = clean_text_dump(raw)
        title, published, body = cleaned.title, cleaned.published, cleaned.text
        if page.content_type == "record":
            meta = page.meta or {}
            if meta.get("title"):
                title = meta["title"]
            if meta.get("published"):
                published = meta["published"]
    return Article(
        id=page.id,
        page_id=page.id,
        name=page.name,
        url=page.url,
        title=title,
        published=published,
        site=site,
        language=detect_language(body) if body else None,
        text=body,
    )


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_BLOCK_TAGS = _wordset(
    """address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4
    h5 h6 header hr li main nav ol p pre section table td th tr ul"""
)
_SKIP_TAGS = _wordset("script style noscript head template svg iframe")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def visible_text(html: bytes | str) -> str:
    """Return the visible text of an HTML page as a text dump: one line per block element."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return ""
    parts: list[str] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIP_TAGS:
            if element.tail:
                parts.append(element.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _clean_html(page: Page) -> tuple[str | None, str | None, str | None, str]:
    import trafilatura

    doc = None
    try:
        doc = trafilatura.bare_extraction(
            page.content, url=page.url, favor_precision=True, include_comments=False,
            with_metadata=True,
        )
    except Exception:  # trafilatura raises assorted errors on broken markup
        doc = None
    title = getattr(doc, "title", None) or None
    date = getattr(doc, "date", None) or None
    site = getattr(doc, "sitename", None) or None
    body_raw = getattr(doc, "text", None) or ""
    published = date[:10] if isinstance(date, str) and _ISO.match(date[:10]) else None
    title_key = _norm_title(title) if title else None
    body = "\n\n".join(
        p for p in body_raw.splitlines() if p.strip() and _norm_title(p) != title_key
    )
    if not body or published is None or title is None:
        dump = clean_text_dump(visible_text(page.content))
        if not body:
            body = dump.text
        title = title or dump.title
        published = published or dump.published
    return title, published, site, body
