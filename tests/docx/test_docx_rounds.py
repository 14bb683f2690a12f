"""Round two and three of a negotiation in real .docx files (issue 13): our redline, the agency's
answer made in LibreOffice under its own name (a clause rejected, one accepted, one left open, a
sentence and a comment of its own), and our answer to it. The round log travels in the file."""

import io
import zipfile

from addin_server.docx import read_docx
from addin_server.docx.writer import redline_docx
from addin_server.docx_service import redline_docx_bytes, review_docx_bytes
from addin_server.engine.document import Options
from addin_server.negotiation import NAMESPACE
from addin_server.negotiation.log import Protection, Round, RoundLog
from docx_factory import build_docx, p, r
from tests.helpers import SEED_STANDARD

CONTRACT = "".join(p(r(line)) for line in SEED_STANDARD.splitlines())
AGENCY_SENTENCE = " The Agency may also use the Deliverables to train its own AI tools."


def _log(data: bytes) -> RoundLog:
    return RoundLog.from_xml(read_docx(data).custom_xml[NAMESPACE])


def test_the_log_travels_in_the_docx_as_a_custom_xml_part_and_is_replaced_not_duplicated():
    one = Round(1, "2026-12-01", "TermScore", (Protection("remedies.audit-missing", "insert", 0, "p-3", added="x"),))
    two = Round(2, "2026-12-08", "TermScore")
    data = build_docx(p(r("The Designer grants the Agency a licence.")))
    first, _ = redline_docx(data, [], custom_xml=RoundLog((one,)).to_xml())
    second, _ = redline_docx(first, [], custom_xml=lambda report: RoundLog((one, two)).to_xml())
    assert _log(second).last.number == 2
    package = zipfile.ZipFile(io.BytesIO(second))
    items = [n for n in package.namelist() if n.startswith("customXml/item") and "Props" not in n
             and NAMESPACE.encode() in package.read(n)]
    assert len(items) == 1, package.namelist()
    assert set(read_docx(second).custom_xml) >= set(read_docx(data).custom_xml)  # other parts kept
    assert NAMESPACE.encode() in package.read(items[0].replace("item", "itemProps"))  # how Office.js finds it
    assert [x.text for x in read_docx(second)] == [x.text for x in read_docx(data)]  # the text untouched


def test_round_one_records_each_change_it_made_by_rule_and_position():
    out, report, result = redline_docx_bytes(build_docx(CONTRACT), Options())
    log = _log(out)
    assert [x.number for x in log.rounds] == [1] and log.last.author == "TermScore"
    applied = {next(f["rule_id"] for f in result["findings"] if f["id"] == x["finding_id"])
               for x in report if x["status"] == "applied"}
    assert {x.rule_id for x in log.last.protections} >= applied
    ai = next(x for x in log.last.protections if x.rule_id == "ai.prohibition-missing")
    assert (ai.kind, ai.rung, ai.answer) == ("insert", 0, "proposed") and "Prohibition on AI Training" in ai.added
    assert result["negotiation"]["round"] == 1 and result["negotiation"]["ours"] == []


