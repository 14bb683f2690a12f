"""Minimal word-level edits between two texts, located the way Word can find them.

The only module that imports diff-match-patch. Word mode: each token (a run of word characters, a
run of whitespace, or one other character) becomes one code point, the diff runs on those, and the
semantic clean-up runs while one code point still stands for one token, so edits never split words.
"""

from __future__ import annotations

import re
from bisect import bisect_left
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


def _fits(literal: str) -> bool:
    return len(escape_search(literal)) <= SEARCH_LIMIT


class _Matches:
    """Where Word's search finds each literal in one paragraph: left to right, non-overlapping,
    case-sensitive. Computed once per literal, so anchoring many edits stays linear."""

    def __init__(self, text: str):
        self.text = text
        self._cache: dict[str, list[int]] = {}

    def positions(self, literal: str) -> list[int]:
        found = self._cache.get(literal)
        if found is None:
            found, i, text = [], self.text.find(literal), self.text
            while i != -1:
                found.append(i)
                i = text.find(literal, i + len(literal))
            self._cache[literal] = found
        return found

    def target(self, start: int, end: int) -> dict | None:
        """``text[start:end]`` as a search target, or None when it is too long for Word's search or
        Word's non-overlapping matches skip over ``start`` ("aa" inside "aaa")."""
        literal = self.text[start:end]
        if not literal or not _fits(literal):
            return None
        found = self.positions(literal)
        k = bisect_left(found, start)
        if k == len(found) or found[k] != start:
            return None
        return {"text": literal, "search": escape_search(literal), "occurrence": k}


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


def _starting_at(m: _Matches, start: int, end: int) -> dict:
    """The longest target that begins at ``start`` and ends by ``end``, at a token boundary where it
    can; one character is always found where it is, so this never fails (``start < end``)."""
    _, limit = _clip_to_limit(m.text, start, end, from_left=True)
    bounds = [limit] + sorted((b.end() for b in _TOKEN.finditer(m.text, start, limit) if b.end() < limit), reverse=True)
    for b in bounds + [start + 1]:
        found = m.target(start, b) if b > start else None
        if found:
            return found
    raise AssertionError("a single character is always a non-overlapping match")  # pragma: no cover


def _ending_at(m: _Matches, start: int, end: int, natural: int | None = None) -> dict:
    """The longest target that ends at ``end`` and begins at or after ``start`` (``natural`` first:
    the piece the pane would choose), down to one character, which is always found where it is."""
    first, _ = _clip_to_limit(m.text, start if natural is None else natural, end, from_left=False)
    bounds = [first] + [b.end() for b in _TOKEN.finditer(m.text, first, end) if b.end() < end]
    for b in bounds + [end - 1]:
        found = m.target(b, end) if b < end else None
        if found:
            return found
    raise AssertionError("a single character is always a non-overlapping match")  # pragma: no cover


def anchor_for(text: str, start: int, end: int, matches: _Matches | None = None) -> dict:
    """Tell the pane how to find ``text[start:end]`` (or the insertion point ``start``) in Word.

    Always succeeds: a span Word cannot find in one search (too long, or skipped by its
    non-overlapping matches) gets a head that starts it and a tail that ends it; an insertion is
    anchored on the longest findable text just before it."""
    m = matches or _Matches(text)
    if start < end:
        whole = m.target(start, end)
        if whole:
            return {"mode": "replace", "target": whole}
        head = _starting_at(m, start, end)
        tail = _ending_at(m, start, end)
        return {"mode": "replace", "head": head, "tail": tail}
    # Pure insertion: anchor on the word (and any space) before it, else on the word after it.
    if start > 0:
        before = list(_TOKEN.finditer(text, max(0, start - 80), start))
        # take the last non-space token together with any whitespace that follows it
        idx = len(before) - 1
        while idx > 0 and before[idx].group(0).isspace():
            idx -= 1
        s0 = before[idx].start() if before else start - 1
        return {"mode": "after", "target": _ending_at(m, 0, start, natural=s0)}
    if not text:
        return {"mode": "before", "target": None}
    first = _TOKEN.match(text, 0)
    return {"mode": "before", "target": _starting_at(m, 0, first.end() if first else 1)}


def edits_with_anchors(original: str, edits: list[Edit]) -> list[dict]:
    """Each edit with the anchor that finds it in Word (one search cache for the paragraph)."""
    m = _Matches(original)
    return [{"start": e.start, "end": e.end, "text": e.text, "anchor": anchor_for(original, e.start, e.end, m)}
            for e in edits]
