"""deploy/: the Dockerfile (read, since no Docker engine runs here), the manifests, the gunicorn
settings, and nginx's config checked by nginx itself and then run in front of a real gunicorn."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from deploy_harness import ROOT, free_port
from addin_server import security

DEPLOY = ROOT / "deploy"


# --- Dockerfile -----------------------------------------------------------------------------------

def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (DEPLOY / "Dockerfile").read_text()
    logical = re.sub(r"\\\n", " ", text)
    out = []
    for line in logical.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            op, _, rest = line.partition(" ")
            out.append((op.upper(), rest.strip()))
    return out


def test_dockerfile_is_slim_non_root_with_a_healthcheck_and_the_shipped_config():
    ins = dockerfile_instructions()
    ops = [op for op, _ in ins]
    assert set(ops) <= {"FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "EXPOSE", "HEALTHCHECK", "STOPSIGNAL", "CMD", "ARG", "LABEL"}
    froms = [rest for op, rest in ins if op == "FROM"]
    assert froms and all("slim" in f for f in froms)
    final_stage = ins[max(i for i, (op, _) in enumerate(ins) if op == "FROM"):]
    users = [rest for op, rest in final_stage if op == "USER"]
    assert users and users[-1].split(":")[0] not in {"0", "root"}
    user_index = max(i for i, (op, _) in enumerate(final_stage) if op == "USER")
    cmd_index = max(i for i, (op, _) in enumerate(final_stage) if op == "CMD")
    assert user_index < cmd_index
    health = [rest for op, rest in final_stage if op == "HEALTHCHECK"]
    assert health and "/healthz" in health[0]
    cmd = json.loads([rest for op, rest in final_stage if op == "CMD"][-1])
    assert cmd == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    env = " ".join(rest for op, rest in final_stage if op == "ENV")
    port = re.search(r"TERMSCORE_BIND=0\.0\.0\.0:(\d+)", env).group(1)
    assert ("EXPOSE", port) in final_stage
    for op, rest in ins:  # everything copied from the build context exists
        if op == "COPY" and "--from" not in rest:
            sources = [s for s in shlex.split(rest) if not s.startswith("--")][:-1]
            for src in sources:
                assert list(ROOT.glob(src)) or src.endswith("*"), src


def test_healthcheck_command_is_valid_python():
    health = [rest for op, rest in dockerfile_instructions() if op == "HEALTHCHECK"][0]
    argv = json.loads(health[health.index("CMD") + 3:].strip())
    assert argv[:2] == ["python", "-c"]
    compile(argv[2], "<healthcheck>", "exec")


# --- Kubernetes -----------------------------------------------------------------------------------

def manifests() -> dict[str, dict]:
    docs = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                docs[doc["kind"]] = doc
    return docs


def test_manifests_fit_together(make_client):
    m = manifests()
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "Ingress", "ConfigMap"} <= set(m)
    dep = m["Deployment"]
    pod = dep["spec"]["template"]
    labels = pod["metadata"]["labels"]
    assert dep["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (c,) = pod["spec"]["containers"]
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
    client = make_client()
    assert client.get("/readyz").status_code == 200 and client.get("/healthz").status_code == 200
    assert {"cpu", "memory"} <= set(c["resources"]["limits"]) and {"cpu", "memory"} <= set(c["resources"]["requests"])
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    env = {e["name"] for e in c["env"]}
    assert {"TERMSCORE_ALLOWED_ORIGINS", "TERMSCORE_API_KEYS", "TERMSCORE_RATE_LIMIT_STORAGE"} <= env
    port_name = c["ports"][0]["name"]
    svc = m["Service"]
    assert svc["spec"]["selector"].items() <= labels.items()
    assert svc["spec"]["ports"][0]["targetPort"] == port_name
    hpa = m["HorizontalPodAutoscaler"]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": dep["metadata"]["name"]}
    assert hpa["spec"]["minReplicas"] >= 2
    ing = m["Ingress"]
    backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == svc["metadata"]["name"]
    assert backend["port"]["name"] == svc["spec"]["ports"][0]["name"]
    assert ing["spec"]["tls"][0]["hosts"] == [ing["spec"]["rules"][0]["host"]]
    grace = pod["spec"]["terminationGracePeriodSeconds"]
    assert grace > load_gunicorn_conf({})["graceful_timeout"]


# --- gunicorn settings ----------------------------------------------------------------------------

def load_gunicorn_conf(env: dict[str, str]) -> dict:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        namespace: dict = {"__file__": str(DEPLOY / "gunicorn.conf.py")}
        exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
        return namespace
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_gunicorn_settings_follow_the_cpus_and_the_environment():
    conf = load_gunicorn_conf({})
    assert conf["workers"] == max(2, conf["cpu_count"]())
    # a sync worker whose request reading a slow client cannot pin (deploy/buffered_worker.py)
    assert conf["worker_class"].__name__ == "BufferedSyncWorker" and conf["threads"] == 1
    assert conf["worker_class"].__mro__[1].__name__ == "SyncWorker"
    plain = load_gunicorn_conf({"TERMSCORE_BUFFERED_READS": "0"})
    assert plain["worker_class"] == "sync"
    assert conf["max_requests"] > 0 and 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert 0 < conf["request_deadline"] < conf["timeout"]
    assert conf["graceful_timeout"] > 0 and conf["accesslog"] == "-"
    assert conf["wsgi_app"] == "addin_server:create_app()"
    over = load_gunicorn_conf({"TERMSCORE_WORKERS": "7", "TERMSCORE_THREADS": "4", "TERMSCORE_TIMEOUT": "60",
                               "TERMSCORE_MAX_REQUESTS": "100", "TERMSCORE_BIND": "0.0.0.0:9000"})
    assert over["workers"] == 7 and over["threads"] == 4 and over["worker_class"] == "gthread"
    assert over["timeout"] == 60 and over["request_deadline"] == 55
    assert over["max_requests"] == 100 and over["max_requests_jitter"] == 10
    assert over["bind"] == ["0.0.0.0:9000"]


# --- nginx ----------------------------------------------------------------------------------------

def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:  # a missing tool fails, never skips: `make test` installs deploy/apt-packages.txt
        pytest.fail("nginx is not installed: run `make system-deps` (deploy/apt-packages.txt)")
    return found


def local_nginx_conf(tmp_path: Path, upstream_port: int) -> tuple[Path, int, int, Path]:
    """deploy/nginx.conf with its machine paths pointed into tmp_path, on free loopback ports."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(tmp_path / "key.pem"),
                    "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    # nginx's workers run as an unprivileged user: the site must be readable by them.
    site = Path(tempfile.mkdtemp(prefix="termscore-site-"))
    site.chmod(0o755)
    shutil.copytree(ROOT / "taskpane", site / "taskpane")
    http_port, https_port = free_port(), free_port()
    text = (DEPLOY / "nginx.conf").read_text()
    replacements = {
        "pid /run/nginx.pid;": f"pid {tmp_path}/nginx.pid;",
        "/var/log/nginx/access.log": str(tmp_path / "access.log"),
        "/var/log/nginx/error.log": str(tmp_path / "error.log"),
        "/etc/ssl/termscore/fullchain.pem": str(tmp_path / "cert.pem"),
        "/etc/ssl/termscore/privkey.pem": str(tmp_path / "key.pem"),
        "/etc/nginx/termscore-proxy.conf": str(DEPLOY / "termscore-proxy.conf"),
        "root /srv/termscore;": f"root {site};",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    conf = tmp_path / "nginx.conf"
    conf.write_text(text + "\n")
    return conf, http_port, https_port, site


def test_nginx_accepts_the_shipped_config(tmp_path):
    nginx = nginx_binary()
    conf, _, _, site = local_nginx_conf(tmp_path, free_port())
    run = subprocess.run([nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(conf), "-g", "error_log stderr;"],
                         capture_output=True, text=True)
    shutil.rmtree(site, ignore_errors=True)
    assert run.returncode == 0, run.stderr


def test_nginx_pane_csp_is_the_apps_csp():
    text = (DEPLOY / "nginx.conf").read_text()
    assert f'add_header Content-Security-Policy "{security.PANE_CSP}" always;' in text
    assert "X-Frame-Options" not in text


def _https(port: int, path: str, data: bytes | None = None, headers: dict | None = None):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    req = urllib.request.Request(f"https://127.0.0.1:{port}{path}", data=data, headers=headers or {},
                                 method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_nginx_in_front_of_gunicorn_end_to_end(tmp_path, gunicorn):
    nginx = nginx_binary()
    server = gunicorn(workers=2, proxy_hops=1)
    conf, http_port, https_port, site = local_nginx_conf(tmp_path, server.port)
    (site / "taskpane" / "asset-test.js").write_text("console.log('pane');\n")
    for path in [site, *site.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    proc = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off; error_log stderr;"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                if _https(https_port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not come up"
            time.sleep(0.1)

        body = json.dumps({"paragraphs": [{"id": "a", "text": "The Designer grants the Agency a perpetual licence."}]})
        status, headers, raw = _https(https_port, "/api/v1/review", body.encode(), {"Content-Type": "application/json"})
        assert status == 200, raw
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert "score" in json.loads(raw)

        status, headers, _ = _https(https_port, "/taskpane/asset-test.js")
        assert status == 200 and "immutable" in headers["Cache-Control"] and "max-age=31536000" in headers["Cache-Control"]
        status, headers, _ = _https(https_port, "/taskpane/help.html")
        assert status == 200 and headers["Cache-Control"] == "no-cache"
        assert headers["Content-Security-Policy"] == security.PANE_CSP
        assert headers["X-Content-Type-Options"] == "nosniff"

        big = b'{"paragraphs": [{"id": "a", "text": "' + b"x" * (22 * 1024 * 1024) + b'"}]}'
        status, _, raw = _https(https_port, "/api/v1/review", big, {"Content-Type": "application/json"})
        assert status == 413 and json.loads(raw)["error"]["code"] == "payload_too_large"

        redirect = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                                   f"http://127.0.0.1:{http_port}/api/v1/playbook"], capture_output=True, text=True)
        if redirect.returncode == 0:
            assert redirect.stdout.startswith("301 https://")

        server.stop()  # gunicorn gone: nginx answers the API's envelope, not an HTML page
        status, headers, raw = _https(https_port, "/api/v1/review", body.encode(), {"Content-Type": "application/json"})
        assert status == 502 and json.loads(raw)["error"]["code"] == "unavailable"
        access = (tmp_path / "access.log").read_text()
        assert "Designer grants" not in access
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        shutil.rmtree(site, ignore_errors=True)
