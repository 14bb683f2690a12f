"""The review's typed values: a paragraph and the options in, and what the review knows of each
sentence, paragraph and the contract while it works (engine/review.py builds them; the checks and the
fixes read them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..playbook import Playbook
from .budget import Budget
from .form import NEGOTIATED, Form
from .terms import Terms
from .text import Segment


@dataclass(frozen=True)
class Paragraph:
    id: str
    text: str
    style: str | None = None
    list_label: str | None = None


@dataclass(frozen=True)
class Options:
    agency_risk: str = "high"
    project_name: str | None = None
    liquidated_damages: str | None = None
    party: str = "provider"


@dataclass
class Sentence:
    seg: Segment
    types: set[str]
    beneficiary: str | None
    maybe: frozenset[str] = frozenset()  # clause types whose keywords occur: their rules may match
    definition: bool = False
    reported: set[str] = field(default_factory=set)  # the types `clauses[]` reports (see analyse)
    obligor: str | None = None  # whose duty it is (DUTY_TYPES only): "provider", "client", "both"
    learned: frozenset[str] = frozenset()  # the types only the clause model gave (no pattern tagged them)


@dataclass
class ParaInfo:
    para: Paragraph
    index: int
    sentences: list[Sentence]
    types: set[str] = field(default_factory=set)  # what the findings work from
    reported: set[str] = field(default_factory=set)  # what `clauses[]` reports


@dataclass(frozen=True)
class Exposure:
    """The contract's widest grant: its share (0 to 1) and where it is."""

    share: float
    paragraph_id: str | None = None
    types: tuple[str, ...] = ()
    # paragraph id -> the share of the lawyer's limits its transfer of ownership lacks (what an
    # ownership finding there costs: an assignment already on payment, of the project's work, costs a third)
    ownership: tuple[tuple[str, float], ...] = ()

    def ownership_share(self, paragraph_id: str | None) -> float:
        return dict(self.ownership).get(paragraph_id, 1.0) if paragraph_id else 1.0

    def to_wire(self) -> dict:
        return {"share": round(self.share, 2), "paragraph_id": self.paragraph_id, "types": list(self.types)}


NONE = Exposure(0.0)  # no grant at all (engine/exposure.py finds the widest)


@dataclass
class Context:
    """Everything a rule needs to know about the contract under review."""

    playbook: Playbook
    options: Options
    terms: Terms
    paras: list[ParaInfo]
    present: set[str]
    rights_granted: bool
    values: dict[str, str]
    anchor: "ParaInfo | None" = None  # where new clauses go, found once ...
    anchor_label: str | None = None  # ... and the label they are numbered after (None: unnumbered)
    # ("type", clause type) / ("maybe", clause type) -> (paragraph, sentence), in document order
    index: dict[tuple[str, str], list[tuple["ParaInfo", "Sentence"]]] = field(default_factory=dict)
    budget: Budget = field(default_factory=Budget)  # CPU time the review may still use
    whole_prohibition: bool | None = None  # a whole AI prohibition without the fixes? set before the rules run
    sections: tuple[str, ...] | None = None  # top-level section numbers, found once (see _absence)
    sentence_count: int = 0  # the contract's sentences, counted with the sections
    exposure: "Exposure" = NONE  # the widest grant the provider makes (engine/exposure.py)
    # the creator is engaged to make work and the contract says nothing on IP: the client takes an
    # implied licence of no stated scope (engine/exposure.py, IMPLIED)
    implied_licence: bool = False
    form: Form = NEGOTIATED  # standard terms the creator accepts by conduct, or a negotiated contract
    joined: str = ""  # the contract's text, paragraphs joined by newlines, when first needed ...
    folded: str | None = None  # ... and lower-cased (prefilter.fold)

    def fill(self, template: str, **extra: str) -> str:
        values = {**self.values, **extra}
        # a "we/you" contract: "You retain", "we shall", as the contract's own pronouns dictate
        return self.terms.agree(re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template))


__all__ = ["Paragraph", "Options", "Sentence", "ParaInfo", "Exposure", "NONE", "Context"]
