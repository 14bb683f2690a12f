"""Fixes: what a rule's fix does to a paragraph, and the finding that carries it.

``apply_fix`` turns a span into the paragraph text after the fix (delete, replace, insert, a
function); ``_finding`` wraps the result as a finding with its suggestion, fallback and comments. The
review and the checks both build findings here.
"""

from __future__ import annotations

import re

from ..playbook import Rule
from ..redline.diff import Edit
from . import lists, prohibition
from .document import Context, ParaInfo
from .exposure import FINAL_ONLY, ON_PAYMENT
from .findings import Comment, EditSuggestion, Finding
from .redlining import word_edits
from .text import SECOND_GRANT, Segment, split_sentences

# --- risky and pattern-based incomplete rules -------------------------------------------------


_TRAILING_ARTICLE = re.compile(r"\b([Aa]n?)\s+$")


def apply_fix(fix, text: str, start: int, end: int, seg: Segment, ctx: Context) -> str | None:
    """The paragraph text after applying ``fix`` to the span ``[start, end)``."""
    if fix.phrase is not None and fix.phrase.match(text, start, end):
        return text[:start] + ctx.fill(fix.phrase_text) + text[end:]
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
        words = ctx.fill(fix.text)
        lead_in = _LEAD_IN_TO.search(text, max(seg.start, pos - 40), pos) if ":" in text[pos:seg.end] else None
        if lead_in and words.startswith(" "):
            # a list's lead-in ends in "to:": "a licence to solely for the Project:" reads as nothing; the
            # limit goes before the "to": "a licence, solely for the Project, to:"
            at = lead_in.start()
            return text[:at] + "," + words + "," + text[at:]
        return text[:pos] + words + text[pos:]
    if action == "append_sentence":
        pos = seg.end
        closing = "" if text[pos - 1] in ".!?;:" else "."
        return text[:pos] + closing + " " + ctx.fill(fix.text) + text[pos:]
    if action == "function":
        return FIX_FUNCTIONS[fix.function](text, start, end, ctx)
    raise ValueError(f"unknown fix action {action!r}")


_LEAD_IN_TO = re.compile(r"\s+to\s*$")

_NOUNS_AFTER_ADJECTIVES = {"license", "licence", "licenses", "licences", "right", "rights", "permission", "grant"}


_AN = re.compile(r"\b([Aa])n(\s+)$")


def _negate_adjective(text: str, start: int, end: int, ctx: Context) -> str:
    """"transferable" -> "non-transferable"; a "with the right to sublicense" phrase is struck."""
    span = text[start:end]
    modal = re.match(r"(may|can)(\s+)", span, re.IGNORECASE)
    if modal:  # "may sublicense" -> "may not sublicense"
        return text[:start + modal.end(1)] + " not" + text[start + modal.end(1):]
    if not re.match(r"(?:with|including)\b", span, re.IGNORECASE):
        # "an exclusive licence" -> "a non-exclusive licence"
        before = _AN.sub(r"\1\2", text[:start]) if span[:1].lower() in "aeiou" else text[:start]
        return before + "non-" + span + text[end:]
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


_MODAL_SPAN = re.compile(r"(?:may|can|is|shall|has|have|reserves?)\b", re.IGNORECASE)
_ONLY_MARKS = re.compile(r"[\W\d_]*")  # what is left of an item once its words go: a bullet, a label


def _strike(text: str, start: int, end: int) -> str:
    """``text`` without the sentence ``[start, end)``; an item with nothing else left goes whole."""
    rest = text[:start] + text[end:].lstrip()
    if _ONLY_MARKS.fullmatch(rest):
        return ""
    return rest.rstrip() if end >= len(text.rstrip()) else rest


def _negate_permission(text: str, start: int, end: int, ctx: Context) -> str:
    span = text[start:end]
    if not _MODAL_SPAN.match(span) or len(span) > 40:
        # no modal grants it: an item of a grant or a consent ("All AI training rights (right to use
        # the recordings to train models)" under "assigns to Soullab:", "Train voice models" under
        # "consents to Soullab using the Recordings to:") is the grant, and a lawyer strikes it; the
        # contract's AI clause (inserted, or its own) says what is forbidden. A sentence that is no
        # item keeps its words: what grants there is the frame's reading, not words to strike
        info = _paragraph_of(text, ctx)
        if info is None or lists.lead_in(ctx.paras, info) is None:
            return text
        return _strike(text, start, end)
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




# --- ownership: the deeming goes, the assignment shrinks to what was paid for ------------------------

# the verb that makes the work a work made for hire, nearest before the words: "shall be deemed",
# "will be", "are considered to be", "is", "constitutes"
_DEEMING = re.compile(
    r"\b(?P<modal>shall|will|would|must)(?P<rest>\s+(?:\w+ly\s+)?(?:be|become)\b)"
    r"|\b(?P<copula>is|are)(?=\s)"
    r"|\b(?P<verb>constitutes?|qualif(?:y|ies))\b", re.IGNORECASE)
_WMFH_WORDS = re.compile(r"\bworks?\s+(?:made\s+)?for\s+hire\b|\bwork[-\s]for[-\s]hire\b", re.IGNORECASE)
_NOT_FOR_HIRE = "Notwithstanding anything in {agreement}, {work} shall not be deemed {wmfh}."


