"""Necessary literals of a regular expression, and a pattern that tests them before it runs.

Python's ``re`` has no fast skip for a case-insensitive pattern that opens with a word boundary: it
tries the whole pattern at every character of the text. Most sentences a clause type's keywords
admit hold none of the words one given pattern needs, so :class:`GuardedPattern` first asks whether
every word the pattern cannot match without is in the (lower-cased) sentence, a substring test in C,
and runs the regex only if so. The literals are read from the pattern's own parse tree, never written
by hand, so a rule file stays the single source: the result is always the regex's own.
"""

from __future__ import annotations

import re
from re import _constants as C  # noqa: N812
from re import _parser

#: Characters that ``re.IGNORECASE`` matches with an ASCII letter although ``str.lower`` does not give
#: that letter: "İ" (whose lower case is two characters) and dotless "ı" match "i", the long "ſ"
#: matches "s" (tests/engine/test_prefilter.py checks the table against ``re`` itself).
_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s"}

_MIN = 3  # shorter literals ("is", "to") are in almost every sentence: not worth a test
_MAX_ALTERNATIVES = 24
_MAX_CLAUSES = 4


def fold(text: str) -> str:
    """``text`` as the literals are tested against: lower-cased, with the letters above mapped."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD).lower()


class Exact(str):
    """A literal of a case-sensitive part of a pattern (``(?-i:AI)``): tested as written, on the
    text itself, so even two letters say something ("AI" is rare, "ai" is in "maintain")."""

    __slots__ = ()


def _implies(a: str, o: str) -> bool:
    """Does the presence of literal ``a`` (in its form) bring the presence of ``o``?"""
    if isinstance(o, Exact):
        return isinstance(a, Exact) and o in a
    return o in (a.lower() if isinstance(a, Exact) else a)


def _strength(clause: tuple[str, ...]) -> tuple[int, int]:
    return (min(len(a) for a in clause), -len(clause))


def _best(clauses: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    return max(clauses, key=_strength) if clauses else None


def _sequence(items, exact: bool = False) -> list[tuple[str, ...]]:
    """Clauses (each: one of these literals) that every match of the sequence ``items`` contains;
    ``exact``: the sequence is matched case-sensitively (its literals are :class:`Exact`)."""
    clauses: list[tuple[str, ...]] = []
    run: list[str] = []

    def flush() -> None:
        if exact and len(run) >= 2 and any(c.isupper() for c in run):
            clauses.append((Exact("".join(run)),))
        elif len(run) >= _MIN:
            clauses.append(("".join(run).lower(),))
        run.clear()

    for op, av in items:
        if op is C.LITERAL:
            ch = chr(av)
            if ch.isascii() and ch.isprintable():
                run.append(ch)
                continue
            flush()
        elif op is C.AT:
            continue  # a zero-width assertion: the characters on either side are still adjacent
        elif op is C.SUBPATTERN:
            flush()
            _group, add, remove, sub = av
            inner = False if add & re.IGNORECASE else True if remove & re.IGNORECASE else exact
            clauses.extend(_sequence(sub, inner))
        elif op is C.ATOMIC_GROUP:
            flush()
            clauses.extend(_sequence(av, exact))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            flush()
            low, _high, item = av
            if low >= 1:
                clauses.extend(_sequence(item, exact))
        elif op is C.ASSERT:
            # a lookahead or lookbehind that must hold: its words are in the text as well
            # ("^(?=.*?train)(?=.*?model)": both words, anywhere)
            flush()
            clauses.extend(_sequence(av[1], exact))
        elif op is C.BRANCH:
            flush()
            options = [_sequence(alt, exact) for alt in av[1]]
            best = [_best(o) for o in options]
            if best and all(b is not None for b in best):
                # an alternative whose literals the others already test adds none: "shall mean"
                # beside "means" is "mean", not "shall"
                for i, opts in enumerate(options):
                    others = {a for j, b in enumerate(best) if j != i for a in b}
                    covered = next((c for c in opts if all(any(_implies(lit, o) for o in others) for lit in c)), None)
                    if covered is not None:
                        best[i] = covered
                # a second test from each alternative's next literal, where it has one: "sub-licensable
                # | transferable" needs "licen" or "transfer", and also "able"
                second = [max((c for c in o if c != b), key=_strength, default=b) for o, b in zip(options, best)]
                for picks in (best, second):
                    union = tuple(dict.fromkeys(a for b in picks for a in b))
                    # "train" already admits "trains" and "training": one test for all three
                    union = tuple(a for a in union if not any(o is not a and _implies(a, o) for o in union))
                    if len(union) <= _MAX_ALTERNATIVES and union not in clauses:
                        clauses.append(union)
        else:  # a class, any character, a negative lookaround, a back reference, a conditional: no literal
            flush()
    flush()
    return clauses


def necessary_literals(pattern: re.Pattern) -> tuple[tuple[str, ...], ...]:
    """Clauses of literals: a text the pattern matches holds, for every clause, one of its literals
    (in :func:`fold`'s form; an :class:`Exact` one as written). Empty when the pattern needs no
    literal of three characters (two, written with a capital in a case-sensitive part)."""
    clauses = _sequence(_parser.parse(pattern.pattern, pattern.flags), not pattern.flags & re.IGNORECASE)
    unique = list(dict.fromkeys(clauses))
    # the longest literals are the rarest: test those, a few at most
    return tuple(sorted(unique, key=_strength, reverse=True)[:_MAX_CLAUSES])


_last: tuple[str | None, str] = (None, "")  # the text last folded, and its fold (one sentence, many patterns)


def _folded(text: str) -> str:
    global _last
    last = _last  # one read: another thread may replace it, never half of it
    if last[0] is text:
        return last[1]
    low = fold(text)
    _last = (text, low)
    return low


class GuardedPattern:
    """A compiled pattern whose ``search`` and ``finditer`` first test its necessary literals.

    Everything else (``pattern``, ``groupindex``, ``match``, ``sub`` ...) is the compiled pattern's."""

    __slots__ = ("regex", "needs", "quick", "_checks")

    def __init__(self, regex: re.Pattern, quick: re.Pattern | None = None):
        self.regex = regex
        self.needs = necessary_literals(regex)
        # each clause as (literals tested on the folded text, literals tested as written)
        self._checks = tuple((tuple(a for a in c if not isinstance(a, Exact)),
                              tuple(a for a in c if isinstance(a, Exact))) for c in self.needs)
        # a cheaper pattern that every match of ``regex`` contains a match of, if the literals say little
        self.quick = quick

    def admits(self, text: str) -> bool:
        """False only when ``text`` lacks a literal every match needs."""
        if self.quick is not None and not self.quick.search(text):
            return False
        if not self._checks:
            return True
        return self.admits_folded(text, _folded(text))

    def admits_folded(self, text: str, low: str) -> bool:
        """:meth:`admits` without the cheaper pattern, for ``text`` already folded as ``low``."""
        for folded, written in self._checks:
            for literal in folded:
                if literal in low:
                    break
            else:
                for literal in written:
                    if literal in text:
                        break
                else:
                    return False
        return True

    def search(self, text: str, *args):
        # admits(), written out: this runs for every pattern of every admitted clause type
        if self.quick is None and self._checks:
            last = _last
            low = last[1] if last[0] is text else _folded(text)
            for folded, written in self._checks:
                for literal in folded:
                    if literal in low:
                        break
                else:
                    for literal in written:
                        if literal in text:
                            break
                    else:
                        return None
            return self.regex.search(text, *args)
        return self.regex.search(text, *args) if self.admits(text) else None

    def finditer(self, text: str, *args):
        return self.regex.finditer(text, *args) if self.admits(text) else iter(())

    def __getattr__(self, name: str):
        return getattr(self.regex, name)

    def __repr__(self) -> str:
        return f"GuardedPattern({self.regex!r}, needs={self.needs!r})"

    def __eq__(self, other) -> bool:
        return self.regex == (other.regex if isinstance(other, GuardedPattern) else other)

    def __hash__(self) -> int:
        return hash(self.regex)


def _openings(items) -> set[str] | None:
    """Literals one of which every match of the sequence ``items`` opens with (lower case), or None."""
    items = list(items)
    k = 0
    while k < len(items) and items[k][0] is C.AT:  # a word boundary or anchor takes no character
        k += 1
    if k == len(items):
        return None
    op, av = items[k]
    if op is C.LITERAL:
        run = []
        for op2, av2 in items[k:]:
            ch = chr(av2) if op2 is C.LITERAL else ""
            if not (ch and ch.isascii() and ch.isprintable()):
                break
            run.append(ch.lower())
        return {"".join(run)} if run else None
    if op is C.SUBPATTERN:
        sub = av[3]
        return _openings(sub.data) if sub.getwidth()[0] > 0 else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _openings(av[2].data) if av[2].getwidth()[0] > 0 else None
    if op is C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            found = _openings(alt.data) if alt.getwidth()[0] > 0 else None
            if not found:
                return None
            out |= found
        return out
    return None


def _opens_with_boundary(items) -> bool:
    """Does every match of ``items`` start at a ``\\b`` (the first element, or the first of a group)?"""
    for op, av in items:
        if op is C.AT:
            return av is C.AT_BOUNDARY
        if op is C.SUBPATTERN:
            return _opens_with_boundary(av[3].data)
        return False
    return False


class AnchoredPattern:
    """A pattern whose every match opens with one of a few literals (``\\b(?:grants?|assigns?|...)``):
    ``search`` tries it only where one of them starts (substring search in C on the folded text),
    left to right, and so returns the match ``regex.search`` returns, the leftmost."""

    __slots__ = ("regex", "openings", "word_start", "scan")

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        parsed = _parser.parse(regex.pattern, regex.flags)
        found = _openings(parsed.data) if parsed.getwidth()[0] > 0 else None
        # "\b(?:grant|...)": a match also starts where no word character precedes
        self.word_start = bool(found) and _opens_with_boundary(parsed.data) \
            and all(o[0].isalnum() or o[0] == "_" for o in found)
        # "assigned" opens where "assign" does: the shorter one finds it
        self.openings = tuple(sorted(a for a in found if not any(o != a and a.startswith(o) for o in found))) \
            if found else None
        # openings made of letters only, each at a word start: one scan of their alternation finds
        # every place one starts after a non-letter (a match it skips over starts after a letter)
        self.scan = re.compile("|".join(re.escape(o) for o in sorted(self.openings, key=len, reverse=True))) \
            if self.word_start and all(c.isalnum() or c == "_" for o in self.openings for c in o) else None

    def search(self, text: str):
        if self.openings is None:
            return self.regex.search(text)
        low = fold(text)
        if self.scan is not None:
            match = self.regex.match
            for hit in self.scan.finditer(low):
                i = hit.start()
                if i and (low[i - 1].isalnum() or low[i - 1] == "_"):
                    continue
                m = match(text, i)
                if m:
                    return m
            return None
        starts = set()
        word_start = self.word_start
        for lit in self.openings:
            i = low.find(lit)
            while i != -1:
                # fold keeps what is a word character: the boundary reads the same on ``low``
                if not (word_start and i and (low[i - 1].isalnum() or low[i - 1] == "_")):
                    starts.add(i)
                i = low.find(lit, i + 1)
        match = self.regex.match
        for i in sorted(starts):
            m = match(text, i)
            if m:
                return m
        return None

    def __getattr__(self, name: str):
        return getattr(self.regex, name)
