"""What a "missing clause" finding looked for, where, and what came closest: absence with proof.

A reviewer can only trust "the contract has no AI-training prohibition" if the finding says what was
searched and why the nearest candidates did not count. The review builds one ``Absence`` for every
missing finding from its own analysis (no second pass over the text): how many paragraphs and
sentences were read, the numbered sections they fall in, and up to three near misses, each with its
reason: a clause of the kind that protects the other side, a definition that names it without
providing it, or a sentence that has its words but not its substance.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Near misses reported per finding, closest first.
MAX_NEAR_MISSES = 3


@dataclass(frozen=True)
class NearMiss:
    """A sentence that came close to being the missing clause, and why it does not count."""

    paragraph_id: str
    start: int
    end: int
    section: str | None  # the paragraph's number, when it has one ("9.2", "(d)")
    reason: str          # "other_side" | "definition" | "words_only"
    explanation: str

    def to_wire(self) -> dict:
        return {"paragraph_id": self.paragraph_id, "span": {"start": self.start, "end": self.end},
                "section": self.section, "reason": self.reason, "explanation": self.explanation}


@dataclass(frozen=True)
class Absence:
    """The proof behind a missing finding."""

    looked_for: tuple[str, ...]   # clause type titles, e.g. ("AI-training prohibition",)
    paragraphs: int
    sentences: int
    sections: tuple[str, ...]     # top-level section numbers read, in document order
    near_misses: tuple[NearMiss, ...]

    def summary(self, provider: str) -> str:
        """One or two plain sentences for the finding's message; ``provider``, the side the review
        protects as the contract refers to it ("the Designer", "Acme", "you")."""
        what = " or ".join(f"“{t}”" for t in self.looked_for)
        where = f"all {self.paragraphs} paragraphs ({self.sentences} sentences"
        where += f", sections {_ranges(self.sections)})" if self.sections else ")"
        text = f"Looked for {what} in {where}: none serves {provider}."
        if self.near_misses:
            # several sentences of one clause read the same: each explanation once
            text += " Closest: " + "; ".join(dict.fromkeys(m.explanation for m in self.near_misses)) + "."
        return text

    def to_wire(self) -> dict:
        return {"looked_for": list(self.looked_for), "paragraphs": self.paragraphs, "sentences": self.sentences,
                "sections": list(self.sections), "near_misses": [m.to_wire() for m in self.near_misses]}


def _ranges(sections: tuple[str, ...]) -> str:
    """"1, 2, 3, 5, 7, 8" -> "1–3, 5, 7–8"; non-numeric labels are listed as they are."""
    if not all(s.isdigit() for s in sections):
        return ", ".join(sections[:8]) + (", …" if len(sections) > 8 else "")
    numbers = sorted({int(s) for s in sections})
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)
