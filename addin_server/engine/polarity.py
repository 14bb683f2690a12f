"""Negation scope, computed once: is a span of a clause negated, limited or conditioned?

Every rule that asks "does this sentence really say it?" asks here, instead of redoing negation with
its own expressions. The words come from ``playbook/lexicon/modality.toml`` (negators, look-alikes,
scope breaks); this module only says how far each negator reaches:

- a ``forward`` negator ("not", "no", "nothing in this Agreement", "in no event") reaches from itself
  to the next scope break; a ``clause`` negator ("is prohibited", "without the prior written consent")
  covers its whole clause, the words before it as well;
- a break ends the reach: ``end`` (";", "provided that", ", and the Agency may ..."), ``restriction``
  ("other than", "except": the negation is then a limit to what follows), ``condition`` ("unless");
- a negator that reaches a colon reaches every item of the list after it ("The Client shall not:
  (a) ...; (b) ..."), each item up to its own ";"; a list item given with its lead-in is read the same;
- a ``prohibition`` ("prevents ... from", "is prohibited from") inside another negation's reach
  cancels it: "Nothing in this Agreement prevents the Agency from using ..." permits the use.

A span not negated but followed at once by "other than" / "except" ("for any purpose other than the
Project") is a ``restriction`` too: a limit, not a grant of everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..playbook import Modality, default_modality

Kind = Literal["negation", "restriction", "conditional"]
KINDS: tuple[Kind, ...] = ("negation", "restriction", "conditional")


@dataclass(frozen=True, slots=True)
class Cue:
    """A negator found in a text, with the stretches of text it reaches."""

    id: str           # the lexicon entry
    kind: str         # negation | prohibition | conditional
    start: int
    end: int
    # half-open intervals, in order, each with the kind of break that closes it (end | restriction |
    # condition, "" at the end of the text): one interval, or the lead-in and each item of its list
    scope: tuple[tuple[int, int, str], ...]

    def covers(self, pos: int) -> bool:
        return any(a <= pos < b for a, b, _ in self.scope)

    def closed_by(self, pos: int) -> str:
        """The kind of break that ends the reach at ``pos`` ("" if none, or not covered)."""
        return next((k for a, b, k in self.scope if a <= pos < b), "")


@dataclass(frozen=True, slots=True)
class Polarity:
    """Why a span does not say what it seems to: the cue that governs it and what kind of limit."""

    kind: Kind
    cue: str          # the lexicon entry id of the negator or of the restricting break
    cue_start: int    # offsets into the text given (the item's, when a lead-in was given)
    cue_end: int


@dataclass(frozen=True, slots=True)
class _Break:
    id: str
    kind: str
    start: int
    end: int


def _breaks(text: str, lex: Modality, blocked: list[tuple[int, int]]) -> list[_Break]:
    out = []
    for m in lex.break_regex.finditer(text):
        if _inside(m.start(), blocked):
            continue
        entry = lex.scope_breaks[int(m.lastgroup[1:])]
        out.append(_Break(entry.id, entry.kind, m.start(), m.end()))
    return out


# ", which ..." / ", who ..." open a relative clause that the next comma closes (searched up to the
# negator: no comma may come between)
_RELATIVE_OPEN = re.compile(r",\s+(?:which|who|whom|whose)\b[^,;:]*$", re.IGNORECASE)
# an opening adverbial clause the next comma closes ("When a user does not consent to X, third parties
# are prohibited from ..."): a negation inside it denies the supposition, not the main clause
_OPENING_SUBORDINATE = re.compile(r"^\W*(?:when|whenever|if|where|once|although|though|while|whilst|since|because|"
                                  r"in\s+(?:the\s+)?(?:event|case)\s+that)\b[^,;:]*$", re.IGNORECASE)
_INLINE_LIST = re.compile(r"\s*(?:[,:]\s*)?\((?:1|a|i|A|I)\)\s")
# where a clause's subject may begin: the start of the text, or after "that", a comma or a colon
_SUBJECT_SLOT = re.compile(r"(?:^|\bthat|\bwhere|\bif|[,;:(])\W*$", re.IGNORECASE)
# the verb of the clause ("... has been used", "will be", "may"): the subject ends before it
_FINITE_VERB = re.compile(r"\b(?:shall|will|may|must|can|could|should|would|might|is|are|was|were|has|have|had|does|do)\b",
                          re.IGNORECASE)
# breaks that a list of nouns in a subject looks like (", or confidential information has ...")
_CLAUSE_BREAKS = frozenset({"new-clause", "comma-new-subject", "comma-new-noun-subject"})
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _closing_bracket(text: str, pos: int) -> int | None:
    """The offset of the ")" that closes the bracket open at ``pos``."""
    depth = 0
    for i in range(pos, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            if depth == 0:
                return i
            depth -= 1
    return None


def cues(text: str, modality: Modality | None = None) -> tuple[Cue, ...]:
    """Every negator in ``text`` (one clause, a sentence, or a lead-in and its list) with its reach."""
    return _cues(text, modality or default_modality())


@lru_cache(maxsize=4096)
def _cues(text: str, lex: Modality) -> tuple[Cue, ...]:
    blocked = [(m.start(), m.end()) for m in lex.not_negator_regex.finditer(text)]
    found = [m for m in lex.negator_regex.finditer(text) if not _inside(m.start(), blocked)]
    if not found:
        return ()
    breaks = _breaks(text, lex, blocked)
    colons = [i for i, ch in enumerate(text) if ch == ":"]
    out = []
    for m in found:
        entry = lex.negators[int(m.lastgroup[1:])]
        start, end = m.start(), m.end()
        after = [b for b in breaks if b.start >= end]
        if entry.scope == "determiner" and _SUBJECT_SLOT.search(text, max(0, start - 40), start):
            # "no client data, materials, or information has been used": the subject runs to its verb
            verb = _FINITE_VERB.search(text, end)
            if verb is not None:
                after = [b for b in after if not (b.id in _CLAUSE_BREAKS and b.start < verb.start()
                                                  and not _SENTENCE_END.search(text, end, b.start))]
        nxt = after[0] if after else None
        stop = nxt.start if nxt else len(text)
        begin = end
        if entry.scope == "clause":
            before = [b for b in breaks if b.end <= start]
            begin = before[-1].end if before else 0
        # a clause the next comma closes: a supposition ("regardless of whether X, Y"), or a relative
        # clause the negation sits in ("data, which no longer identifies anyone, to improve our
        # models" denies the identifying, not the improving)
        if entry.scope == "subordinate" or (
                entry.scope in ("forward", "determiner") and (_RELATIVE_OPEN.search(text, max(0, start - 120), start)
                                                              or _OPENING_SUBORDINATE.match(text[:start]))):
            close = text.find(",", end)
            if 0 <= close < stop:
                stop, nxt = close, _Break(",", "end", close, close + 1)
        depth = text.count("(", 0, start) - text.count(")", 0, start)
        if depth > 0:
            # a negation inside brackets ends with them: "(but not clause (b))"
            close = _closing_bracket(text, end)
            if close is not None and close < stop:
                stop, nxt = close, _Break(")", "end", close, close + 1)
        scope = [(begin, stop, nxt.kind if nxt else "")]
        if _INLINE_LIST.match(text, end):
            # "You will not (1) use ..., or (2) use ...": an inline list after the negator; every item
            # is inside, up to the end of the sentence
            close = _SENTENCE_END.search(text, end)
            scope = [(begin, close.start() if close else len(text), "end" if close else "")]
        colon = next((c for c in colons if end <= c < stop), None)
        if colon is not None:
            # a lead-in: every item of the list after the colon, each up to its own break
            scope = [(begin, colon + 1, "end")]
            pos = colon + 1
            if ";" not in text[pos:]:
                # the items on one line, between commas ("You agree not to: mint NFTs of, resell, or
                # use the writing in any AI project"): every one inside, up to an exception or the end
                b = next((x for x in breaks if x.start >= pos and (x.kind != "end" or _SENTENCE_END.match(text, x.start))), None)
                scope.append((pos, b.start if b else len(text), b.kind if b else ""))
                pos = len(text)
            while pos < len(text):
                b = next((x for x in breaks if x.start >= pos), None)
                scope.append((pos, b.start if b else len(text), b.kind if b else ""))
                if b is None:
                    break
                if b.id == "sentence-or-semicolon" and text[b.start] == ";":
                    pos = b.end  # the next item
                    continue
                # "other than", "unless", "provided that": the rest of this item is outside; the
                # next item (after its ";") is inside again
                semi = next((x for x in breaks if x.start >= b.end and x.id == "sentence-or-semicolon"
                             and text[x.start] == ";"), None)
                if semi is None:
                    break
                pos = semi.end
        out.append(Cue(entry.id, entry.kind, start, end, tuple(scope)))
    return tuple(out)


def polarity(text: str, start: int, end: int | None = None, lead_in: str | None = None,
             modality: Modality | None = None) -> Polarity | None:
    """Whether the span ``text[start:end]`` is inside a negation's scope, and which kind.

    ``text`` is a sentence, or a list item whose ``lead_in`` ("The Client shall not:") is given
    separately; offsets are the item's. Returns ``None`` when the span is said plainly, else:

    - ``negation``: plainly negated ("shall not be deemed a work made for hire");
    - ``restriction``: negated up to an exception, or followed at once by one ("shall not use it for
      any purpose other than the Project", "for any purpose other than the Project"): a limit;
    - ``conditional``: negated unless something happens ("shall not ... unless", "without the prior
      written consent").
    """
    lex = modality or default_modality()
    end = start if end is None else end
    offset = 0
    full = text
    if lead_in:
        offset = len(lead_in) + 1
        full = lead_in + " " + text
    pos = start + offset
    covering = [c for c in _cues(full, lex) if c.covers(pos) and not (c.start <= pos < c.end)]
    # a verb of forbidding inside another negation's reach cancels it (and is cancelled)
    cancelled: set[int] = set()
    for p in covering:
        if p.kind != "prohibition" or id(p) in cancelled:
            continue
        outer = next((n for n in covering if n is not p and id(n) not in cancelled
                      and n.start < p.start and n.covers(p.start)), None)
        if outer is not None:
            cancelled |= {id(p), id(outer)}
    live = [c for c in covering if id(c) not in cancelled]
    if live:
        cue = max(live, key=lambda c: c.start)  # the innermost
        if any(c.kind == "conditional" or c.closed_by(pos) == "condition" for c in live):
            kind: Kind = "conditional"
        elif cue.closed_by(pos) == "restriction":
            kind = "restriction"
        else:
            kind = "negation"
        return Polarity(kind, cue.id, cue.start - offset, cue.end - offset)
    if covering:
        return None  # negated twice over: said plainly
    # "for any purpose other than the Project": the span is limited by what follows it
    tail = full[end + offset:end + offset + 40]
    lead = len(tail) - len(tail.lstrip(" ,")) if tail else 0
    if tail[lead:].lower().startswith("whatsoever"):
        lead += len("whatsoever")
        lead += len(tail[lead:]) - len(tail[lead:].lstrip(" ,"))
    at = end + offset + lead
    for m in lex.break_regex.finditer(full, at, at + 30):
        entry = lex.scope_breaks[int(m.lastgroup[1:])]
        if m.start() == at and entry.kind == "restriction":
            return Polarity("restriction", entry.id, m.start() - offset, m.end() - offset)
        break
    return None


def negated(text: str, start: int, end: int | None = None, lead_in: str | None = None,
            kinds: tuple[str, ...] = KINDS) -> bool:
    """True when the span is negated, restricted or conditioned (any of ``kinds``)."""
    p = polarity(text, start, end, lead_in)
    return p is not None and p.kind in kinds


# how far into a match its own negator may stand and still govern it ("shall not assign", "does not
# grant", "is not transferring"): the modal and its "not", a word or two (characters)
HEAD_CHARS = 24


def match_negated(text: str, start: int, end: int, kinds: tuple[str, ...] = KINDS,
                  lead_in: str | None = None) -> bool:
    """Whether a pattern's match ``text[start:end]`` is negated: its start lies in a negation's scope
    ("Nothing in this Agreement grants ..."), or a negator among its first words reaches its end
    ("shall not assign ... rights", where the pattern itself begins with the modal). A negator deep
    inside a long match ("hereby assigns ..., and agrees never to assert, ... rights") does not."""
    if negated(text, start, end, lead_in, kinds):
        return True
    p = polarity(text, max(start, end - 1), end, lead_in)
    return (p is not None and p.kind in kinds and start <= p.cue_start < start + HEAD_CHARS
            # "Improvements that do not relate to ... will be owned by": a relative clause's own negation
            and not _RELATIVE.search(text, start, p.cue_start))


_RELATIVE = re.compile(r"\b(?:that|which|who|whom|whose|where)\b", re.IGNORECASE)


__all__ = ["Cue", "Polarity", "KINDS", "cues", "polarity", "negated", "match_negated"]
