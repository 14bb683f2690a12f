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


#: Sentence-like pieces: text up to a run of ``.;!?`` and the whitespace after it. Each piece ends at
#: a token boundary, so word edits found inside pieces never split a word.
_PIECE = re.compile(r"[^.;!?]*[.;!?]+\s*|[^.;!?]+")
#: A diff of at most this many symbols on each side times the other is run exactly (minimal and
#: deterministic); a larger one runs under ``_BOUNDED_SECONDS`` and may come out less minimal, but
#: always turns one text into the other. Real paragraphs stay far below it once split into pieces.
_EXACT_WORK = 4_000_000
_BOUNDED_SECONDS = 0.05


def _diff_codes(a: str, b: str) -> list[tuple[int, str]]:
    """diff-match-patch on two strings of symbols: exact when small, time-bounded when huge."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0 if len(a) * len(b) <= _EXACT_WORK else _BOUNDED_SECONDS
    return dmp.diff_main(a, b, False)


class _Codes:
    """Each distinct string (token or piece) as one private-use code point, so the diff runs on those."""

    def __init__(self):
        self.vocab: dict[str, str] = {}

    def encode(self, parts: list[str]) -> str:
        out = []
        for part in parts:
            code = self.vocab.get(part)
            if code is None:
                code = chr(_PRIVATE_BASE + len(self.vocab))
                self.vocab[part] = code
            out.append(code)
        return "".join(out)


#: Up to this many pieces on both sides times each other, pieces are aligned by a real diff; past it
#: (a paragraph of hundreds of sentences) by a linear walk that resynchronises on equal pieces.
_EXACT_PIECES = 2_500
#: How far the linear walk looks ahead for an inserted or deleted piece.
_LOOKAHEAD = 4


def _diff_middle(original: str, revised: str) -> list[Edit]:
    """Align sentence-like pieces first, then diff words inside each changed run of pieces: the cost
    follows the size of what changed, not the square of the paragraph (every sentence of a
    50,000-character paragraph may carry an edit)."""
    if not original or not revised:
        return [Edit(0, len(original), revised)] if original != revised else []
    pieces_a, pieces_b = _PIECE.findall(original), _PIECE.findall(revised)
    if len(pieces_a) <= 1 or len(pieces_b) <= 1:
        return _word_diff(original, revised)
    edits: list[Edit] = []
    offset = 0
    for equal, run_a, run_b in _align_pieces(pieces_a, pieces_b):
        if not equal:
            edits.extend(_run_edits(run_a, run_b, offset))
        offset += sum(map(len, run_a))
    return edits


def _align_pieces(a: list[str], b: list[str]) -> list[tuple[bool, list[str], list[str]]]:
    """Runs of equal pieces and runs of changed pieces, in order, covering both lists."""
    runs: list[tuple[bool, list[str], list[str]]] = []

    def add(equal: bool, xs: list[str], ys: list[str]) -> None:
        if runs and runs[-1][0] == equal:
            runs[-1][1].extend(xs)
            runs[-1][2].extend(ys)
        else:
            runs.append((equal, list(xs), list(ys)))

    if len(a) * len(b) <= _EXACT_PIECES:
        codes = _Codes()
        i = j = 0
        for op, data in _diff_codes(codes.encode(a), codes.encode(b)):
            n = len(data)
            if op == 0:
                add(True, a[i:i + n], b[j:j + n])
                i, j = i + n, j + n
            elif op == -1:
                add(False, a[i:i + n], [])
                i += n
            else:
                add(False, [], b[j:j + n])
                j += n
        return runs
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            add(True, [a[i]], [b[j]])
            i, j = i + 1, j + 1
            continue
        inserted = next((t for t in range(1, _LOOKAHEAD + 1) if j + t < len(b) and b[j + t] == a[i]), 0)
        deleted = next((t for t in range(1, _LOOKAHEAD + 1) if i + t < len(a) and a[i + t] == b[j]), 0)
        if inserted and (not deleted or inserted <= deleted):
            add(False, [], b[j:j + inserted])
            j += inserted
        elif deleted:
            add(False, a[i:i + deleted], [])
            i += deleted
        else:  # edited in place
            add(False, [a[i]], [b[j]])
            i, j = i + 1, j + 1
    if i < len(a) or j < len(b):
        add(False, a[i:], b[j:])
    return runs


def _run_edits(run_a: list[str], run_b: list[str], offset: int) -> list[Edit]:
    """Word edits for one changed run of pieces, at ``offset`` in the original."""
    a, b = "".join(run_a), "".join(run_b)
    if not a or not b:
        return [Edit(offset, offset + len(a), b)]
    if len(run_a) == len(run_b) and len(a) * len(b) > _EXACT_WORK:
        # as many pieces on each side: each was edited in place; diff them pairwise, exactly
        out, at = [], offset
        for x, y in zip(run_a, run_b):
            out.extend(_word_diff(x, y, at))
            at += len(x)
        return out
    return _word_diff(a, b, offset)


def _word_diff(original: str, revised: str, offset: int = 0) -> list[Edit]:
    """Word-level edits: one code point per token, diffed, with the semantic clean-up run while one
    code point still stands for one token."""
    if original == revised:
        return []
    if not original or not revised:
        return [Edit(offset, offset + len(original), revised)]
    codes = _Codes()
    diffs = _diff_codes(codes.encode(tokens(original)), codes.encode(tokens(revised)))
    diff_match_patch().diff_cleanupSemantic(diffs)
    decode = {code: tok for tok, code in codes.vocab.items()}

    edits: list[Edit] = []
    pos = offset
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
