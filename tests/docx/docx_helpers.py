"""Deterministic random changes and a reject-view reader for the docx tests."""

from __future__ import annotations

import io
import random
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORDS = ["non-exclusive", "limited", "Agency", "solely", "revocable", "written", "reasonable"]


def random_edit(pid: str, text: str, rng: random.Random) -> dict | None:
    """Word-level replacements, deletions and insertions as an edit suggestion."""
    tokens = list(re.finditer(r"\w+", text))
    if not tokens:
        return None
    picked = sorted(rng.sample(tokens, min(len(tokens), rng.randint(1, 3))), key=lambda m: m.start())
    edits = []
    last_end = 0
    for tok in picked:
        op = rng.choice(["replace", "delete", "insert"])
        if tok.start() < last_end:
            continue
        if op == "replace":
            edits.append({"start": tok.start(), "end": tok.end(), "text": rng.choice(WORDS)})
        elif op == "delete":
            end = tok.end() + (1 if text[tok.end():tok.end() + 1] == " " else 0)
            edits.append({"start": tok.start(), "end": end, "text": ""})
        else:
            edits.append({"start": tok.end(), "end": tok.end(), "text": " " + rng.choice(WORDS)})
        last_end = edits[-1]["end"]
    revised = text
    for e in sorted(edits, key=lambda e: e["start"], reverse=True):
        revised = revised[:e["start"]] + e["text"] + revised[e["end"]:]
    return {"type": "edit", "paragraph_id": pid, "original": text, "revised": revised,
            "edits": edits}


def random_changes(doc, rng: random.Random, n_edits: int = 8, n_inserts: int = 3,
                   anchors: list[str] | None = None) -> list[dict]:
    paras = [p for p in doc if p.text.strip()]
    changes: list[dict] = []
    for i, para in enumerate(rng.sample(paras, min(n_edits, len(paras)))):
        sug = random_edit(para.id, para.text, rng)
        if sug:
            changes.append({"finding_id": f"e-{i}", "comment": f"Edit comment {i}: why it matters.",
                            "suggestion": sug})
    candidates = [p for p in doc if not (p.section_break and not p.text)]
    chosen = list(anchors or []) + [p.id for p in rng.sample(candidates, min(n_inserts,
                                                                              len(candidates)))]
    for j, pid in enumerate(chosen):
        changes.append({"finding_id": f"i-{j}", "comment": f"Insert comment {j}.",
                        "suggestion": {"type": "insert", "insert_after": pid, "paragraphs": [
                            {"text": f"New clause {j}. The Agency shall not use the Work Product "
                                     f"to train AI models.", "style": doc[pid].style,
                             "list_label": doc[pid].list_label}]}})
    return changes


def expected_after_accept(doc, changes, report) -> list[str]:
    status = {r["finding_id"]: r["status"] for r in report}
    revised = {}
    inserted: dict[str, list[str]] = {}
    for ch in changes:
        sug = ch["suggestion"]
        if status[ch["finding_id"]] != "applied":
            continue
        if sug["type"] == "edit":
            revised[sug["paragraph_id"]] = sug["revised"]
        else:
            inserted.setdefault(sug["insert_after"], []).extend(
                p["text"] for p in sug["paragraphs"])
    out = []
    for p in doc:
        out.append(revised.get(p.id, p.text))
        out.extend(inserted.get(p.id, []))
    return out


def _iter_story_paragraphs(body):
    for el in body.iter(f"{{{W}}}p"):
        # skip paragraphs inside text boxes / drawings: not part of the story
        anc = el.getparent()
        inside = False
        while anc is not None and anc is not body:
            if anc.tag.endswith("}txbxContent") or anc.tag.endswith("}p"):
                inside = True
                break
            anc = anc.getparent()
        if not inside:
            yield el


def rejected_view(data: bytes) -> list[str]:
    """Paragraph texts with every tracked change rejected, for plain paragraphs and tables:
    w:ins content dropped, w:del text kept, paragraphs whose mark is an insertion joined
    with the next one. Fields are read naively (instructions skipped)."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    body = root.find(f"{{{W}}}body")
    texts: list[str] = []
    joined = False
    for p in _iter_story_paragraphs(body):
        parts = []
        for el in p.iter():
            tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
            if tag in ("t", "delText", "tab", "br"):
                anc = el.getparent()
                skip = False
                while anc is not None and anc is not p:
                    if anc.tag == f"{{{W}}}ins":
                        skip = True
                    anc = anc.getparent()
                if not skip:
                    parts.append(el.text or "" if tag in ("t", "delText") else
                                 "\t" if tag == "tab" else "\u000b")
        text = "".join(parts)
        if joined:
            texts[-1] += text
        else:
            texts.append(text)
        mark = p.find(f"{{{W}}}pPr/{{{W}}}rPr/{{{W}}}ins")
        joined = mark is not None
    return texts
