"""Sentence segmentation with offsets into the exact text received."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations that end with a period but do not end a sentence in contracts.
_ABBREVIATIONS = {
    "inc", "ltd", "llc", "l.l.c", "co", "corp", "no", "nos", "sec", "secs", "art", "arts", "e.g",
    "i.e", "etc", "u.s", "u.k", "vs", "v", "mr", "mrs", "ms", "dr", "st", "para", "paras", "cf",
    "approx", "dept", "est", "fig", "jr", "sr", "n.a", "s.a", "b.v", "n.v", "plc", "pty", "gmbh",
    "ag", "p.c", "l.p", "lp", "incl", "viz", "et al", "al", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "ex", "exh", "sch", "ch", "pp", "p", "s",
    "a.i",  # "feed the art to A.I. programs": the stops of the acronym
}

# A boundary: end punctuation (optionally closed by quotes/brackets), whitespace, then something
# that can open a sentence; or a line break, unless it only wraps a line (see _wrapped).
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


# A sentence that carries on the one before: "This includes ...", "These restrictions also apply to ...":
# what it says belongs to the sentence it follows (a prohibition's elements, an AI clause's stance).
# marks of text pasted from the web or Markdown: emphasis ("**licence**", "__only__") for the clause
# patterns; with headings, code and single stars (MARKUP) for reading AI clauses
EMPHASIS = re.compile(r"\*\*|__")
MARKUP = re.compile(r"[*_#`]+")
# HTML tags pasted with the text ("<strong>Transparency:</strong>"): markup, not words
TAGS = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>]{0,80})?/?>")
# a web address, or a Markdown link's target ("[Privacy Policy](https://.../how-your-data-is-used-to-improve-model-performance)"):
# its words are a path, not the clause's
URL = re.compile(r"\]\([^)\s]*\)|\bhttps?://[^\s)\]>\"”]+|\bwww\.[^\s)\]>\"”]+", re.IGNORECASE)


def blank(marks: re.Pattern, text: str) -> str:
    """``text`` with what ``marks`` matches read as spaces: the offsets stay those of the text."""
    return marks.sub(lambda m: " " * len(m.group(0)), text)


CONTINUES = re.compile(r"^\W{0,3}(?:This|These|The\s+foregoing|Such|It)\s+(?:(?:restrictions?|prohibitions?|obligations?|permissions?|licen[cs]es?|rights?|covenants?)\s+)?(?:also\s+|further\s+)?(?:includes?|covers?|appl(?:y|ies)|extends?|binds?)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence-sized piece of a paragraph: ``text == paragraph[start:end]``."""

    start: int
    end: int
    text: str


# Cheap test: could ``text`` hold a boundary at all? Most paragraphs are one sentence. Written to
# open with one character class, which re skips to in C: ``[.!?;]["'”’)\]]*[ \t\u00a0]|[\u000b\n\r]``.
_ANY_BOUNDARY = re.compile(r"""[.!?;\u000b\n\r](?:(?<=[.!?;])["'”’)\]]*[ \t\u00a0]|(?<=[\u000b\n\r]))""")
# The boundaries, found from the punctuation that opens them (a skip in C) rather than by a
# lookbehind at every character: group "soft" is a soft boundary (after [.!?;]), "hard" a line break
_BOUNDARY_AT = re.compile(
    r"""[.!?;](?P<soft>["'”’)\]]*[ \t\u00a0]+(?=[\"'“‘(\[]?[A-Z0-9(]))|(?P<hard>[\u000b\n\r]+)"""
)
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")
# A line break inside a sentence, as text hard-wrapped in Markdown or pasted from a PDF has ("grants us
# a licence solely to\nprovide the Services"): one break, after a word or a comma, before a word in
# lower case. A break after a colon or a stop, before a capital, a number or a list marker ("b)", "iv."),
# or a blank line, still separates.
_WRAP_BEFORE = re.compile(r"[\w,)-][ \t\u00a0]*$")
_ONE_BREAK = frozenset({"\n", "\r\n", "\n\r", "\r", "\u000b"})  # a blank line is two
_WRAP_AFTER = re.compile(r"[ \t\u00a0]*(?![a-z][.)]|[ivx]{1,4}[.)])[a-z]")


def _wrapped(text: str, end: int, after: int) -> bool:
    """Is the line break ``text[end:after]`` a wrapped line inside one sentence?"""
    return (text[end:after] in _ONE_BREAK
            and bool(_WRAP_BEFORE.search(text, max(0, end - 8), end))
            and bool(_WRAP_AFTER.match(text, after)))


def split_sentences(text: str, split_semicolons: bool = False) -> list[Segment]:
    """Split ``text`` into sentences; offsets index the original string, nothing is normalised."""
    segments: list[Segment] = []
    if not _ANY_BOUNDARY.search(text):
        _append(segments, text, 0, len(text))
        return segments
    start = 0
    for match in _BOUNDARY_AT.finditer(text):
        hard = match.lastgroup == "hard"
        end, after = match.span(match.lastgroup)
        piece = text[start:end]
        if hard:
            if _wrapped(text, end, after):
                continue
        else:
            if piece.rstrip().endswith(";") and not split_semicolons:
                continue
            word = _LAST_WORD.search(piece.rstrip("\"'”’)]"))
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
            # A single capital before the period is an initial ("J. Smith"), not a sentence end.
            if _INITIAL.search(piece):
                continue
        _append(segments, text, start, end)
        start = after
    _append(segments, text, start, len(text))
    return segments


def _append(segments: list[Segment], text: str, start: int, end: int) -> None:
    # Trim whitespace at both ends but keep offsets true.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        segments.append(Segment(start, end, text[start:end]))


# ", and the commissioner hereby grants ...": a second clause with a grant of its own, after a comma
SECOND_GRANT = re.compile(r",\s*(?:and|but|while|whereas)\s+(?=(?:the\s+|each\s+|such\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:hereby\s+)?"
                           r"(?:grants?|assigns?|licen[cs]es|transfers?|(?:shall|will)\s+(?:grant|assign|license|licence|own|retain)|retains?|owns?)\b)",
                           re.IGNORECASE)