def test_an_agency_round_in_libreoffice_is_answered_and_the_next_round_walks_the_ladder(libreoffice, tmp_path):
    round1, _, _ = redline_docx_bytes(build_docx(CONTRACT), Options())
    (tmp_path / "round1.docx").write_bytes(round1)
    answer = libreoffice.agency_round(tmp_path / "round1.docx", "Agency", out=tmp_path / "agency1.docx", ops=[
        {"op": "reject", "contains": "Prohibition on AI Training"},
        {"op": "reject", "contains": "Liquidated Damages"},
        {"op": "accept", "contains": "Injunctive Relief"},
        {"op": "append", "text": AGENCY_SENTENCE},
        {"op": "comment", "contains": "Right to Audit", "text": "We need this for our AI tools."},
    ])
    assert answer.get("saved") and all(answer["done"]), answer
    agency1 = (tmp_path / "agency1.docx").read_bytes()
    assert _log(agency1).last.number == 1  # LibreOffice kept our log

    review = review_docx_bytes(agency1, Options())
    n = review["negotiation"]
    ours = {x["rule_id"]: x for x in n["ours"]}
    assert n["round"] == 2
    assert ours["ai.prohibition-missing"]["status"] == "struck"
    assert ours["remedies.liquidated-damages-missing"]["status"] == "struck"
    assert ours["remedies.injunctive-relief-missing"]["status"] == "accepted"
    assert ours["remedies.audit-missing"]["status"] == "pending"
    ai = next(f for f in review["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert ours["ai.prohibition-missing"]["next"] == ai["suggestion"] and ai["position"] == "fallback"
    assert "unreasonably withhold" in ai["suggestion"]["paragraphs"][0]["text"]
    on_theirs = [f for f in review["findings"] if f.get("tracked_change", {}).get("author") == "Agency"]
    assert on_theirs and set(n["theirs"]) == {f["id"] for f in on_theirs}
    assert n["summary"].startswith("Round 2: the Agency accepted") and "struck 2" in n["summary"]
    assert "added 1 new risk" in n["summary"] and "still pending" in n["summary"]
    assert "unreasonably withheld" in n["reply"] and n["reply"].startswith("Thank you")
    # their comment on our audit clause is the thread our answer goes into; nobody commented on the rest
    assert ours["remedies.audit-missing"]["thread"]["text"] == "We need this for our AI tools."
    assert ours["remedies.audit-missing"]["thread"]["author"] == "Agency"
    assert [x["rule_id"] for x in n["ours"] if x["thread"]] == ["remedies.audit-missing"]
    assert any(c["author"] == "Agency" and c["text"] == "We need this for our AI tools." for c in review["comments"])

    round2, report2, _ = redline_docx_bytes(agency1, Options())
    (tmp_path / "round2.docx").write_bytes(round2)
    assert any(x["status"] == "applied" for x in report2)
    log = _log(round2)
    assert [x.number for x in log.rounds] == [1, 2]
    ai2 = next(x for x in log.last.protections if x.rule_id == "ai.prohibition-missing")
    assert (ai2.rung, ai2.status, ai2.answer) == (1, "struck", "proposed")
    injunction = next(x for x in log.last.protections if x.rule_id == "remedies.injunctive-relief-missing")
    assert injunction.answer == "standing"
    # our answer is a reply in their thread, and the log remembers the comment it answered
    theirs_comment = next(c for c in read_docx(agency1).comments if c.text == "We need this for our AI tools.")
    replies = [c for c in read_docx(round2).comments if c.parent_id == theirs_comment.id]
    assert [c.author for c in replies] == ["TermScore"] and "keep our audit clause" in replies[0].text
    assert {x["reason"] for x in report2 if x["finding_id"] == "round:remedies.audit-missing"} == {"reply"}
    audit = next(x for x in log.last.protections if x.rule_id == "remedies.audit-missing")
    assert audit.answered == "We need this for our AI tools."

    # History: the agency's revisions and comment are as they were, and round two only added
    # changes of ours: with every change of ours rejected, round two is the document the agency
    # sent back with every change of ours rejected (round one's still pending ones among them).
    seen = libreoffice.check(tmp_path / "round2.docx")
    sent = libreoffice.check(tmp_path / "agency1.docx")
    theirs = [(x["type"], x["date"]) for x in sent["redlines"] if x["author"] == "Agency"]
    assert theirs and [(x["type"], x["date"]) for x in seen["redlines"] if x["author"] == "Agency"] == theirs
    assert [c for c in seen["comments"] if c["author"] == "Agency"] == [c for c in sent["comments"] if c["author"] == "Agency"]
    assert any("AI tools" in c["content"] for c in seen["comments"])
    for name in ("round2", "agency1"):
        undone = libreoffice.agency_round(tmp_path / f"{name}.docx", "Reviewer", out=tmp_path / f"{name}-undone.docx",
                                          ops=[{"op": "reject", "author": "TermScore"}])
        assert undone.get("saved"), undone
    assert libreoffice.check(tmp_path / "round2-undone.docx")["paragraphs"] == \
        libreoffice.check(tmp_path / "agency1-undone.docx")["paragraphs"]

    # Round three: they strike the fallback too and accept the rest: the walk-away point, and
    # nothing new to say about what they accepted.
    answer = libreoffice.agency_round(tmp_path / "round2.docx", "Agency", out=tmp_path / "agency2.docx", ops=[
        {"op": "reject", "contains": "Prohibition on AI Training"}, {"op": "accept_all"},
    ])
    assert answer.get("saved"), answer
    review3 = review_docx_bytes((tmp_path / "agency2.docx").read_bytes(), Options())
    ours3 = {x["rule_id"]: x for x in review3["negotiation"]["ours"]}
    assert review3["negotiation"]["round"] == 3
    assert ours3["ai.prohibition-missing"]["walk_away"] and ours3["ai.prohibition-missing"]["next"] is None
    assert ours3["remedies.injunctive-relief-missing"]["settled"]
    assert ours3["remedies.audit-missing"]["status"] == "accepted"
    # LibreOffice drops the thread links when it saves; the comment answered in round two is not
    # answered again
    assert ours3["remedies.audit-missing"]["thread"] is None
    ai3 = next(f for f in review3["findings"] if f["rule_id"] == "ai.prohibition-missing")
    assert ai3["suggestion"] is None and ai3["round"]["walk_away"]
    round3, _, _ = redline_docx_bytes((tmp_path / "agency2.docx").read_bytes(), Options())
    assert [x.number for x in _log(round3).rounds] == [1, 2, 3]
