"""``make run`` serves through gunicorn with the deployment's configuration, over TLS (issue 10, item 12).

Before, ``python -m addin_server serve`` (the last step of ``make run``) ran Flask's development
server, which greets a newcomer with "Do not use it in a production deployment".
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.contracts import contract
from deploy_harness import free_port

ROOT = Path(__file__).resolve().parents[2]


def _make_run_serve_argv() -> list[str]:
    """The serve step of the Makefile's ``run`` target, as the command it runs."""
    text = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    serve = [line.strip() for line in recipe.splitlines() if "addin_server serve" in line]
    assert len(serve) == 1, recipe
    return serve[0].split()


def _certificate(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "localhost.pem", tmp_path / "localhost-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def _https(port: int, cert: Path, method: str, path: str, body=None, timeout: float = 30):
    context = ssl.create_default_context(cafile=str(cert))
    conn = http.client.HTTPSConnection("localhost", port, context=context, timeout=timeout)
    # "localhost" for the certificate's name, 127.0.0.1 on the wire
    conn._create_connection = lambda address, *a, **k: socket.create_connection(("127.0.0.1", port), *a, **k)
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def _children(pid: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def test_make_run_serves_through_gunicorn_with_the_deployment_config_over_tls(tmp_path):
    argv = _make_run_serve_argv()
    assert argv[:4] == ["$(BIN)/python", "-m", "addin_server", "serve"], argv
    cert, key = _certificate(tmp_path)
    port = free_port()
    ours = {"$(PORT)": str(port), "deploy/certs/localhost.pem": str(cert), "deploy/certs/localhost-key.pem": str(key)}
    args = [ours.get(word, word) for word in argv[4:]]
    assert args == ["--port", str(port), "--cert", str(cert), "--key", str(key)], argv

    env = {k: v for k, v in os.environ.items() if not k.startswith("TERMSCORE_")}
    env["PYTHONUNBUFFERED"] = "1"
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "addin_server", "serve", *args], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    slow: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 40
        status = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"serve exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                status = _https(port, cert, "GET", "/readyz", timeout=2)[0]
                if status == 200:
                    break
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        assert status == 200, log_path.read_text()

        # slow clients over TLS: three never start the handshake, three send half a request
        context = ssl.create_default_context(cafile=str(cert))
        for i in range(6):
            raw_sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            slow.append(raw_sock)
            if i % 2:
                tls = context.wrap_socket(raw_sock, server_hostname="localhost")
                tls.sendall(b"POST /api/v1/review HTTP/1.1\r\nHost: localhost\r\nContent-Length: 500\r\n\r\n{")
                slow.append(tls)
        body = {"paragraphs": contract(40, seed=2), "options": {"agency_risk": "high"}}
        started = time.monotonic()
        status, headers, raw = _https(port, cert, "POST", "/api/v1/review", body)
        assert time.monotonic() - started < 5
        assert status == 200, raw
        assert json.loads(raw)["findings"]
        assert headers.get("Strict-Transport-Security"), "the app does not see the request as HTTPS"
        status, _, page = _https(port, cert, "GET", "/taskpane/taskpane.html")
        assert status == 200 and b"<html" in page.lower()

        # gunicorn with deploy/gunicorn.conf.py: its workers, its class, its deadline, its JSON logs
        sys.path.insert(0, str(ROOT / "tests" / "deploy"))
        from test_deploy_files import load_gunicorn_conf

        conf = load_gunicorn_conf({})
        deadline = time.monotonic() + 15
        while len(_children(proc.pid)) != conf["workers"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_children(proc.pid)) == conf["workers"]
        text = log_path.read_text()
        records = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
        start = [r["msg"] for r in records if r["msg"].startswith("starting termscore")]
        assert start and f"workers={conf['workers']} " in start[0] and "class=buffered sync" in start[0]
        assert f"timeout={conf['timeout']}s" in start[0] and "tls=True" in start[0]
        assert any(r["logger"] == "gunicorn.access" and r["path"] == "/api/v1/review" for r in records)
        assert "Do not use it in a production deployment" not in text
        assert "development server" not in text.lower() and "Werkzeug" not in headers.get("Server", "")
    finally:
        for s in slow:
            s.close()
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
