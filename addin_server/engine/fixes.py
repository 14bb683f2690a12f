"""Fixes: what a rule's fix does to a paragraph, and the finding that carries it.

``apply_fix`` turns a span into the paragraph text after the fix (delete, replace, insert, a
function); ``_finding`` wraps the result as a finding with its suggestion, fallback and comments. The
review and the checks both build findings here.
"""

from __future__ import annotations

import re

from ..playbook import Rule
from ..redline.diff import Edit
from . import prohibition
from .document import Context, ParaInfo
from .findings import Comment, EditSuggestion, Finding
from .redlining import word_edits
from .text import Segment, split_sentences

# --- risky and pattern-based incomplete rules -------------------------------------------------


_TRAILING_ARTICLE = re.compile(r"\b([Aa]n?)\s+$")


def apply_fix(fix, text: str, start: int, end: int, seg: Segment, ctx: Context) -> str | None:
    """The paragraph text after applying ``fix`` to the span ``[start, end)``."""
    action = fix.action
    if action == "delete":
        before, after = text[:start], text[end:]
        art = _TRAILING_ARTICLE.search(before, max(0, len(before) - 40))  # at the end only: linear
        if art:
            article = ("An" if art.group(1)[0] == "A" else "an") if re.match(r"[aeiouAEIOU]", after) else art.group(1)[0]
            before = before[: art.start(1)] + article + before[art.end(1):]
        if before.endswith(" ") and after.startswith(" "):
            after = after[1:]
        # "transferable, perpetual right" less "perpetual " leaves "transferable, right"
        if before.endswith(", ") and re.match(r"[A-Za-z]", after) and not re.match(r"(?:and|or)\b", after):
            nxt = re.match(r"\w+", after).group(0).lower()
            if nxt in _NOUNS_AFTER_ADJECTIVES:
                before = before[:-2] + " "
        return before + after
    if action == "replace":
        return text[:start] + ctx.fill(fix.text) + text[end:]
    if action == "insert_after":
        return text[:end] + ctx.fill(fix.text) + text[end:]
    if action == "insert_before_end":
        pos = seg.end
        while pos > seg.start and text[pos - 1] in ".;:,":
            pos -= 1
        return text[:pos] + ctx.fill(fix.text) + text[pos:]
    if action == "append_sentence":
        pos = seg.end
        closing = "" if text[pos - 1] in ".!?;:" else "."
        return text[:pos] + closing + " " + ctx.fill(fix.text) + text[pos:]
    if action == "function":
        return FIX_FUNCTIONS[fix.function](text, start, end, ctx)
    raise ValueError(f"unknown fix action {action!r}")


_NOUNS_AFTER_ADJECTIVES = {"license", "licence", "licenses", "licences", "right", "rights", "permission", "grant"}


def _negate_adjective(text: str, start: int, end: int, ctx: Context) -> str:
    """"transferable" -> "non-transferable"; a "with the right to sublicense" phrase is struck."""
    span = text[start:end]
    modal = re.match(r"(may|can)(\s+)", span, re.IGNORECASE)
    if modal:  # "may sublicense" -> "may not sublicense"
        return text[:start + modal.end(1)] + " not" + text[start + modal.end(1):]
    if not re.match(r"(?:with|including)\b", span, re.IGNORECASE):
        return text[:start] + "non-" + span + text[end:]
    before, after = text[:start], text[end:]
    if before.endswith("(") and after.startswith(")"):
        before, after = before[:-1], after[1:]
    before = before.rstrip(" ,") if not after.startswith((",", ".", ";")) or before.endswith(" ") else before
    if before and after and not after.startswith((" ", ",", ".", ";")) and not before.endswith(" "):
        before += " "
    return before + after


_NEGATIONS = [
    (r"may|can", "shall not"),
    (r"is\s+(?:free|entitled|permitted)\s+to", "is not permitted to"),
    (r"shall\s+be\s+(?:free|entitled|permitted)\s+to", "shall not be permitted to"),
    (r"(?:has|have)\s+the\s+right\s+to", "shall not"),
    (r"shall\s+have\s+the\s+right\s+to", "shall not"),
    (r"reserves?\s+the\s+right\s+to", "shall not"),
]


