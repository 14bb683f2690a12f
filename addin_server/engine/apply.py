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
