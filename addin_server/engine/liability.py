"""The contract's cap on liability, as it bears on a remedy the review inserts (issue 12, item 4).

Liquidated damages placed beside a cap of twelve months' fees and a lost-profits waiver are cut back
by it and invite a fight over which clause governs. The review reads whether the contract caps the
liability of the side that would pay (the client) and where, so the damages clause can say it is
not limited by that cap. Pure text work over the review's paragraphs and the parties' names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .direction import Terms

# a cap: "liability ... shall not exceed", "is limited to", "in excess of", "the General Cap"
CAP = re.compile(
    r"\b(?:liability|liable)\b[^.;]{0,160}?\b(?:(?:shall|will|does|may)\s+not\s+exceed|(?:is\s+)?limited\s+to|in\s+excess\s+of)\b|"
    r"\b(?:general|liability)\s+cap\b|\bcap\s+on\s+(?:its\s+|their\s+)?liability\b", re.IGNORECASE)
_MUTUAL = re.compile(r"\b(?:each|either|neither|both)\s+part(?:y|ies)\b|\bthe\s+parties\b|\bany\s+party\b", re.IGNORECASE)
# whose liability: "the liability of Designer to Client", "Customer's aggregate liability"
_LIABLE = re.compile(r"\bliability\s+of\s+(?:the\s+)?([\w&-]+)|\b([\w&-]+)['’]s?\s+(?:\w+\s+){0,2}liability\b", re.IGNORECASE)
# a paragraph's own section number: "12.1.", "Section 8"
SECTION_NUMBER = re.compile(r"^\s*(?:(?:Section|Clause|Article)\s+)?(\d+(?:\.\d+)*)\.?\s")


# how the contract names its own parts when it refers to them: "Section 12", "clause 8.2"
_PART_WORD = re.compile(r"\b(Section|Clause|Article|Paragraph|section|clause|article|paragraph)\s+\d")


@dataclass(frozen=True)
class Cap:
    paragraph_id: str
    section: str | None  # "12.1", when the paragraph is numbered
    part_word: str | None = None  # the contract's word for its parts ("Section", "clause"), if it uses one

    def reference(self, agreement: str = "this Agreement") -> str:
        """How an inserted clause names it: "Section 12.1" in the contract's own word for its parts,
        else what it is (never a "Section" the contract does not have); ``agreement`` is how the
        contract names itself."""
        if self.section and self.part_word:
            return f"{self.part_word} {self.section}"
        return f"any limitation of liability in {agreement}"


def client_cap(paragraphs: list[tuple[str, str, str | None]], terms: Terms) -> Cap | None:
    """The first cap in ``paragraphs`` ((id, text, list label) in order) that limits what the client
    owes: a cap on both sides' liability, on the client's, or on nobody named. A cap on the
    freelancer's liability alone ("the liability of Designer to Client ...") caps nothing owed to it."""
    names = {role: [a for a, r in terms.aliases.items() if r == role] for role in ("provider", "client")}
    for pid, text, list_label in paragraphs:
        low = text.lower()
        if "liab" not in low and "cap" not in low:
            continue  # a cap names liability or a cap (a cheap test in C before the pattern)
        for m in CAP.finditer(text):
            start = max(0, text.rfind(".", 0, m.start()) + 1)
            sentence = text[start:m.end()].lower()
            liable = {w for pair in _LIABLE.findall(sentence) for w in pair if w}
            named = {role for role, aliases in names.items() if any(a in liable for a in aliases)} or {
                role for role, aliases in names.items()
                if any(re.search(r"\b" + re.escape(a) + r"\b", sentence) for a in aliases)}
            if _MUTUAL.search(sentence) or "client" in named or not named:
                number = (list_label or "").strip().rstrip(".") or None
                if number is None and (n := SECTION_NUMBER.match(text)):
                    number = n.group(1)
                word = next((w.group(1) for _, t, _ in paragraphs if (w := _PART_WORD.search(t))), None)
                return Cap(pid, number if number and re.fullmatch(r"\d+(?:\.\d+)*", number) else None, word)
    return None


__all__ = ["CAP", "Cap", "SECTION_NUMBER", "client_cap"]