def _deny_work_for_hire(text: str, start: int, end: int, ctx: Context) -> str:
    """"shall be deemed a work made for hire" -> "shall not be deemed a work made for hire": the
    deeming goes (issue 12, item 1), so the creator is the author and only what the contract assigns
    passes, on the assignment's own terms (ownership.assignment-no-carveout limits those). The
    deeming is the first sentence from the span on whose words a verb makes them so (a heading,
    "(b) Work-for-Hire.", has none); where none does, a sentence after the last says the work is not one."""
    sentences = [seg for seg in split_sentences(text) if seg.end > start and _WMFH_WORDS.search(seg.text)]
    for seg in sentences:
        words = _WMFH_WORDS.search(seg.text)
        verbs = list(_DEEMING.finditer(seg.text, 0, words.start()))
        if not verbs:
            continue
        m = verbs[-1]
        if m.group("modal") or m.group("copula"):
            pos = seg.start + m.end("modal" if m.group("modal") else "copula")
            return text[:pos] + " not" + text[pos:]
        verb = m.group("verb")
        plain = {"constitutes": "does not constitute", "constitute": "do not constitute",
                 "qualifies": "does not qualify", "qualify": "do not qualify"}[verb.lower()]
        plain = plain[:1].upper() + plain[1:] if verb[:1].isupper() else plain
        at = seg.start + m.start("verb")
        return text[:at] + plain + text[at + len(verb):]
    seg = sentences[-1] if sentences else next(s for s in split_sentences(text) if s.start <= start < s.end)
    wmfh = "works made for hire" if ctx.terms.work_plural else "a work made for hire"
    closing = "" if text[seg.end - 1] in ".!?;:" else "."
    return text[:seg.end] + closing + " " + ctx.fill(_NOT_FOR_HIRE, wmfh=wmfh) + text[seg.end:]


def _paragraph_of(text: str, ctx: Context) -> ParaInfo | None:
    """The reviewed paragraph whose text is ``text`` (a fix function is given the text, not the paragraph)."""
    return next((info for info in ctx.paras if info.para.text == text), None)


def _lead_in_before(text: str, ctx: Context) -> str:
    """The paragraph before the one whose text is ``text``, when it ends in a colon (a lead-in)."""
    info = _paragraph_of(text, ctx)
    prev = ctx.paras[info.index - 1].para.text.rstrip() if info is not None and info.index else ""
    return prev if prev.endswith(":") else ""


def _limit_assignment(text: str, start: int, end: int, ctx: Context) -> str:
    """The assignment takes effect on payment in full, for the work as finally delivered, and leaves
    out drafts, unused concepts and the creator's own materials, tools and know-how (the lawyer's
    fallback for an ownership clause): each part only if the sentence does not say it already."""
    seg = next((s for s in split_sentences(text) if s.start <= start < s.end), None)
    if seg is None:
        return text
    sentence = seg.text
    # "When we receive your final payment, copyright is assigned as follows:" and its items: the
    # lead-in's condition is the item's
    lead = _lead_in_before(text, ctx) if seg.start == 0 else ""
    if lead and lists.ASSIGNING_LEAD.search(lead):
        return text  # the lead-in's own fix limits every item under it: once, where it governs
    parts = []
    # what the assignment already says: in its sentence, its list's lead-in, or, for a sentence that
    # only introduces its items, the sentence before it ("... will only be assigned to you upon the
    # final payment. They will be assigned as follows:"); not elsewhere in the paragraph, where another
    # clause's payment terms are no condition of this one
    said = sentence + " " + lead
    if lists.ASSIGNING_LEAD.search(sentence):
        said += " " + " ".join(s.text for s in split_sentences(text) if s.end <= seg.start)[-400:]
    if not ON_PAYMENT.search(said):
        parts.append("effective only upon payment in full of the fees")
    if not FINAL_ONLY.search(said):
        parts.append("and only for {work} as finally delivered")
    if "retained-rights" in ctx.present:
        # another clause keeps the creator's own materials: what is left out here is the rest of the making
        parts.append("excluding drafts and unused concepts")
    else:
        parts.append("excluding drafts, unused concepts and {provider_poss} pre-existing materials, tools, methods and know-how")
    words = ", " + ", ".join(parts)  # ", effective only upon payment ..., and only for ..., excluding ..."
    # the end of the assignment's own clause: not after ", and the commissioner hereby grants ... to the artist"
    second = SECOND_GRANT.search(sentence, start - seg.start)
    pos = seg.start + second.start() if second else seg.end
    while pos > seg.start and text[pos - 1] in ".;:,":
        pos -= 1
    return text[:pos] + ctx.fill(words) + text[pos:]


FIX_FUNCTIONS = {"negate_adjective": _negate_adjective, "negate_permission": _negate_permission,
                 "deny_work_for_hire": _deny_work_for_hire, "limit_assignment": _limit_assignment}


def _comment(rule: Rule, ctx: Context, **extra: str) -> Comment:
    return Comment(ctx.fill(rule.comment_counterparty, **extra), ctx.fill(rule.comment_internal, **extra))


def _finding(rule: Rule, ctx: Context, info: ParaInfo, start: int, end: int, revised: str,
             extra: dict | None = None, edits: list[Edit] | None = None,
             sentences: frozenset[int] | None = None, fallback_revised: str | None = None) -> Finding:
    """A finding whose suggestion turns the paragraph into ``revised``; ``edits``, when the rule
    knows them exactly (insertions of missing words), are used as they are instead of a diff;
    ``sentences``, when known, are the starts of the sentences the fix changes; ``fallback_revised``,
    when the caller has applied the fallback at every hit, the paragraph after the fallback."""
    extra = extra or {}
    text = info.para.text
    edits = word_edits(text, revised) if edits is None else edits
    alternatives = []
    if fallback_revised is not None:
        if fallback_revised != text:
            alternatives.append(EditSuggestion(info.para.id, text, fallback_revised,
                                               tuple(word_edits(text, fallback_revised)), label=rule.fallback.label))
    elif rule.fallback and rule.fallback.action:
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
