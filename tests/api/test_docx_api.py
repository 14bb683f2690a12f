"""The .docx routes: bad uploads get a named 4xx, quickly; the CLI writes a redline too."""

import io
import json
import subprocess
import sys
import zipfile

import pytest

from tests.helpers import ROOT, SHARED

CONTRACT = SHARED / "corpus" / "contracts" / "commonpaper-independent-contractor-agreement.docx"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


BAD = [
    ("not a zip", b"%PDF-1.4 hello", 415, "docx_not_a_zip"),
    ("empty", b"", 400, "docx_empty"),
    ("legacy doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, 415, "docx_legacy_doc"),
    ("truncated", CONTRACT.read_bytes()[:5000], 400, "docx_truncated"),
    ("zip without document", _zip({"hello.txt": b"hi"}), 415, "docx_not_docx"),
    ("zip bomb", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<" + b"a" * 60_000_000 + b"/>"}), 413, "docx_zip_bomb"),
]


@pytest.mark.parametrize("route", ["/api/v1/review/docx", "/api/v1/redline"])
@pytest.mark.parametrize("name,data,status,code", BAD, ids=[b[0] for b in BAD])
def test_bad_uploads(client, route, name, data, status, code):
    r = client.post(route, data={"file": (io.BytesIO(data), "x.docx")}, content_type="multipart/form-data")
    assert r.status_code == status, r.get_json()
    assert r.get_json()["error"]["code"] == code


def test_upload_needs_multipart_and_a_file(client):
    assert client.post("/api/v1/review/docx", json={}).status_code == 415
    r = client.post("/api/v1/redline", data={"options": "{}"}, content_type="multipart/form-data")
    assert r.status_code == 422 and "file" in r.get_json()["error"]["message"]


def test_bad_options_and_finding_lists(client):
    data = CONTRACT.read_bytes()
    for field, value in [("options", "{bad"), ("options", json.dumps({"agency_risk": "extreme"})),
                         ("findings", json.dumps({"a": 1})), ("comment_audience", "everyone")]:
        r = client.post("/api/v1/redline", data={"file": (io.BytesIO(data), "x.docx"), field: value},
                        content_type="multipart/form-data")
        assert r.status_code == 422, (field, r.get_json())


def test_redline_applies_only_chosen_findings(client):
    data = CONTRACT.read_bytes()
    review = client.post("/api/v1/review/docx", data={"file": (io.BytesIO(data), "x.docx")}, content_type="multipart/form-data").get_json()
    assert [p["id"] for p in review["paragraphs"]][:3] == ["p-0", "p-1", "p-2"]
    first = review["findings"][0]["id"]
    r = client.post("/api/v1/redline", data={"file": (io.BytesIO(data), "x.docx"), "findings": json.dumps([first])},
                    content_type="multipart/form-data")
    assert r.status_code == 200 and r.headers["X-Redline-Applied"] == "1"
    r = client.post("/api/v1/redline", data={"file": (io.BytesIO(data), "x.docx"), "dismissed": json.dumps([first])},
                    content_type="multipart/form-data")
    assert int(r.headers["X-Redline-Applied"]) == len([f for f in review["findings"] if not f.get("covered_by")]) - 1


def test_cli_reviews_and_redlines_a_docx(tmp_path):
    out = tmp_path / "redlined.docx"
    run = subprocess.run([sys.executable, "-m", "addin_server", "review", str(CONTRACT), "--redline", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "score" in run.stdout and out.stat().st_size > 0
    assert zipfile.ZipFile(out).read("word/settings.xml").find(b"trackRevisions") > 0


def test_cli_says_the_round_a_returned_docx_is_in_and_prints_the_reply(tmp_path):
    out = tmp_path / "round1.docx"
    first = subprocess.run([sys.executable, "-m", "addin_server", "review", str(CONTRACT), "--redline", str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "Round " not in first.stdout  # round one: nothing to answer yet
    again = subprocess.run([sys.executable, "-m", "addin_server", "review", str(out)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "Round 2:" in again.stdout and "still pending" in again.stdout
    assert "Reply to send with this round:" in again.stdout and "still marked as changes" in again.stdout


def test_cli_shows_progress_for_a_folder(tmp_path):
    for n in range(2):
        (tmp_path / f"c{n}.txt").write_text("Designer grants Agency a perpetual license to use the Work Product.\n")
    run = subprocess.run([sys.executable, "-m", "addin_server", "review", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "[1/2]" in run.stderr and "[2/2]" in run.stderr


# --- issue 10: text limits, author, upload limit, duplicated entries ------------------------------

def _docx(*texts: str) -> bytes:
    from docx import Document

    d = Document()
    for t in texts:
        d.add_paragraph(t)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _post(client, route, data, **form):
    return client.post(route, data={"file": (io.BytesIO(data), "x.docx"), **form}, content_type="multipart/form-data")


@pytest.mark.parametrize("route", ["/api/v1/review/docx", "/api/v1/redline"])
def test_docx_paragraph_over_the_json_limit_is_a_named_413(client, route):
    r = _post(client, route, _docx("The Designer grants the Agency a licence.", "x" * 60_000))
    body = r.get_json()
    assert r.status_code == 413, body
    assert body["error"]["code"] == "docx_text_limit"
    assert "50000" in body["error"]["message"] and "p-1" in body["error"]["message"]
    assert "xxxx" not in r.get_data(as_text=True)


def test_docx_text_limits_follow_the_settings():
    from addin_server import create_app
    from addin_server.config import Settings

    client = create_app(Settings(rate_limit="off", max_paragraphs=2)).test_client()
    r = _post(client, "/api/v1/review/docx", _docx("One licence.", "Two licence.", "Three licence."))
    assert r.status_code == 413 and "limit 2" in r.get_json()["error"]["message"]


def test_cli_refuses_a_docx_over_the_text_limit(tmp_path):
    path = tmp_path / "long.docx"
    path.write_bytes(_docx("The Designer grants the Agency a licence.", "x" * 60_000))
    run = subprocess.run([sys.executable, "-m", "addin_server", "review", str(path), "--redline", str(tmp_path / "o.docx")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "text_limit" in run.stderr and "50000" in run.stderr and "xxxx" not in run.stderr
    assert not (tmp_path / "o.docx").exists()


@pytest.mark.parametrize("author", ["Bob\x01", "A\x00B", "\x1b[31mRed", "Tab\x0bbed"])
def test_author_with_a_control_character_is_a_422_naming_the_field(client, author):
    r = _post(client, "/api/v1/redline", CONTRACT.read_bytes(), author=author)
    body = r.get_json()
    assert r.status_code == 422, body
    assert "author" in body["error"]["message"] and "XML compatible" not in body["error"]["message"]
    assert body["error"]["details"] == {"form": {"author": [body["error"]["details"]["form"]["author"][0]]}}


def test_author_with_ordinary_unicode_is_written(client):
    r = _post(client, "/api/v1/redline", CONTRACT.read_bytes(), author="Zoë Ångström")
    assert r.status_code == 200
    assert "Zoë Ångström".encode() in zipfile.ZipFile(io.BytesIO(r.data)).read("word/document.xml")


def test_upload_limit_counts_the_file_not_the_multipart_framing():
    from addin_server import create_app
    from addin_server.config import Settings

    data = CONTRACT.read_bytes()
    exact = create_app(Settings(rate_limit="off", max_upload_bytes=len(data))).test_client()
    r = _post(exact, "/api/v1/redline", data, options=json.dumps({"agency_risk": "high"}))
    assert r.status_code == 200, r.get_json()
    short = create_app(Settings(rate_limit="off", max_upload_bytes=len(data) - 1)).test_client()
    r = _post(short, "/api/v1/review/docx", data)
    assert r.status_code == 413 and str(len(data) - 1) in r.get_json()["error"]["message"]
    # a JSON body keeps its own limit, with no margin
    small = create_app(Settings(rate_limit="off", max_body_bytes=1000)).test_client()
    r = small.post("/api/v1/review", data=b'{"paragraphs": []}' + b" " * 1000, content_type="application/json")
    assert r.status_code == 413


def test_redline_of_a_duplicated_document_entry_is_refused(client):
    from tests.docx.docx_factory import with_duplicate_entry

    r = _post(client, "/api/v1/redline", with_duplicate_entry(CONTRACT.read_bytes(), "word/document.xml"))
    assert r.status_code == 400, r.headers
    assert r.get_json()["error"]["code"] == "docx_corrupt" and "word/document.xml" in r.get_json()["error"]["message"]


def test_unsupported_zip_version_is_a_named_4xx(client):
    import struct

    data = bytearray(CONTRACT.read_bytes())
    at = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, at + 6, 99)  # "version needed to extract": 9.9
    r = _post(client, "/api/v1/review/docx", bytes(data))
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "docx_unsupported_zip"


def test_the_routes_carry_the_round_a_real_contract_is_in(client):
    """Round one's redline of a real form holds its round log; sent back untouched, the review says
    round two and that every change of ours is still pending, and the next redline writes round two."""
    def post(route, data):
        return client.post(route, data={"file": (io.BytesIO(data), "c.docx")}, content_type="multipart/form-data")

    first = post("/api/v1/redline", CONTRACT.read_bytes())
    assert first.status_code == 200 and first.headers["X-Round"] == "1"
    review = post("/api/v1/review/docx", first.get_data()).get_json()
    n = review["negotiation"]
    assert n["round"] == 2 and n["ours"] and {o["status"] for o in n["ours"]} == {"pending"}, n["ours"]
    assert n["summary"].endswith("still pending.") and "struck" not in n["summary"]
    second = post("/api/v1/redline", first.get_data())
    assert second.status_code == 200 and second.headers["X-Round"] == "2"
    from addin_server.docx import read_docx
    from addin_server.negotiation import NAMESPACE
    from addin_server.negotiation.log import RoundLog
    assert [r.number for r in RoundLog.from_xml(read_docx(second.get_data()).custom_xml[NAMESPACE]).rounds] == [1, 2]


def test_a_damaged_round_log_is_named_and_the_review_goes_on(client):
    from addin_server.docx.writer import redline_docx
    damaged, _ = redline_docx(CONTRACT.read_bytes(), [], custom_xml=b'<rounds xmlns="urn:termscore:round-log:1" '
                                                                      b'version="7"/>')
    r = client.post("/api/v1/review/docx", data={"file": (io.BytesIO(damaged), "c.docx")},
                    content_type="multipart/form-data")
    assert r.status_code == 200
    n = r.get_json()["negotiation"]
    assert n["round"] == 1 and "version" in n["log_error"]
