"""Exposure: how much of the work a contract gives away, beyond the project it pays for.

A missing protection matters as much as what the contract lets the client do without it. Where the
client takes ownership outright (work made for hire, an assignment of everything, at once), or a
licence for any purpose, nothing but an AI clause stands between the work and a training set: its
absence costs in full. Where the creator keeps copyright and licenses the work for the project, a
use for AI training is already outside the licence: the clause is still worth asking for, and its
absence costs a share. The lawyer who ranked sixteen real contracts for this product put
freelancers' own forms (copyright on final payment, tools kept, silent on AI) at 80 to 88 and agency
paper that takes everything at 4 to 18; a score that charged every missing protection in full put
them side by side.

Each clause type that gives something away says how much, alone (``exposure`` in
``playbook/clauses/<id>.toml``): a sentence's exposure joins its types' (``1 - Π(1 - e)``), a limit to
the project caps a licence's, and an assignment counts for the share of the lawyer's three limits
it lacks (on payment in full, the work made for the project only, the creator's own materials left
out). The contract's exposure is its widest grant's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..playbook import default_fragments
from . import lists
from .document import NONE, Exposure

if TYPE_CHECKING:
    from .document import ParaInfo

# a licence limited to the project still lets the client keep what it paid for
PROJECT_LIMITED = 0.3

OWNERSHIP_TYPES = frozenset({"ip-assignment", "work-made-for-hire"})
# the types that give something by themselves; the others (perpetual, all media, derivatives,
# sublicensing) widen a grant in the same sentence ("We may modify these Terms" gives nothing away)
GIVING_TYPES = OWNERSHIP_TYPES | {"license-grant", "any-purpose", "ai-training-permission"}

# what an assignment already says: paid for, the work made for the project only, the creator's
# own things left out
ON_PAYMENT = re.compile(default_fragments()["on_payment_condition"], re.IGNORECASE)
FINAL_ONLY = re.compile(default_fragments()["final_only"], re.IGNORECASE)
OWN_EXCLUDED = re.compile(lists.EXCLUDING.pattern + r"[^.;]{0,160}?"
                          r"\b(?:pre-?existing|background|underlying|tools?|know-?how|methods?|methodolog\w*|libraries|frameworks|materials)\b",
                          re.IGNORECASE)


@dataclass(frozen=True)
class AssignmentLimits:
    """Which of the lawyer's three limits an assignment already has (issue 12, item 1)."""

    on_payment: bool
    final_only: bool
    own_excluded: bool

    @property
    def open_share(self) -> float:
        """The share of the three it lacks: 1 for an assignment of everything, at once."""
        return (3 - self.on_payment - self.final_only - self.own_excluded) / 3


# Work made to order with no IP clause: the creator keeps copyright and the client takes the licence
# the law implies, for the purpose the work was commissioned for, but of no stated scope, not tied
# to payment and silent on AI (the lawyer's 70 for such a contract). Wider than a project licence,
# narrower than any purpose.
IMPLIED = Exposure(0.45, None, ("implied-licence",))


def assignment_limits(sentence: str, lead: str = "", listed: str = "") -> AssignmentLimits:
    """The limits ``sentence`` has, with its list's ``lead`` ("When the final payment has cleared,
    copyright will be assigned as follows:") and the things it lists as excluded (``listed``)."""
    return AssignmentLimits(
        on_payment=bool(ON_PAYMENT.search(sentence) or ON_PAYMENT.search(lead)),
        final_only=bool(FINAL_ONLY.search(sentence)),
        own_excluded=bool(OWN_EXCLUDED.search(sentence + " " + listed)),
    )


def contract_exposure(paras: list[ParaInfo], weights: dict[str, float], retained: bool = False) -> Exposure:
    """The widest grant the provider makes (``weights``: each clause type's ``exposure``; ``retained``:
    the contract keeps the creator's own materials, tools or code elsewhere, which is the third limit
    of every assignment in it)."""
    best = NONE
    owned_at: dict[str, float] = {}
    for info in paras:
        lead: str | None = None
        for s in info.sentences:
            given = {t: weights[t] for t in s.types if weights.get(t)}
            if not given.keys() & GIVING_TYPES or s.beneficiary == "provider" or s.definition:
                continue
            share = _joined(w for t, w in given.items() if t not in OWNERSHIP_TYPES)
            if "purpose-limitation" in s.types:
                share = min(share, PROJECT_LIMITED)  # the limit governs the whole licence
            if given.keys() & OWNERSHIP_TYPES:
                if lead is None:  # the item's lead-in conditions every sentence of the item
                    lead = lists.lead_in(paras, info) or ""
                # a lead-in's items say what passes ("copyright is assigned as follows:" / "You own
                # the graphics we create for this project")
                listed = lists.with_items(paras, info) if s is info.sentences[-1] else ""
                limits = assignment_limits(s.seg.text + " " + listed, lead, listed)
                if retained:
                    limits = AssignmentLimits(limits.on_payment, limits.final_only, True)
                owned = max(w for t, w in given.items() if t in OWNERSHIP_TYPES)
                open_share = max(limits.open_share, PROJECT_LIMITED)
                owned_at[info.para.id] = max(owned_at.get(info.para.id, 0.0), open_share)
                share = _joined([share, owned * open_share])
            if share > best.share:
                best = Exposure(share, info.para.id, tuple(sorted(given)))
    return Exposure(best.share, best.paragraph_id, best.types, tuple(owned_at.items()))


def _joined(shares) -> float:
    """Several ways out of the project in one clause: the chance that at least one is open."""
    closed = 1.0
    for s in shares:
        closed *= 1.0 - s
    return 1.0 - closed
