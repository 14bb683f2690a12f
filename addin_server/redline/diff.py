"""Minimal word-level edits between two texts, located the way Word can find them.

The only module that imports diff-match-patch. Word mode: each token (a run of word characters, a
run of whitespace, or one other character) becomes one code point, the diff runs on those, and the
semantic clean-up runs while one code point still stands for one token, so edits never split words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

SEARCH_LIMIT = 255  # Word's paragraph.search() limit, escapes included
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_PRIVATE_BASE = 0xF0000  # supplementary private use area: never appears in contract text


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``original[start:end]`` with ``text``."""

    start: int
    end: int
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _cls(ch: str) -> int:
    """Token class of a character: word characters and whitespace form runs; others stand alone."""
    return 1 if ch.isalnum() or ch == "_" else 2 if ch.isspace() else 0


def _joined(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` would sit in one token (so no boundary may fall between them)."""
    return _cls(a) == _cls(b) != 0


def word_edits(original: str, revised: str) -> list[Edit]:
    """Edits, sorted and non-overlapping, that turn ``original`` into ``revised`` word by word.

    The common head and tail (cut at token boundaries) are set aside first, so only the changed
    middle is diffed: a paragraph of 5,000 words with one changed clause costs what the clause costs.
    """
    if original == revised:
        return []
    n, m = len(original), len(revised)
    head = _common_prefix(original, revised)
    while 0 < head and ((head < n and _joined(original[head - 1], original[head]))
                        or (head < m and _joined(revised[head - 1], revised[head]))):
        head -= 1
    tail = _common_suffix(original[head:], revised[head:])
    while 0 < tail and ((n - tail > 0 and _joined(original[n - tail - 1], original[n - tail]))
                        or (m - tail > 0 and _joined(revised[m - tail - 1], revised[m - tail]))):
        tail -= 1
    middle = _diff_middle(original[head:n - tail], revised[head:m - tail])
    return [Edit(e.start + head, e.end + head, e.text) for e in middle]


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, by bisection on slice comparisons (C speed, log n steps)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid:len(a) - lo] == b[len(b) - mid:len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _diff_middle(original: str, revised: str) -> list[Edit]:
    if not original or not revised:
        return [Edit(0, len(original), revised)] if original != revised else []
    vocab: dict[str, str] = {}

    def encode(text: str) -> str:
        out = []
        for tok in tokens(text):
            code = vocab.get(tok)
            if code is None:
                code = chr(_PRIVATE_BASE + len(vocab))
                vocab[tok] = code
            out.append(code)
        return "".join(out)

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # deterministic: never depends on machine load (inputs are bounded)
    diffs = dmp.diff_main(encode(original), encode(revised), False)
    dmp.diff_cleanupSemantic(diffs)
    decode = {code: tok for tok, code in vocab.items()}

    edits: list[Edit] = []
    pos = 0
    pending_start: int | None = None
    pending_end = 0
    pending_text: list[str] = []
    for op, data in diffs:
        chunk = "".join(decode[c] for c in data)
        if op == 0:
            if pending_start is not None:
                edits.append(Edit(pending_start, pending_end, "".join(pending_text)))
                pending_start, pending_text = None, []
            pos += len(chunk)
            continue
        if pending_start is None:
            pending_start, pending_end = pos, pos
        if op == -1:
            pos += len(chunk)
            pending_end = pos
        else:
            pending_text.append(chunk)
    if pending_start is not None:
        edits.append(Edit(pending_start, pending_end, "".join(pending_text)))
    return edits


def apply_edits(original: str, edits: list[Edit] | list[dict]) -> str:
    """Apply non-overlapping edits (offsets into ``original``) right to left."""
    result = original
    norm = [e if isinstance(e, Edit) else Edit(e["start"], e["end"], e["text"]) for e in edits]
    for e in sorted(norm, key=lambda e: (e.start, e.end), reverse=True):
        result = result[: e.start] + e.text + result[e.end:]
    return result


def escape_search(literal: str) -> str:
    """Escape a literal for Word's ``search``: ``^`` doubles, tab is ``^t``, soft break ``^l``."""
    return literal.replace("^", "^^").replace("\t", "^t").replace("\u000b", "^l")


def occurrence(text: str, literal: str, at: int) -> int:
    """Index of the match starting at ``at`` among non-overlapping left-to-right matches."""
    k, i = 0, text.find(literal)
    while i != -1 and i < at:
        k += 1
        i = text.find(literal, i + len(literal))
    if i != at:
        raise ValueError("literal does not occur at the requested offset")
    return k


def _target(text: str, start: int, end: int) -> dict:
    literal = text[start:end]
    return {"text": literal, "search": escape_search(literal), "occurrence": occurrence(text, literal, start)}


def _fits(literal: str) -> bool:
    return len(escape_search(literal)) <= SEARCH_LIMIT


def _clip_to_limit(text: str, start: int, end: int, from_left: bool) -> tuple[int, int]:
    """Shrink [start, end) to a piece whose escaped form fits the search limit."""
    budget = SEARCH_LIMIT
    if from_left:
        i = start
        while i < end and budget - len(escape_search(text[i])) >= 0:
            budget -= len(escape_search(text[i]))
            i += 1
        return start, i
    i = end
    while i > start and budget - len(escape_search(text[i - 1])) >= 0:
        budget -= len(escape_search(text[i - 1]))
        i -= 1
    return i, end


def anchor_for(text: str, start: int, end: int) -> dict:
    """Tell the pane how to find ``text[start:end]`` (or the insertion point ``start``) in Word."""
    if start < end:
        if _fits(text[start:end]):
            return {"mode": "replace", "target": _target(text, start, end)}
        h0, h1 = _clip_to_limit(text, start, end, from_left=True)
        t0, t1 = _clip_to_limit(text, max(h1, start), end, from_left=False)
        return {"mode": "replace", "head": _target(text, h0, h1), "tail": _target(text, t0, t1)}
    # Pure insertion: anchor on the word (and any space) before it, else on the word after it.
    if start > 0:
        before = [m for m in _TOKEN.finditer(text, max(0, start - 80), start)]
        # take the last non-space token together with any whitespace that follows it
        idx = len(before) - 1
        while idx > 0 and before[idx].group(0).isspace():
            idx -= 1
        s0 = before[idx].start() if before else start - 1
        s0, _ = _clip_to_limit(text, s0, start, from_left=False)
        return {"mode": "after", "target": _target(text, s0, start)}
    m = _TOKEN.match(text, 0)
    e0 = m.end() if m else min(1, len(text))
    if e0 == 0:
        return {"mode": "before", "target": None}
    return {"mode": "before", "target": _target(text, 0, e0)}


def edits_with_anchors(original: str, edits: list[Edit]) -> list[dict]:
    """Each edit with its anchor. In the rare text where the edit's own words cannot be told apart
    by Word's non-overlapping search ("aa" inside "aaa"), the edit is widened by a neighbouring
    token on each side (keeping those tokens in its replacement) until they can."""
    out = []
    spans: list[int] | None = None
    for e in edits:
        start, end, text = e.start, e.end, e.text
        while True:
            try:
                anchor = anchor_for(original, start, end)
                break
            except ValueError:
                spans = spans or _token_bounds(original)
                new_start = max((b for b in spans if b < start), default=0)
                new_end = min((b for b in spans if b > end), default=len(original))
                if e.start == e.end and start > 0:  # pure insertion: widen the anchor only
                    text = original[new_start:start] + text
                else:
                    text = original[new_start:start] + text + original[end:new_end]
                    end = new_end
                start = new_start
        out.append({"start": start, "end": end, "text": text, "anchor": anchor})
    return out


def _token_bounds(text: str) -> list[int]:
    return sorted({0, len(text)} | {m.start() for m in _TOKEN.finditer(text)})
