"""Rule checks that need logic beyond a pattern: an existing clause that lacks some of its parts.

Each check still takes its id, messages and examples from the rule's data file; only the search for
missing elements (engine/prohibition.py) and the placement of the missing words live in code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..playbook import Rule
from .direction import obligor
from .findings import Finding
from .liability import AI_CARVED, client_limit
from .fixes import _finding, apply_fix
from .prohibition import _AI_MENTION, _BINDING, _PLAIN, _complete, _join, _trains, _with_continuation, missing_elements

if TYPE_CHECKING:  # pragma: no cover
    from .document import Context

def run(rule: Rule, ctx: "Context") -> list[Finding]:
    return {"ai_prohibition_elements": _ai_prohibition, "confidentiality_ai": _confidentiality,
            "ai_breach_limited": _ai_breach_limited}[rule.check](rule, ctx)


def _ai_prohibition(rule: Rule, ctx: "Context") -> list[Finding]:
    """Flag the most complete AI prohibition when it still lacks elements; silent if any is whole."""

    best = None
    for info in ctx.paras:
        for k, s in enumerate(info.sentences):
            # a prohibition on making or improving a model; a ban on labelling, disclosing or
            # featuring AI content is not the clause whose four elements this completes
            if "ai-training-prohibition" not in s.types or not _BINDING.search(s.seg.text) or not _trains(s.seg.text):
                continue
            if s.obligor == "provider":
                continue  # the freelancer's own duty: completing it would bind our own user
            gaps = missing_elements(_with_continuation(info, k))
            if not gaps:
                return []  # the contract has a whole prohibition: nothing to complete
            if best is None or len(gaps) < len(best[2]):
                best = (info, s, gaps)
    if best is None:
        return []
    info, s, gaps = best
    revised, edits = _complete(info.para.text, s.seg, gaps, ctx)
    if revised == info.para.text:
        return []
    return [_finding(rule, ctx, info, s.seg.start, s.seg.end, revised,
                     extra={"missing": ", ".join(gaps), "missing_plain": _join([_PLAIN[g] for g in gaps])},
                     edits=edits)]


_OBLIGATION = re.compile(
    r"\b(?:shall|will|must|agrees?\s+to|undertakes?\s+to)\s+(?:\w+\s+){0,2}?(?:not\s+)?(?:\(\w\)\s+)?(?:\w+\s+)?(?:disclose|hold|keep|maintain|protect|use|treat)\b"
    r"|\bin\s+(?:strict\s+)?confidence\b", re.IGNORECASE)


def _binds_client(sentence: str, ctx: "Context") -> bool:
    """True when the confidentiality obligation binds the client (or both sides, or says not whom).

    An obligation on the freelancer alone ("The Designer shall hold ...", "... shall be held in
    confidence by the Designer") protects the agency's secrets, not the freelancer's work: adding AI
    ingestion there would bind our own user."""
    return obligor(sentence, ctx.terms) != "provider"


def _confidentiality(rule: Rule, ctx: "Context") -> list[Finding]:
    """A confidentiality clause that binds the client but never mentions AI systems."""

    if ctx.whole_prohibition:
        # one AI clause per contract, in the clause made for it: the covenant the contract has, or the
        # one the review inserts, already keeps the work out of AI systems; a second AI sentence in
        # the confidentiality clause is one more place to quarrel over (and, in a mutual clause, binds
        # the creator's own use of their tools)
        return []
    candidates = [p for p in ctx.paras if "confidentiality" in p.types]
    if not candidates or any(_AI_MENTION.search(p.para.text) for p in candidates):
        return []
    introducing = None  # (paragraph, sentence) of an obligation that introduces a list ("... to Information:")
    for info in candidates:
        binding = [s for s in info.sentences if "confidentiality" in s.types and _OBLIGATION.search(s.seg.text)
                   and _binds_client(s.seg.text, ctx)]
        # a sentence that ends in a colon goes on in the items after it: a sentence added there
        # would split it from its list and run on into it
        whole = [s for s in binding if not s.seg.text.rstrip().endswith(":")]
        if not whole:
            introducing = introducing or (binding and (info, binding[-1])) or None
            continue
        last = whole[-1]
        revised = apply_fix(rule.fix, info.para.text, last.seg.start, last.seg.end, last.seg, ctx)
        return [_finding(rule, ctx, info, last.seg.start, last.seg.end, revised)]
    if introducing:  # only list-introducing obligations: the clarification goes before the sentence
        info, s = introducing
        text = info.para.text
        revised = text[:s.seg.start] + ctx.fill(rule.fix.text) + " " + text[s.seg.start:]
        return [_finding(rule, ctx, info, s.seg.start, s.seg.end, revised)]
    return []


# the paragraph of a limitations clause that lists what its limits do not reach: "Exceptions. ...",
# "12.3. Exceptions. Sections 12.1 and 12.2 will not apply to Uncapped Claims."
_EXCEPTIONS = re.compile(r"^\W*(?:(?:Section|Clause)\s+)?(?:\d+(?:\.\d+)*\.?\s+|\(?[a-z]\)\s+)?Exceptions?\b\s*[.:\u2013\u2014-]", re.IGNORECASE)
_EXCEPTIONS_WINDOW = 6  # paragraphs after the limit where its exceptions paragraph may be


def _ai_breach_limited(rule: Rule, ctx: "Context") -> list[Finding]:
    """A cap or exclusion of liability that would cut back what the client owes for training AI on
    the work (issue 12, item 4): where the contract has, or the review adds, the AI covenant, the
    covenant's breach is taken out of it, in the contract's own exceptions paragraph when it has one
    ("Exceptions. ..."), else in the sentence that sets the limit."""
    # a contract that grants rights in the work has, or gets from the review, the AI covenant whose
    # breach the carve-out keeps money behind (a property of the contract, the same in every round:
    # the fixes add AI words, never grants)
    if not ctx.rights_granted:
        return []
    limit = client_limit([(p.para.id, p.para.text) for p in ctx.paras], ctx.terms)
    if limit is None:
        return []
    at = next(i for i, p in enumerate(ctx.paras) if p.para.id == limit.paragraph_id)
    window = ctx.paras[at:at + _EXCEPTIONS_WINDOW]
    if any(AI_CARVED.search(p.para.text) for p in window):
        return []  # the limits already leave the AI breach out
    exceptions = next((p for p in window if _EXCEPTIONS.match(p.para.text)), None)
    info = exceptions or ctx.paras[at]
    if not info.sentences:
        return []
    # the exceptions paragraph's last sentence, or the sentence that ends the limit
    s = info.sentences[-1] if exceptions is not None else next(
        (x for x in info.sentences if x.seg.start < limit.end <= x.seg.end + 1), info.sentences[-1])
    revised = apply_fix(rule.fix, info.para.text, s.seg.start, s.seg.end, s.seg, ctx)
    if revised is None or revised == info.para.text:
        return []
    return [_finding(rule, ctx, info, s.seg.start, s.seg.end, revised)]
