"""The vocabulary of the text-dump cleaner: word lists and the regular expressions that tell
page furniture (menus, captions, credits, bios, sign-up calls, comment headings) from prose."""

from __future__ import annotations

import re


def wordset(words: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``words`` as a frozen set."""
    return frozenset(words.split())


EN_STOPWORDS = wordset(
    """a about after all also an and any are as at be been before but by can could did do does
    for from had has have he her his how i if in into is it its may more most no not of on one
    or other our out over said says she should so some such than that the their them then
    there these they this those to under up us was we were what when where which while who
    will with would you your"""
)

# Headings that open a block of links to other stories, comments or sharing tools.
END_HEADING = re.compile(
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
BOILERPLATE = re.compile(
    r"""©|\(c\)\s*\d{4}|copyright|all\s+rights\s+reserved|rights\s+of\s+the\s+publication|
    reproduction\s+without|privacy\s+(?:policy|notice|settings)|terms\s+(?:of|and)\s+
    (?:use|service|conditions)|newsletter|subscribe\b|subscription|sign\s+(?:in|up)\b|log\s*in\b|
    log\s+out|follow\s+us|click\s+here|javascript|^advertis(?:e|ement|ing)\b|download\s+(?:the|our)
    \s+app|about\s+us|contact\s+us|skip\s+to|back\s+to\s+top|print\s+edition""",
    re.IGNORECASE | re.VERBOSE,
)
# Words that mark a line as furniture when it is short and reads as no sentence.
WEAK_BOILERPLATE = re.compile(
    r"""share\s+(?:on|this|via)|photo\s*:|image\s*:|credit\s*:|getty\s+images|reuters\s*/|
    \bAP\s+photo|enlarge\s+this\s+image|caption|toggle|menu\b|email\s+(?:this|address)|
    whatsapp|facebook|twitter|linkedin|pinterest|instagram|register\b|sponsored|advertis""",
    re.IGNORECASE | re.VERBOSE,
)

COOKIES = re.compile(r"\bcookies?\b.{0,80}\b(?:consent|accept|agree|browsing|experience|use)"
                     r"|\b(?:consent|accept|agree)\b.{0,80}\bcookies?\b", re.IGNORECASE)
RELATIVE_TIME = re.compile(
    r"^(?:about\s+)?(?:\d+|an?|one)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|"
    r"months?|years?)\s+ago\b\.?(?:\s+at\s+[\d:]+\s*(?:[ap]\.?m\.?)?)?$|"
    r"^(?:just\s+now|yesterday|today)$",
    re.IGNORECASE,
)
NUMBERISH = re.compile(r"^[\W\d_]*$")
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$")
LIST_SEP = re.compile(r"\s(?:\||-|–|•|·|/|»)\s")
TRUNCATED = re.compile(r"[\w,](?:\.\.\.|…)$")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
WALL = re.compile(
    r"^(?:comments?(?:\s+\(\d+\))?|\d+\s+comments?|leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|"
    r"join\s+the\s+(?:discussion|conversation)|your\s+thoughts\s+and\s+comments|"
    r"\d+\s+(?:responses?|replies|thoughts|comments?)\s+(?:to|on)\b.*|"
    r"(?:\W*\w+\W+){0,3}comments\W*(?:\w+\W*)?)\s*:?$",
    re.IGNORECASE,
)
# "READ MORE: <headline>", "Related: <headline>", "Also on example.com: <headline>"
LINK_LINE = re.compile(
    r"^(?:(?:also\s+)?(?:read|see|watch|listen)(?:\s+(?:more|also|next|this))?|related(?:\s+\w+)?|"
    r"also(?:\s+on\s+\S+)?|more|on\s+\S+\.(?:com|net|org|co\.uk|in))\s*:\s*\S",
    re.IGNORECASE,
)
# Photo captions: "In this Nov. 3 file photo, ...", "Jane Doe, left, and ...", "... [File: Reuters]"
CAPTION = re.compile(
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
CREDIT = re.compile(
    r"^(?:(?:photo(?:graph)?s?|image|picture|credit|source)\s*(?:credit)?\s*(?::|by)|courtesy\b)"
    r"|^[\w.'’ -]*[a-z]/[A-Z][\w.'’ /-]*$",
    re.IGNORECASE,
)
# An author's bio: "Jane Doe is a staff writer at ...", "John joined the magazine in 2017 ..."
BIO = re.compile(
    r"""^(?:[A-Z][\w.'’-]+\s+){0,3}[A-Z][\w.'’-]+(?:\s+\([^)]{1,40}\))?\s+
    (?:(?:is|was)\s+(?:an?|the)|has\s+been|joined|writes|covers|reports)\b.{0,200}?
    \b(?:writer|reporter|journalist|editor|correspondent|columnist|contributor|blogger|author|
    freelancer|host|podcaster|producer|photographer|reporting\s+on|covering|has\s+written)\b""",
    re.VERBOSE,
)
# Calls to sign up, write in or follow the author, which close many articles.
PROMO = re.compile(
    r"""\b(?:to|in|into)\s+your\s+(?:e-?mail\s+)?inbox\b|\bmeet\s+your\s+inbox\b|\bnews\s+alerts\b
    |breaking\s+news\s+emails|(?:can|may)\s+be\s+reached\s+(?:at|by)\b|^write\s+to\s+.{1,60}@
    |\bfollow\s+(?:him|her|them|me|the\s+author)\s+on\b|^have\s+a\s+(?:news\s+)?tip\b
    |\bplease\s+be\s+(?:respectful|civil|polite)\b
    |^thanks?\s+(?:you\s+)?for\s+(?:reading|watching)\b
    |\bsupport\s+(?:our|independent)\s+journalism\b|\bdonate\s+(?:now|today)\b""",
    re.IGNORECASE | re.VERBOSE,
)
COMMENTER = re.compile(r"\b(?:says|said|wrote|replied)\s*:$", re.IGNORECASE)
BULLET = re.compile(r"^[•·▪●◦*\-–]\s*")
