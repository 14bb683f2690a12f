"""A malformed chunked body under the real gunicorn is a 400 envelope, not a 500 (issue 10, item 8).

gunicorn parses the chunked framing lazily, when the app reads ``wsgi.input``; it raised
InvalidChunkSize inside the body-size check, and the app's catch-all answered 500.
"""

from __future__ import annotations

import json
import socket
import time

import pytest

CANARY = "ZQXCHUNK"


def _raw(port: int, payload: bytes, timeout: float = 10.0) -> tuple[int, dict]:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(payload)
        reply = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = s.recv(65536)
            if not data:
                break
            reply += data
    head, _, body = reply.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body)


HEAD = (b"POST /api/v1/review HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")


@pytest.mark.parametrize("body", [
    b"zz\r\n",                                              # the fuzzer's case: not a hex size
    b"5\r\n" + CANARY.encode() + b"\r\n0\r\n\r\n",          # data longer than its size: no CRLF after it
    b'10\r\n{"paragraphs": [\r\n-3\r\n',                    # a valid chunk, then a negative size
])
def test_invalid_chunked_body_gets_a_400_envelope(gunicorn, body):
    server = gunicorn(workers=1)
    status, reply = _raw(server.port, HEAD + body)
    assert status == 400, reply
    error = reply["error"]
    assert error["status"] == 400 and error["code"] == "bad_request"
    assert "chunked" in error["message"].lower()
    assert CANARY not in json.dumps(reply)
    # a well-formed chunked request still works on the same server
    good = b'{"paragraphs": [{"id": "p-1", "text": "The Designer grants a perpetual licence."}]}'
    status, reply = _raw(server.port, HEAD + b"%x\r\n" % len(good) + good + b"\r\n0\r\n\r\n")
    assert status == 200, reply
    server.stop()
    assert CANARY not in server.log_text()
    assert "internal_error" not in server.log_text()
