"""The shareable report of a review or a round (issue 13, item 4): Markdown and PDF, written from the
review the caller sends; the server keeps nothing."""

import io
import re

import pypdf
import pytest

from addin_server.report import blocks, to_markdown
from tests.helpers import SEED_STANDARD

PARAS = [{"id": f"p{i}", "text": t} for i, t in enumerate(SEED_STANDARD.splitlines())]


@pytest.fixture
def review(client):
    r = client.post("/api/v1/review", json={"paragraphs": PARAS})
    assert r.status_code == 200
    return r.get_json()


def _shown(review):
    return [f for f in review["findings"] if not f.get("covered_by")]


def test_the_markdown_report_has_the_score_every_finding_its_words_and_our_change(client, review):
    r = client.post("/api/v1/report", json={"review": review, "paragraphs": PARAS, "title": "Bright Spark contract"})
    assert r.status_code == 200
    assert r.mimetype == "text/markdown" and "attachment" in r.headers["Content-Disposition"]
    md = r.get_data(as_text=True)
    assert md.startswith("# Bright Spark contract\n")
    assert f"Score: **{review['score']['value']}/100**" in md
    headings = re.findall(r"^### \d+\. (.+?) \(", md, re.M)
    assert sorted(headings) == sorted(f["title"] for f in _shown(review))
    texts = {p["id"]: p["text"] for p in PARAS}
    for f in _shown(review):
        if f["span"] and f["paragraph_id"]:
            words = texts[f["paragraph_id"]][f["span"]["start"]:f["span"]["end"]].strip()
            assert f"> {words[:60]}" in md, f["rule_id"]
        s = f["suggestion"]
        if s and s["type"] == "insert":
            assert s["paragraphs"][0]["text"] in md
    for q in review["questions"]:
        assert q in md
    # a finding is named once, most severe first
    severities = [f["severity"] for f in sorted(_shown(review), key=lambda f: md.index(f["title"]))]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)


def test_the_pdf_report_holds_the_same_words(client, review):
    r = client.post("/api/v1/report", json={"review": review, "paragraphs": PARAS, "format": "pdf"})
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(r.get_data()))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert f"Score: {review['score']['value']}/100" in text
    for f in _shown(review):
        assert " ".join(f["title"].split()) in text, f["rule_id"]
    assert "“" in text  # the typographic quotes of the contract's words survive (a Unicode font)


def test_a_round_report_says_what_became_of_each_change_and_the_reply(review):
    n = {"round": 2, "summary": "Round 2: the Agency accepted 1 of your changes and struck 1.",
         "reply": "Thank you for your changes.\n- We have marked a narrower version.",
         "ours": [{"rule_id": "ai.prohibition-missing", "title": "No prohibition on AI training", "status": "struck",
                   "protected": False, "settled": False, "walk_away": False, "reply": "We have marked a narrower version."},
                  {"rule_id": "remedies.audit-missing", "title": "No right to audit", "status": "accepted",
                   "protected": True, "settled": True, "walk_away": False, "reply": ""}]}
    md = to_markdown(blocks({**review, "negotiation": n}))
    assert "## Round 2" in md and n["summary"] in md
    assert "| No prohibition on AI training | struck | We have marked a narrower version. |" in md
    assert "No right to audit |" not in md  # settled in an earlier round: no news
    assert "> Thank you for your changes." in md and "> - We have marked a narrower version." in md


def test_a_body_that_is_not_a_review_is_refused_by_name(client):
    r = client.post("/api/v1/report", json={"review": {"hello": 1}})
    assert r.status_code == 422 and "not a review response" in r.get_json()["error"]["message"]
    r = client.post("/api/v1/report", json={"review": {"score": {"value": 1}, "findings": []}, "format": "docx"})
    assert r.status_code == 422 and "format" in str(r.get_json()["error"])
    r = client.post("/api/v1/report", data="x", content_type="text/plain")
    assert r.status_code == 415


def test_without_a_unicode_font_a_pdf_is_refused_with_503_and_markdown_still_works(client, review, monkeypatch, tmp_path):
    import addin_server.report as report

    monkeypatch.setattr(report, "FONT_PATHS", ())
    monkeypatch.setenv("TERMSCORE_REPORT_FONT", str(tmp_path / "none.ttf"))
    r = client.post("/api/v1/report", json={"review": review, "format": "pdf"})
    assert r.status_code == 503 and "fonts-dejavu-core" in r.get_json()["error"]["message"]
    assert client.post("/api/v1/report", json={"review": review}).status_code == 200


def test_words_no_font_can_show_never_reach_the_log_and_unprintable_ones_are_dropped(client, caplog):
    import logging

    review = {"score": {"value": 3, "max": 100}, "findings": [
        {"title": "Licence to 中文 content \x01", "severity": "high", "message": "lone \ud800 surrogate", "paragraph_id": None}]}
    import json

    def post(body):  # the JSON text escapes the lone surrogate, as a browser's would
        return client.post("/api/v1/report", data=json.dumps(body), content_type="application/json")

    with caplog.at_level(logging.DEBUG):
        r = post({"review": review, "format": "pdf"})
        md = post({"review": review})
    assert r.status_code == 200 and r.get_data().startswith(b"%PDF")
    assert md.status_code == 200 and "Licence to 中文 content" in md.get_data(as_text=True)
    assert "中" not in caplog.text and "\ud800" not in md.get_data(as_text=True)


def test_the_command_line_writes_the_report_beside_the_review(tmp_path):
    from addin_server.cli import main
    from tests.helpers import ROOT

    contracts = [ROOT / "tests" / "engine" / name for name in ("consulting-agreement.txt", "voice-over-agreement.txt")]
    assert main(["review", str(contracts[0]), "--report", str(tmp_path / "one.pdf")]) == 0
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(str(tmp_path / "one.pdf")).pages)
    assert "Review of consulting-agreement.txt" in text and "Findings (" in text
    # several files: one report each, in the folder
    assert main(["review", *map(str, contracts), "--report", str(tmp_path / "reports")]) == 0
    written = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert written == ["consulting-agreement-report.md", "voice-over-agreement-report.md"]
    assert (tmp_path / "reports" / written[1]).read_text(encoding="utf-8").startswith("# Review of voice-over-agreement.txt")
