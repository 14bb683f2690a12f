"""Round two begins with reading what the other side did (issue 13): the tracked changes in a .docx,
with their authors, and the findings that sit in the other side's own insertions."""

import io

from addin_server.docx import read_docx
from addin_server.docx_service import review_docx_bytes
from addin_server.engine.document import Options
from docx_factory import build_docx, dele, ins, p, r

HEAD = p(r('This Agreement is between Northwind Media Ltd. (the "Agency") and Sam Ortiz (the "Designer").'))
GRANT = p(r("The Designer grants the Agency a licence to use the Work Product solely for the Project."))


def _ours(*runs: str, rid: int) -> str:
    return f'<w:ins w:id="{rid}" w:author="TermScore" w:date="2024-01-02T03:04:05Z">{"".join(runs)}</w:ins>'


def test_every_tracked_change_is_read_with_its_author_and_where_it_sits():
    data = build_docx(p(r("The Agency may "), dele("not ", 9101), ins(r("freely "), rid=9102), r("use the Work.")))
    para = next(x for x in read_docx(data) if x.text == "The Agency may freely use the Work.")
    deleted, inserted = para.revisions
    assert (deleted.kind, deleted.author, deleted.start, deleted.end, deleted.text) == ("deletion", "Agency", 15, 15, "not ")
    assert (inserted.kind, inserted.author, inserted.text) == ("insertion", "Agency", "freely ")
    assert para.text[inserted.start:inserted.end] == "freely "
    assert deleted.date == "2023-05-06T07:08:09Z"


def test_a_risk_the_other_side_inserted_is_a_finding_on_their_insertion():
    their_sentence = " The Agency may also use the Work Product to train its own AI tools."
    data = build_docx(HEAD + p(r("The Designer grants the Agency a licence to use the Work Product solely for the Project."),
                               ins(r(their_sentence), rid=9201)))
    result = review_docx_bytes(data, Options())
    on_theirs = [f for f in result["findings"] if f.get("tracked_change")]
    assert on_theirs, [f["rule_id"] for f in result["findings"]]
    assert all(f["tracked_change"]["author"] == "Agency" and f["tracked_change"]["kind"] == "insertion" for f in on_theirs)
    assert "ai.training-permission" in {f["rule_id"] for f in on_theirs}
    listed = next(x for x in result["paragraphs"] if x.get("revisions"))
    assert listed["revisions"][0]["author"] == "Agency" and listed["revisions"][0]["ours"] is False


def test_our_own_earlier_changes_are_ours_and_no_finding_blames_the_other_side_for_them():
    data = build_docx(HEAD + GRANT + p(_ours(r("The Agency may use the Work Product for any purpose."), rid=9301)))
    result = review_docx_bytes(data, Options())
    listed = [x for x in result["paragraphs"] if x.get("revisions")]
    assert listed and all(rev["ours"] for x in listed for rev in x["revisions"])
    assert not [f for f in result["findings"] if f.get("tracked_change")]
    # under another name, the same change is theirs
    theirs = review_docx_bytes(data, Options(), author="Sam Ortiz")
    assert [f for f in theirs["findings"] if f.get("tracked_change")]


def test_the_review_route_takes_the_name_our_changes_are_written_under(client):
    data = build_docx(HEAD + GRANT + p(_ours(r("The Agency may use the Work Product for any purpose."), rid=9401)))
    body = client.post("/api/v1/review/docx", data={"file": (io.BytesIO(data), "x.docx"), "author": "Sam Ortiz"},
                       content_type="multipart/form-data").get_json()
    assert [f for f in body["findings"] if f.get("tracked_change", {}).get("author") == "TermScore"]
    bad = client.post("/api/v1/review/docx", data={"file": (io.BytesIO(data), "x.docx"), "author": "a\x01b"},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "validation_error"


def test_an_agency_round_made_in_libreoffice_is_read_back_with_its_author(libreoffice, tmp_path):
    """Round one is our redline; the agency accepts it in LibreOffice and adds a sentence of its own as
    a tracked change. Reading the file LibreOffice saved, the sentence is theirs, by their name, and
    the AI-training permission in it is a finding on their insertion; our accepted changes are no
    longer revisions."""
    from addin_server.docx_service import redline_docx_bytes

    contract = HEAD + GRANT + p(r("The Agency shall pay the Designer within 30 days."))
    ours, _, _ = redline_docx_bytes(build_docx(contract), Options())
    (tmp_path / "round1.docx").write_bytes(ours)
    answer = libreoffice.agency_round(tmp_path / "round1.docx", "Agency",
                                      " The Agency may also use the Work Product to train its own AI tools.",
                                      tmp_path / "round2.docx")
    assert answer.get("saved"), answer
    data = (tmp_path / "round2.docx").read_bytes()
    revisions = [rev for para in read_docx(data) for rev in para.revisions]
    assert revisions and all(rev.author == "Agency" for rev in revisions), [(rev.kind, rev.author) for rev in revisions]
    result = review_docx_bytes(data, Options())
    on_theirs = {f["rule_id"] for f in result["findings"] if f.get("tracked_change", {}).get("author") == "Agency"}
    assert "ai.training-permission" in on_theirs, on_theirs
