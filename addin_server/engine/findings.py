"""A review's findings and the suggestions they carry, as typed values.

The fixes and the checks build them (engine/fixes.py, engine/checks.py); the review ranks them,
charges their points (engine/scoring.py) and composes them (engine/review.py); ``to_wire()`` gives
the response body's shape (``/api/v1/review``'s ``findings[]``) at the review's boundary, and
nowhere else. What only the engine needs (a finding's place in the document, the sentences its fix
changes, how an inserted paragraph is still to be numbered) is a field here that never reaches the
wire."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Union

from ..redline.diff import Edit
from . import redlining
from .absence import Absence


@dataclass(frozen=True, slots=True)
class Comment:
    """What a finding says in a comment: to the counterparty, and to the user's own side."""

    counterparty: str
    internal: str

    def to_wire(self) -> dict:
        return {"counterparty": self.counterparty, "internal": self.internal}


@dataclass(frozen=True, slots=True)
class EditSuggestion:
    """Turn paragraph ``paragraph_id`` from ``original`` into ``revised``: ``edits`` are offsets
    into ``original``, sorted and non-overlapping."""

    paragraph_id: str
    original: str
    revised: str
    edits: tuple[Edit, ...]
    label: str | None = None  # an alternative's name (the rule's fallback label); None: the suggestion
    shared_with: str | None = None  # a merged finding's: the id of the finding whose suggestion this is

    def shared(self, owner: str) -> EditSuggestion:
        """This suggestion as the one a finding merged into ``owner`` points to."""
        return replace(self, shared_with=owner)

    def to_wire(self) -> dict:
        # the anchors are the wire's: found here, once per suggestion written
        wire = {"type": "edit", "paragraph_id": self.paragraph_id, "original": self.original,
                "revised": self.revised, "edits": redlining.anchors(self.original, self.edits)}
        if self.label is not None:
            wire["label"] = self.label
        if self.shared_with is not None:
            wire["shared_with"] = self.shared_with
        return wire


@dataclass(frozen=True, slots=True)
class Numbering:
    """How a paragraph inserted after ``anchor`` is still to be numbered: its number depends on how
    many other insertions go after the same paragraph, known only once all findings are in."""

    anchor_label: str | None  # the anchor paragraph's label ("4.1", "(d)"), None when it has none
    in_text: bool  # the label is typed in the anchor's text, not Word's list numbering
    taken: frozenset[str]  # labels the paragraphs just after the anchor already use


@dataclass(frozen=True, slots=True)
class InsertedParagraph:
    """A new paragraph a missing-clause finding inserts."""

    text: str
    style: str
    list_label: str | None = None
    numbering: Numbering | None = None  # until the review numbers it (then None); never on the wire

    def to_wire(self) -> dict:
        return {"text": self.text, "style": self.style, "list_label": self.list_label}


@dataclass(frozen=True, slots=True)
class InsertSuggestion:
    """Insert ``paragraphs`` after paragraph ``insert_after``; ``order`` ranks the insertions after
    the same paragraph (set when the review composes its findings)."""

    insert_after: str
    paragraphs: tuple[InsertedParagraph, ...]
    order: int = 0
    label: str | None = None  # an alternative's name (the rule's fallback label); None: the suggestion

    def to_wire(self) -> dict:
        wire = {"type": "insert", "insert_after": self.insert_after, "order": self.order,
                "paragraphs": [p.to_wire() for p in self.paragraphs]}
        if self.label is not None:
            wire["label"] = self.label
        return wire


Suggestion = Union[EditSuggestion, InsertSuggestion]


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One thing the review found, with its fix.

    The rules build it without ``id``, ``severity``, ``points`` and ``points_lost`` (the review
    ranks the findings, sets them from the risk profile and charges them to their categories) and
    ``covers`` / ``covered_by`` (composing merges the fixes that touch on one paragraph)."""

    rule_id: str
    kind: str  # "risky" | "incomplete" | "missing", the rule's
    category: str
    clause_type: str
    title: str
    message: str
    paragraph_id: str | None  # None for a missing clause
    span: tuple[int, int] | None  # [start, end) in the paragraph; None for a missing clause
    comment: Comment
    suggestion: Suggestion | None
    alternatives: tuple[Suggestion, ...] = ()
    evidence: Absence | None = None  # a missing clause's: what was searched, what came closest
    id: str = ""
    severity: str = ""
    points: int = 0
    points_lost: int | None = None
    covers: tuple[str, ...] = ()  # the findings merged into this one's suggestion
    covered_by: str | None = None  # the finding whose suggestion carries this one's change
    # the rung of the rule's ladder the suggestion is: "preferred" (its fix; the alternatives are
    # its fallbacks) or "fallback" (a lower-risk profile's first ask; the first alternative is the
    # preferred fix); a later round's next position is read from it (negotiation/rounds.py)
    position: str = "preferred"
    # never on the wire:
    order: float = 0.0  # document order (paragraph, then offset); a missing clause sorts last
    sentences: frozenset[int] | None = None  # starts of the sentences the fix changes, when known
    lead_in: str | None = None  # a list item's: the paragraph that introduces its list

    def to_wire(self) -> dict:
        wire = {
            "id": self.id, "rule_id": self.rule_id, "kind": self.kind, "severity": self.severity,
            "points": self.points, "category": self.category, "clause_type": self.clause_type,
            "title": self.title, "message": self.message, "paragraph_id": self.paragraph_id,
            "span": None if self.span is None else {"start": self.span[0], "end": self.span[1]},
        }
        if self.evidence is not None:
            wire["evidence"] = self.evidence.to_wire()
        wire["comment"] = self.comment.to_wire()
        wire["suggestion"] = None if self.suggestion is None else self.suggestion.to_wire()
        wire["alternatives"] = [a.to_wire() for a in self.alternatives]
        wire["position"] = self.position
        if self.covers:
            wire["covers"] = list(self.covers)
        if self.covered_by is not None:
            wire["covered_by"] = self.covered_by
        if self.points_lost is not None:
            wire["points_lost"] = self.points_lost
        return wire


__all__ = ["Comment", "EditSuggestion", "Numbering", "InsertedParagraph", "InsertSuggestion", "Suggestion",
           "Finding"]
