"""Slow clients against the real gunicorn with the shipped config, with no nginx in front (issue 10, item 13).

Before: each of gunicorn's two sync workers read one request at a time with blocking calls and no
limit, so a few clients sending slowly held both workers and a normal review waited until the
master's timeout killed them. Now requests are read without blocking, in a bounded time, and only a
complete request occupies a worker.
"""

from __future__ import annotations

import json
import socket
import threading
import time

from bench.contracts import contract

from deploy_harness import request

WORKERS = 2
SLOW_CLIENTS = 12  # more than workers (and than workers x threads, were threads the answer)


def _slow_clients(port: int, stop: threading.Event, opened: list) -> None:
    """Four kinds of slow client, three of each, for as long as ``stop`` is not set (bounded by the caller)."""
    head = (b"POST /api/v1/review HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 200\r\n\r\n")
    trickle = []  # (socket, bytes still to send)
    for i in range(SLOW_CLIENTS):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        opened.append(s)
        kind = i % 4
        if kind == 0:
            pass                                           # connects, never sends a byte
        elif kind == 1:
            trickle.append([s, bytearray(head + b"{" * 200)])  # the whole request, a byte at a time
        elif kind == 2:
            s.sendall(head + b'{"paragraphs": [')         # headers, part of the body, never the rest
        else:
            s.sendall(b"POST /api/v1/review HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n10\r\n")  # a chunk announced, never sent
    while not stop.is_set():
        for entry in trickle:
            s, rest = entry
            if rest:
                try:
                    s.send(bytes(rest[:1]))
                    del rest[:1]
                except OSError:
                    pass
        stop.wait(0.25)


def test_slow_clients_do_not_keep_a_normal_review_waiting(gunicorn):
    server = gunicorn(workers=WORKERS, read_timeout=60)
    server.wait_workers(WORKERS)
    body = {"paragraphs": contract(40, seed=3)}
    stop, opened = threading.Event(), []
    slow = threading.Thread(target=_slow_clients, args=(server.port, stop, opened), daemon=True)
    slow.start()
    try:
        time.sleep(1.5)  # every slow client is connected and has sent what it will send for now
        assert len(opened) == SLOW_CLIENTS
        timings = []
        for _ in range(6):
            started = time.monotonic()
            status, _, result = request(server.port, "POST", "/api/v1/review", body, timeout=10)
            timings.append(time.monotonic() - started)
            assert status == 200, result
            assert result["findings"]
        assert max(timings) < 3.0, timings
        assert request(server.port, "GET", "/healthz", timeout=5)[0] == 200
        # the slow clients are still connected and unanswered: they were not simply dropped
        for s in opened:
            s.setblocking(False)
            try:
                assert s.recv(1) != b"", "a slow client was closed early"
            except BlockingIOError:
                pass
    finally:
        stop.set()
        slow.join(timeout=10)
        for s in opened:
            s.close()


def test_a_request_not_received_within_the_read_timeout_gets_a_408_envelope(gunicorn):
    server = gunicorn(workers=1, read_timeout=1)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"POST /api/v1/review HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n{")
        started = time.monotonic()
        reply = b""
        while time.monotonic() - started < 8:
            data = s.recv(65536)
            if not data:
                break
            reply += data
    elapsed = time.monotonic() - started
    assert elapsed < 5, elapsed
    head, _, payload = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), reply
    error = json.loads(payload)["error"]
    assert error["code"] == "request_timeout" and error["status"] == 408
    assert "within 1 s" in error["message"]
    # the worker serves the next client at once
    assert request(server.port, "POST", "/api/v1/review", {"paragraphs": contract(5, seed=1)}, timeout=10)[0] == 200
