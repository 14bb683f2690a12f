"""redline_docx without LibreOffice: XML shapes, statuses, untouched parts, reject view."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from addin_server.docx import read_docx
from addin_server.docx.writer import redline_docx
from docx_factory import build_docx, fixtures, p, r, read_part
from docx_helpers import random_edit, rejected_view

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DATE = dt.datetime(2024, 3, 4, 5, 6, 7)
FX = fixtures()


def edit(pid, original, edits, fid="f-1", comment="Why this matters."):
    return {"finding_id": fid, "comment": comment,
            "suggestion": {"type": "edit", "paragraph_id": pid, "original": original,
                           "edits": edits}}


def doc_xml(data):
    return etree.fromstring(read_part(data, "word/document.xml"))


def test_replacement_across_formatting_keeps_each_part():
    data = build_docx(FX["mixed_runs"][0])
    text = read_docx(data)["p-2"].text
    s = text.index("Agency")
    e = text.index("irrevocable") + len("irrevocable")
    out, report = redline_docx(data, [edit("p-2", text, [{"start": s, "end": e,
                                                           "text": "Client a limited"}])],
                               date=DATE)
    assert report == [{"finding_id": "f-1", "status": "applied", "reason": None}]
    root = doc_xml(out)
    dels = root.findall(".//w:del", NS)
    deleted = [(("".join(r.itertext())), r.find("w:rPr", NS)) for d in dels
               for r in d.findall("w:r", NS)]
    assert "".join(t for t, _ in deleted) == "Agency a perpetual, irrevocable"
    bold = [t for t, rpr in deleted if rpr is not None and rpr.find("w:b", NS) is not None]
    assert bold == ["Agency", "irrevocable"]
    ins = root.findall(".//w:ins", NS)
    assert len(ins) == 1
    assert ins[0].find("w:r/w:rPr/w:b", NS) is not None  # formatting of the replaced text
    for el in dels + ins:
        assert el.get(f"{{{W}}}author") == "TermScore"
        assert el.get(f"{{{W}}}date") == "2024-03-04T05:06:07Z"
    assert read_docx(out)["p-2"].text == text[:s] + "Client a limited" + text[e:]
    assert rejected_view(out)[2] == text


def test_ids_are_unique_and_comments_written():
    data = build_docx(FX["mixed_runs"][0])
    doc = read_docx(data)
    changes = [edit(p_.id, p_.text, random_edit(p_.id, p_.text, random.Random(i))["edits"],
                    fid=f"f-{i}", comment=f"c{i}") for i, p_ in enumerate(doc) if p_.text.strip()]
    out, report = redline_docx(data, changes, date=DATE)
    assert all(x["status"] == "applied" for x in report)
    root = doc_xml(out)
    ids = [el.get(f"{{{W}}}id") for el in root.iter(f"{{{W}}}ins", f"{{{W}}}del")]
    comments = etree.fromstring(read_part(out, "word/comments.xml"))
    cids = [c.get(f"{{{W}}}id") for c in comments.findall("w:comment", NS)]
    assert len(set(ids)) == len(ids) and not set(ids) & set(cids)
    assert len(cids) == len(set(cids)) == len(changes) + 1  # + the existing comment
    texts = ["".join(c.itertext()) for c in comments.findall("w:comment", NS)]
    assert texts[0] == "An earlier reviewer's comment." and texts[1:] == [c["comment"] for c in
                                                                           changes]
    for cid in cids[1:]:
        assert root.find(f".//w:commentRangeStart[@w:id='{cid}']", NS) is not None
        assert root.find(f".//w:commentReference[@w:id='{cid}']", NS) is not None


def test_track_revisions_on_and_in_schema_order():
    data = build_docx(p(r("Hello world.")))
    out, _ = redline_docx(data, [])
    settings_root = etree.fromstring(read_part(out, "word/settings.xml"))
    names = [etree.QName(c).localname for c in settings_root]
    assert "trackRevisions" in names
    assert names.index("trackRevisions") > names.index("zoom")
    assert names.index("trackRevisions") < names.index("defaultTabStop")


def test_untouched_parts_are_byte_identical():
    data = build_docx(FX["tables_nested"][0])
    text = read_docx(data)["p-2"].text
    out, _ = redline_docx(data, [edit("p-2", text, [{"start": 0, "end": 6, "text": "Ahead"}])])
    src, dst = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(out))
    changed = {n for n in src.namelist() if src.read(n) != dst.read(n)}
    assert changed <= {"word/document.xml", "word/settings.xml", "word/comments.xml",
                       "[Content_Types].xml", "word/_rels/document.xml.rels"}
    for keep in ("word/styles.xml", "word/numbering.xml", "word/header1.xml", "word/footer1.xml"):
        if keep in src.namelist():
            assert src.read(keep) == dst.read(keep)
    assert any(n.startswith("word/media/") for n in dst.namelist())
    # sectPr (header/footer references) unchanged
    sect = lambda d: etree.tostring(doc_xml(d).find("w:body/w:sectPr", NS))  # noqa: E731
    assert sect(data) == sect(out)
    # untouched paragraphs unchanged
    a, b = doc_xml(data).findall(".//w:p", NS), doc_xml(out).findall(".//w:p", NS)
    assert [etree.tostring(x) for x in a[3:]] == [etree.tostring(x) for x in b[3:]]


def test_stale_paragraph_is_skipped():
    data = build_docx(p(r("Current text of the clause.")))
    out, report = redline_docx(data, [edit("p-2", "Older text.", [{"start": 0, "end": 5,
                                                                   "text": "New"}])])
    assert report[0]["status"] == "skipped" and report[0]["reason"] == "stale"
    assert read_docx(out)["p-2"].text == "Current text of the clause."


@pytest.mark.parametrize("fx,pid,word,reason", [
    ("existing_revisions", "p-2", "freely", "tracked change"),
    ("fields_links_controls", "p-2", "3", "field"),
    ("fields_links_controls", "p-4", "Acme", "content control"),
    ("fields_links_controls", "p-5", "paragraph", "content control"),
])
def test_protected_text_gets_a_comment_not_an_edit(fx, pid, word, reason):
    data = build_docx(FX[fx][0])
    text = read_docx(data)[pid].text
    s = text.index(word)
    out, report = redline_docx(data, [edit(pid, text, [{"start": s, "end": s + len(word),
                                                          "text": "X"}])])
    assert report[0]["status"] == "commented" and reason in report[0]["reason"]
    assert read_docx(out)[pid].text == text
    assert len(etree.fromstring(read_part(out, "word/comments.xml")).findall("w:comment", NS)) == 2
    out, report = redline_docx(data, [edit(pid, text, [{"start": s, "end": s + 1, "text": "X"}],
                                           comment=None)])
    assert report[0]["status"] == "skipped"


def test_edit_around_protected_text_is_applied():
    data = build_docx(FX["existing_revisions"][0])
    text = read_docx(data)["p-2"].text
    s = text.index("purpose")
    out, report = redline_docx(data, [edit("p-2", text, [{"start": s, "end": s + 7,
                                                           "text": "reason"}])])
    assert report[0]["status"] == "applied"
    assert read_docx(out)["p-2"].text == text.replace("purpose", "reason")
    # the earlier reviewer's revisions are still there, untouched
    root = doc_xml(out)
    assert root.find(".//w:del[@w:id='9101']", NS) is not None
    assert root.find(".//w:ins[@w:id='9102']", NS) is not None


def test_overlapping_findings_second_is_commented():
    data = build_docx(p(r("The Agency may use the work forever.")))
    text = read_docx(data)["p-2"].text
    s = text.index("forever")
    out, report = redline_docx(data, [
        edit("p-2", text, [{"start": s, "end": s + 7, "text": "for two years"}], fid="a"),
        edit("p-2", text, [{"start": s, "end": s + 7, "text": "never"}], fid="b"),
        edit("p-2", text, [{"start": 0, "end": 3, "text": "This"}], fid="c"),
    ])
    assert [x["status"] for x in report] == ["applied", "commented", "applied"]
    assert read_docx(out)["p-2"].text == "This Agency may use the work for two years."


def test_inserted_paragraph_continues_numbering():
    data = build_docx(FX["numbering"][0])
    doc = read_docx(data)
    anchor = doc["p-4"]  # "1.2"
    out, report = redline_docx(data, [
        {"finding_id": "n", "comment": "Add AI clause.", "suggestion": {
            "type": "insert", "insert_after": "p-4",
            "paragraphs": [{"text": "No AI training.", "style": anchor.style,
                            "list_label": "1.3"}]}},
        {"finding_id": "u", "comment": None, "suggestion": {
            "type": "insert", "insert_after": "p-4",
            "paragraphs": [{"text": "Unnumbered follow-up.", "style": "Normal"}]}}])
    assert [x["status"] for x in report] == ["applied", "applied"]
    after = read_docx(out)
    assert [x.text for x in after][5:7] == ["No AI training.", "Unnumbered follow-up."]
    assert after["p-5"].list_label == "1.3"
    assert after["p-6"].list_label is None
    assert after["p-7"].list_label == "(a)"
    root = doc_xml(out)
    new_p = root.findall(".//w:body/w:p", NS)[5]
    assert new_p.find("w:pPr/w:numPr/w:numId", NS).get(f"{{{W}}}val") == "1"
    assert new_p.find("w:pPr/w:rPr/w:ins", NS) is not None
    assert new_p.find("w:ins/w:r/w:t", NS).text == "No AI training."
    assert rejected_view(out) == [x.text for x in doc]


def test_insert_at_end_of_document_marks_previous_mark():
    data = build_docx(p(r("First.")) + p(r("Last.")))
    out, report = redline_docx(data, [{"finding_id": "x", "comment": "c", "suggestion": {
        "type": "insert", "insert_after": "p-3", "paragraphs": [{"text": "Added."}]}}])
    root = doc_xml(out)
    paras = root.findall("w:body/w:p", NS)
    assert paras[-2].find("w:pPr/w:rPr/w:ins", NS) is not None  # "Last." mark
    assert paras[-1].find("w:pPr/w:rPr/w:ins", NS) is None
    assert [x.text for x in read_docx(out)][-2:] == ["Last.", "Added."]
    assert rejected_view(out)[-1] == "Last."


def test_comment_only_and_unknown_and_invalid():
    data = build_docx(p(r("Some clause.")))
    out, report = redline_docx(data, [
        {"finding_id": "a", "comment": {"counterparty": "Please add X.", "internal": "n"},
         "paragraph_id": "p-2"},
        {"finding_id": "b", "comment": "x", "suggestion": {"type": "edit", "paragraph_id": "p-99",
                                                           "original": "", "edits": []}},
        {"finding_id": "c", "comment": "x", "suggestion": {"type": "edit", "paragraph_id": "p-2",
                                                           "original": "Some clause.",
                                                           "revised": "wrong",
                                                           "edits": [{"start": 0, "end": 4,
                                                                      "text": "Any"}]}},
        {"finding_id": "d", "comment": "x", "suggestion": {"type": "bogus"}},
    ])
    assert [x["status"] for x in report] == ["commented", "skipped", "skipped", "skipped"]
    assert report[1]["reason"] == "unknown_paragraph"
    texts = ["".join(c.itertext()) for c in etree.fromstring(
        read_part(out, "word/comments.xml")).findall("w:comment", NS)]
    assert "Please add X." in texts


def test_special_characters_in_inserted_text():
    data = build_docx(p(r("Alpha beta.")))
    text = "Alpha beta."
    new = "one\ttwo\u000bthree e\u2011mail 😀 «»"
    out, report = redline_docx(data, [edit("p-2", text, [{"start": 5, "end": 5,
                                                          "text": " " + new}])])
    assert report[0]["status"] == "applied"
    assert read_docx(out)["p-2"].text == "Alpha " + new + " beta."


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), name=st.sampled_from(sorted(FX)))
def test_random_edits_accept_and_reject_views(seed, name):
    data = _BUILT[name]
    doc = read_docx(data)
    rng = random.Random(seed)
    changes = []
    for i, para in enumerate(doc):
        sug = random_edit(para.id, para.text, rng)
        if sug and rng.random() < 0.7:
            changes.append({"finding_id": f"f{i}", "comment": "c", "suggestion": sug})
    out, report = redline_docx(data, changes)
    status = {x["finding_id"]: x["status"] for x in report}
    want = {c["suggestion"]["paragraph_id"]: c["suggestion"]["revised"] for c in changes
            if status[c["finding_id"]] == "applied"}
    assert [x.text for x in read_docx(out)] == [want.get(x.id, x.text) for x in doc]
    assert rejected_view(out) == rejected_view(data)


_BUILT = {name: build_docx(body) for name, (body, _) in FX.items()}
