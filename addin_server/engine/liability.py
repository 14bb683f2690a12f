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

# a cap: "liability ... shall not exceed", "is limited to" (not "including but not limited to"), "in
# excess of", "the General Cap"
CAP = re.compile(
    r"\b(?:liability|liable)\b[^.;]{0,160}?\b(?:(?:shall|will|does|may)\s+(?:not|in\s+no\s+event)\s+exceed|(?<!\bnot\s)(?:is\s+)?limited\s+to|in\s+excess\s+of)\b|"
    r"\b(?:general|liability)\s+cap\b|\bcap\s+on\s+(?:its\s+|their\s+)?liability\b", re.IGNORECASE)
# an exclusion of the damages owed: "IMGUR WILL NOT BE LIABLE FOR ANY DIRECT, INDIRECT ... DAMAGES",
# "in no event shall either party be liable", "NEITHER PARTY SHALL BE LIABLE TO THE OTHER ... FOR ANY
# INDIRECT ... DAMAGES"
EXCLUSION = re.compile(
    r"\b(?:shall|will|is|are)\s+not\s+be\s+liable\s+(?:to\s+\w+(?:\s+\w+)?\s+)?for\s+any\b[^.;]{0,80}?\bdamages\b|"
    r"\bneither\s+party\s+(?:shall|will)\s+be\s+liable\b[^.;]{0,120}?\bdamages\b|"
    r"\bin\s+no\s+event\s+(?:shall|will)\s+[^.;]{0,60}?\bbe\s+liable\b", re.IGNORECASE)
# a limit that already leaves out the use of the work to train AI: "..., except for liability arising
# from a breach of the AI training restriction"
AI_CARVED = re.compile(
    r"\b(?:except|other\s+than|excluding|(?:does|do|shall|will)\s+not\s+apply|not\s+limit\w*|nothing\s+in)\b"
    r"[^.]*\b(?:artificial\s+intelligence|machine[-\s]learning|AI|train\w*)\b", re.IGNORECASE)
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
    names = _names(terms)
    for i, start, m in _matches(paragraphs, CAP):
        pid, text, list_label = paragraphs[i]
        if _limits_client(text[start:m.end()].lower(), names):
            number = (list_label or "").strip().rstrip(".") or None
            if number is None and (n := SECTION_NUMBER.match(text)):
                number = n.group(1)
            word = next((w.group(1) for _, t, _ in paragraphs if (w := _PART_WORD.search(t))), None)
            return Cap(pid, number if number and re.fullmatch(r"\d+(?:\.\d+)*", number) else None, word)
    return None


def _matches(paragraphs: list[tuple], pattern: re.Pattern):
    """(paragraph index, start of its sentence, match) of every match of a limit's ``pattern`` in
    ``paragraphs`` (id and text first), in document order."""
    for i, (_, text, *_) in enumerate(paragraphs):
        low = text.lower()
        if "liab" not in low and "cap" not in low:
            continue  # a limit names liability or a cap (a cheap test in C before the pattern)
        for m in pattern.finditer(text):
            yield i, max(0, text.rfind(".", 0, m.start()) + 1), m


def _names(terms: Terms) -> dict[str, list[str]]:
    return {role: [a for a, r in terms.aliases.items() if r == role] for role in ("provider", "client")}


_HEADING_WORDS = 4  # a "sentence" this short holding the cap's words is its heading ("General Cap.")


@dataclass(frozen=True)
class Limit:
    """A sentence that caps or excludes what the client owes: where it is in its paragraph."""

    paragraph_id: str
    start: int
    end: int


def client_limit(paragraphs: list[tuple[str, str]], terms: Terms) -> Limit | None:
    """The sentence of ``paragraphs`` ((id, text) in order) that would cut back what the client owes
    for a breach of the AI covenant: the first cap on its liability (both sides', the client's, or
    nobody's named), else the first exclusion of damages it would owe."""
    names = _names(terms)
    for pattern in (CAP, EXCLUSION):
        for i, start, m in _matches(paragraphs, pattern):
            pid, text = paragraphs[i]
            end = text.find(".", m.end())
            end = len(text) if end < 0 else end + 1
            if len(text[start:end].split()) <= _HEADING_WORDS and end < len(text):
                # "11.3. Liability Cap." is the clause's heading: the limit is the sentence after it
                after = text.find(".", end)
                end = len(text) if after < 0 else after + 1
            sentence = text[start:end]
            if _limits_client(sentence.lower(), names):
                return Limit(pid, start + len(sentence) - len(sentence.lstrip()), end)
    return None


def _limits_client(sentence: str, names: dict[str, list[str]]) -> bool:
    liable = {w for pair in _LIABLE.findall(sentence) for w in pair if w}
    named = {role for role, aliases in names.items() if any(a in liable for a in aliases)} or {
        role for role, aliases in names.items() if any(re.search(r"\b" + re.escape(a) + r"\b", sentence) for a in aliases)}
    return bool(_MUTUAL.search(sentence)) or "client" in named or not named


__all__ = ["AI_CARVED", "CAP", "Cap", "EXCLUSION", "Limit", "SECTION_NUMBER", "client_cap", "client_limit"]