# "... and may use such digital replica in future productions, provided that ...": a second permission
# that exploits what the first one made; once the first is a prohibition it has nothing left to refer to
_DEPENDENT_PERMISSION = re.compile(r",?\s+and\s+(?:thereafter\s+)?may\s+[^.;]*?\bsuch\b[^.;]*(?=[.;]|$)", re.IGNORECASE)
_SENTENCE_STOP = re.compile(r"[.;]")


def _negate_permission(text: str, start: int, end: int, ctx: Context) -> str:
    span = text[start:end]
    replacement = "shall not"
    for rx, candidate in _NEGATIONS:
        if re.fullmatch(rx, span, re.IGNORECASE):
            replacement = candidate
            break
    rest = text[end:]
    # only in the rest of this sentence: never a later sentence's permission (and never a search of
    # the whole paragraph's tail for every permission in it, which is quadratic in a long paragraph)
    stop = _SENTENCE_STOP.search(rest)
    dependent = _DEPENDENT_PERMISSION.search(rest, 0, stop.end() if stop else len(rest))
    if dependent:
        rest = rest[:dependent.start()] + rest[dependent.end():]
    revised = text[:start] + replacement + rest
    if _whole_prohibition_elsewhere(ctx):
        return revised  # the review inserts a whole prohibition, or the contract has one: minimal
    # otherwise the restriction it becomes is the contract's AI clause, and a whole one: the same
    # elements a drafted prohibition must have, or re-review finds it incomplete
    seg_start = max((s.start for s in split_sentences(revised) if s.start <= start), default=0)
    seg = next(s for s in split_sentences(revised) if s.start == seg_start)
    return prohibition.complete_prohibition(revised, seg, ctx)


def _whole_prohibition_elsewhere(ctx: Context) -> bool:
    """Whether the reviewed contract ends up with a whole AI-training prohibition without this fix
    (found once per review, before the rules run: ``Context.whole_prohibition``)."""
    assert ctx.whole_prohibition is not None, "the review sets whole_prohibition before the rules run"
    return ctx.whole_prohibition




FIX_FUNCTIONS = {"negate_adjective": _negate_adjective, "negate_permission": _negate_permission}


def _comment(rule: Rule, ctx: Context, **extra: str) -> Comment:
    return Comment(ctx.fill(rule.comment_counterparty, **extra), ctx.fill(rule.comment_internal, **extra))


def _finding(rule: Rule, ctx: Context, info: ParaInfo, start: int, end: int, revised: str,
             extra: dict | None = None, edits: list[Edit] | None = None,
             sentences: frozenset[int] | None = None) -> Finding:
    """A finding whose suggestion turns the paragraph into ``revised``; ``edits``, when the rule
    knows them exactly (insertions of missing words), are used as they are instead of a diff;
    ``sentences``, when known, are the starts of the sentences the fix changes."""
    extra = extra or {}
    text = info.para.text
    edits = word_edits(text, revised) if edits is None else edits
    alternatives = []
    if rule.fallback and rule.fallback.action:
        seg = next((s.seg for s in info.sentences if s.seg.start <= start < s.seg.end), None)
        if seg is not None:
            alt = apply_fix(rule.fallback, text, start, end, seg, ctx)
            if alt and alt != text:
                alternatives.append(EditSuggestion(info.para.id, text, alt, tuple(word_edits(text, alt)),
                                                   label=rule.fallback.label))
    return Finding(
        rule_id=rule.id, kind=rule.kind, category=rule.category, clause_type=rule.clause_type,
        title=rule.title, message=ctx.fill(rule.message, **extra),
        paragraph_id=info.para.id, span=(start, end), comment=_comment(rule, ctx, **extra),
        suggestion=EditSuggestion(info.para.id, text, revised, tuple(edits)),
        alternatives=tuple(alternatives),
        order=info.index * 1000 + start / max(len(text), 1), sentences=sentences,
    )
