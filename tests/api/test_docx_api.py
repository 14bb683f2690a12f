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


def test_cli_shows_progress_for_a_folder(tmp_path):
    for n in range(2):
        (tmp_path / f"c{n}.txt").write_text("Designer grants Agency a perpetual license to use the Work Product.\n")
    run = subprocess.run([sys.executable, "-m", "addin_server", "review", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "[1/2]" in run.stderr and "[2/2]" in run.stderr
