"""Redlined files verified by a real consumer: LibreOffice (see tests/lo/).

For every fixture and corpus document: deterministic random word-level edits and new paragraphs,
then in LibreOffice accept-all must give exactly the expected text of every paragraph, reject-all
exactly what reject-all gives on the original file, every comment must be present, and the file
must load. All documents go through one LibreOffice (session fixture) in one test each.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from addin_server.docx import read_docx
from addin_server.docx.writer import redline_docx
from docx_factory import build_docx, fixtures
from docx_helpers import expected_after_accept, random_changes
from lo_client import lo_text, normalize_lo

DATE = dt.datetime(2024, 3, 4, 5, 6, 7)
FIXTURES = fixtures()


def _lo_view(doc, texts):
    """Drop what LibreOffice does not show as a paragraph (empty section-break paragraphs)."""
    dropped = {p.id for p in doc if p.section_break and not p.text}
    return [lo_text(t) for p, t in zip(doc, texts) if p.id not in dropped] if dropped else [
        lo_text(t) for t in texts]


class _Quiet(list):
    """A list of paragraph texts whose repr never shows contract text (pytest prints locals)."""

    def __repr__(self):
        return f"<{len(self)} paragraphs>"


def _compare(got: list[str], want: list[str], fields_at: set[int], what: str):
    got, want = _Quiet(normalize_lo(t) for t in got), _Quiet(want)
    assert len(got) == len(want), f"{what}: {len(got)} paragraphs, expected {len(want)}"
    bad = [i for i, (a, b) in enumerate(zip(got, want)) if a != b and i not in fields_at]
    # never print contract text: positions and lengths only
    assert not bad, f"{what}: paragraphs {bad[:10]} differ (lengths " \
        f"{[(len(got[i]), len(want[i])) for i in bad[:5]]})"


def _roundtrip(libreoffice, tmp_path, name: str, data: bytes, seed: int, anchors=()):
    doc = read_docx(data)
    rng = random.Random(seed)
    changes = random_changes(doc, rng, anchors=list(anchors))
    out, report = redline_docx(data, changes, author="TermScore", date=DATE)
    assert [r["finding_id"] for r in report] == [c["finding_id"] for c in changes]
    assert any(r["status"] == "applied" for r in report)

    expected = _Quiet(expected_after_accept(doc, changes, report))
    # our own reader agrees with the expectation (accepted view of the new file)
    assert _Quiet(p.text for p in read_docx(out)) == expected

    src, dst = tmp_path / f"{name}-original.docx", tmp_path / f"{name}-redlined.docx"
    src.write_bytes(data)
    dst.write_bytes(out)
    before, after = libreoffice.check(src), libreoffice.check(dst)
    assert before["loaded"], before.get("error")
    assert after["loaded"], after.get("error")

    # fields are recomputed by LibreOffice (PAGE, DATE): compare those paragraphs' counts only
    field_pos = {i for i, p in enumerate(p for p in doc if not (p.section_break and not p.text))
                 if p.has_fields}
    _compare(before["accepted"], _lo_view(doc, [p.text for p in doc]), field_pos,
             f"{name}: original, accepted")

    # expected list with the inserted paragraphs; shift field positions accordingly
    inserted_after = {}
    status = {r["finding_id"]: r["status"] for r in report}
    for ch in changes:
        s = ch["suggestion"]
        if s["type"] == "insert" and status[ch["finding_id"]] == "applied":
            inserted_after[s["insert_after"]] = inserted_after.get(s["insert_after"], 0) + len(
                s["paragraphs"])
    want, field_pos2, k = [], set(), 0
    for p in doc:
        if p.section_break and not p.text:
            k += 1 + inserted_after.get(p.id, 0)
            continue
        if p.has_fields:
            field_pos2.add(len(want))
        want.append(lo_text(expected[k]))
        k += 1
        for _ in range(inserted_after.get(p.id, 0)):
            want.append(lo_text(expected[k]))
            k += 1
    _compare(after["accepted"], want, field_pos2, f"{name}: redlined, accepted")
    assert after["redlines_after_accept"] == 0
    _compare(after["rejected"], [normalize_lo(t) for t in before["rejected"]], field_pos,
             f"{name}: redlined, rejected")

    # every comment present, once, with our author
    ours = [c for c in after["comments"] if c["author"] == "TermScore"]
    wanted = sorted(c["comment"] for c in changes if status[c["finding_id"]] in
                    ("applied", "commented"))
    assert sorted(c["content"] for c in ours) == wanted
    assert all(c["anchor"] for c in ours), "a comment is not anchored on any text"
    # earlier comments survive
    assert len(after["comments"]) == len(before["comments"]) + len(ours)
    # every tracked change carries our author and date
    new = after["redlines"][len(before["redlines"]):] if before["redlines"] else after["redlines"]
    assert new and all(r["author"] == "TermScore" or r in before["redlines"] for r in new)
    return report


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_redline_in_libreoffice(libreoffice, tmp_path, name):
    data = build_docx(FIXTURES[name][0])
    doc = read_docx(data)
    last = list(doc)[-1].id
    in_table = [p.id for p in doc if p.in_table][:1]
    for seed in (1, 2):
        _roundtrip(libreoffice, tmp_path, f"{name}-{seed}", data, seed,
                   anchors=[last] + in_table)


def test_corpus_redline_in_libreoffice(libreoffice, tmp_path, corpus_files):
    for path in corpus_files:
        data = path.read_bytes()
        doc = read_docx(data)
        last = [p.id for p in doc if not (p.section_break and not p.text)][-1]
        in_table = [p.id for p in doc if p.in_table][:2]
        report = _roundtrip(libreoffice, tmp_path, path.stem, data, seed=len(doc),
                            anchors=[last] + in_table)
        assert sum(r["status"] == "applied" for r in report) >= 5, path.name
