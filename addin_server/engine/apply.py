"""Apply a review's suggestions to the paragraphs it reviewed (what Apply all does in Word)."""

from __future__ import annotations

from ..redline.diff import apply_edits
from .review import Paragraph


def chosen(findings: list[dict], ids: set[str] | None = None) -> list[dict]:
    """The findings whose suggestions would be written: chosen ones that carry their own change."""
    out = []
    for f in findings:
        if ids is not None and f["id"] not in ids:
            continue
        s = f.get("suggestion")
        if not s or f.get("covered_by"):
            continue
        out.append(f)
    return out


def apply_all(paragraphs: list[Paragraph], findings: list[dict], ids: set[str] | None = None) -> list[Paragraph]:
    """Return the document after applying the chosen findings' suggestions (default: all)."""
    edits: dict[str, list[dict]] = {}
    inserts: dict[str, list[dict]] = {}
    for f in chosen(findings, ids):
        s = f["suggestion"]
        if s["type"] == "edit":
            edits.setdefault(s["paragraph_id"], []).extend(s["edits"])
        else:
            inserts.setdefault(s["insert_after"], []).append(s)
    out: list[Paragraph] = []
    for p in paragraphs:
        out.append(Paragraph(p.id, apply_edits(p.text, edits.get(p.id, [])), p.style, p.list_label))
        for s in sorted(inserts.get(p.id, []), key=lambda s: s["order"]):
            for k, new in enumerate(s["paragraphs"]):
                out.append(Paragraph(f"{p.id}+{s['order']}.{k}", new["text"], new.get("style"), new.get("list_label")))
    return out


def changes_for(result: dict, ids: set[str] | None = None, audience: str = "counterparty",
                alternatives: dict[str, int] | None = None) -> list[dict]:
    """The writer's change list for the chosen findings (default all), one change per suggestion.

    A finding merged into another (``covered_by``) is written by its owner, whose comment then
    carries both explanations. ``alternatives``: finding id -> the index of the alternative to
    write instead of the suggestion.
    """
    findings = result["findings"]
    by_id = {f["id"]: f for f in findings}
    if ids is not None:  # choosing a merged finding chooses the finding that writes its change
        ids = {by_id[i].get("covered_by") or i for i in ids if i in by_id}
    alternatives = alternatives or {}
    changes = []
    for f in chosen(findings, ids):
        suggestion = f["suggestion"]
        k = alternatives.get(f["id"])
        if k is not None and 0 <= k < len(f.get("alternatives", [])):
            suggestion = f["alternatives"][k]
        comments = [f["comment"][audience]]
        comments += [by_id[c]["comment"][audience] for c in f.get("covers", []) if c in by_id]
        changes.append({"finding_id": f["id"], "comment": "\n\n".join(comments), "suggestion": suggestion})
    return changes
