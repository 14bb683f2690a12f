"""Contract text never reaches the disk: an uploaded .docx is read in memory, whatever its size."""

import random
import tempfile

import pytest
import werkzeug.formparser

from tests.docx.docx_factory import build_docx, p, r, replace_part


@pytest.mark.parametrize("route", ["/api/v1/review/docx", "/api/v1/redline"])
def test_a_large_upload_is_never_spooled_to_a_temporary_file(client, monkeypatch, route):
    """Werkzeug writes an upload over 500 KB to a temporary file unless the app keeps it in memory."""
    def refuse(*args, **kwargs):
        raise AssertionError("an upload was about to be written to a temporary file")

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", refuse)
    clause = ("The Designer grants the Agency a perpetual, irrevocable, worldwide license to use the Work Product "
              "in all media now known or hereafter devised.")
    data = build_docx(p(r(clause)))
    data = replace_part(data, "word/media/scan.bin", random.Random(7).randbytes(700_000))  # incompressible
    assert len(data) > 600_000  # past Werkzeug's 500 KB spooling threshold
    # the multipart body is built here: the test client would itself spool a body this large to disk
    boundary = "termscore-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.docx\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    r_ = client.post(route, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert r_.status_code == 200, r_.get_data(as_text=True)[:300]
