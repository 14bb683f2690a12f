"""security.py: headers, CORS, optional auth, rate limit and the early body-size limit."""

from __future__ import annotations

import hmac
import io

import pytest

from addin_server import security
from bench.contracts import review_body

ORIGIN = "https://pane.example.com"
SMALL = {"paragraphs": [{"id": "p-1", "text": "The Designer grants the Agency a licence to use the Work Product."}]}


# --- security headers -----------------------------------------------------------------------------

def test_api_responses_carry_security_headers_and_are_never_cached(make_client):
    r = make_client().post("/api/v1/review", json=SMALL)
    assert r.status_code == 200
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert r.headers["Cache-Control"] == "no-store"
    assert "X-Frame-Options" not in r.headers
    assert "Strict-Transport-Security" not in r.headers  # plain HTTP here


def test_pane_pages_get_the_pane_policy(make_client):
    r = make_client().get("/taskpane/help.html")
    r.close()
    assert r.status_code == 200
    csp = r.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self' https://appsforoffice.microsoft.com"
    assert directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp and " * " not in f" {csp} "
    ancestors = directives["frame-ancestors"].split()
    # Office on the web frames the pane: it must be allowed to, and nobody else.
    for host in ("https://*.officeapps.live.com", "https://*.office.com", "https://*.sharepoint.com"):
        assert host in ancestors
    assert all(a == "'self'" or a.startswith("https://") for a in ancestors)
    assert "X-Frame-Options" not in r.headers


def test_hsts_only_over_https(make_client):
    r = make_client().get("/healthz", base_url="https://localhost")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


# --- CORS ----------------------------------------------------------------------------------------

def test_cors_allows_a_configured_origin_and_answers_its_preflight(make_client):
    client = make_client(allowed_origins=(ORIGIN,))
    pre = client.options("/api/v1/review", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, authorization"})
    assert pre.status_code == 204
    assert pre.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "authorization" in pre.headers["Access-Control-Allow-Headers"].lower()
    r = client.post("/api/v1/review", json=SMALL, headers={"Origin": ORIGIN})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in r.headers["Vary"]


@pytest.mark.parametrize("origins", [(), (ORIGIN,), ("*",)])
def test_cors_denies_other_origins_and_never_sends_a_wildcard(make_client, origins):
    client = make_client(allowed_origins=origins)
    evil = "https://evil.example"
    pre = client.options("/api/v1/review", headers={"Origin": evil, "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 403
    assert pre.json["error"]["code"] == "forbidden"
    assert "Access-Control-Allow-Origin" not in pre.headers
    r = client.post("/api/v1/review", json=SMALL, headers={"Origin": evil})
    assert "Access-Control-Allow-Origin" not in r.headers
    r = client.get("/healthz", headers={"Origin": "null"})
    assert "Access-Control-Allow-Origin" not in r.headers


# --- authentication ------------------------------------------------------------------------------

def test_auth_is_off_without_keys(make_client):
    assert make_client().post("/api/v1/review", json=SMALL).status_code == 200


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong"}, {"X-API-Key": "wrong"}, {"Authorization": "Basic a2V5LTE="},
    {"Authorization": "Bearer "}, {"Authorization": "Bearer key-1x"}, {"X-API-Key": "key-"},
])
def test_auth_on_rejects_missing_or_wrong_keys_with_the_envelope(make_client, headers):
    r = make_client(api_keys=("key-1", "key-2")).post("/api/v1/review", json=SMALL, headers=headers)
    assert r.status_code == 401
    assert r.json["error"]["code"] == "unauthorized"
    assert "key-1" not in r.get_data(as_text=True)


@pytest.mark.parametrize("headers", [
    {"Authorization": "Bearer key-1"}, {"Authorization": "bearer key-2"}, {"X-API-Key": "key-2"},
])
def test_auth_on_accepts_any_configured_key(make_client, headers):
    client = make_client(api_keys=("key-1", "key-2"))
    assert client.post("/api/v1/review", json=SMALL, headers=headers).status_code == 200
    assert client.get("/api/v1/playbook", headers=headers).status_code == 200


def test_auth_leaves_probes_and_the_pane_open_and_preflight_unauthenticated(make_client):
    client = make_client(api_keys=("key-1",), allowed_origins=(ORIGIN,))
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    pane = client.get("/taskpane/help.html")
    pane.close()
    assert pane.status_code == 200
    pre = client.options("/api/v1/review", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204


def test_keys_are_compared_in_constant_time_against_every_key(make_client, monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", spy)
    client = make_client(api_keys=("key-1", "a-much-longer-second-key", "k3"))
    assert client.post("/api/v1/review", json=SMALL, headers={"X-API-Key": "key-1"}).status_code == 200
    # No early exit on the first match, and equal-length digests whatever the keys' lengths.
    assert calls == [(32, 32)] * 3
    calls.clear()
    assert client.post("/api/v1/review", json=SMALL, headers={"X-API-Key": "nope"}).status_code == 401
    assert calls == [(32, 32)] * 3


# --- rate limiting -------------------------------------------------------------------------------

def test_rate_limit_answers_429_in_the_envelope_and_spares_the_probes(make_client):
    client = make_client(rate_limit="3 per minute")
    statuses = [client.post("/api/v1/review", json=SMALL).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    r = client.get("/api/v1/playbook")  # one budget for all routes
    assert r.status_code == 429
    body = r.json["error"]
    assert body["code"] == "rate_limited" and body["status"] == 429
    assert "3 per 1 minute" in body["message"]
    assert int(r.headers["Retry-After"]) > 0
    for _ in range(10):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200


def test_rate_limit_counts_each_client_separately(make_client):
    client = make_client(rate_limit="2 per minute")
    a = {"REMOTE_ADDR": "10.0.0.1"}
    b = {"REMOTE_ADDR": "10.0.0.2"}
    assert [client.get("/api/v1/playbook", environ_base=a).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/playbook", environ_base=b).status_code == 200


def test_rate_limit_behind_a_proxy_counts_the_forwarded_client(make_client, monkeypatch):
    client = make_client(rate_limit="1 per minute", proxy_hops=1)
    one = {"X-Forwarded-For": "203.0.113.7"}
    two = {"X-Forwarded-For": "203.0.113.8"}
    assert client.get("/api/v1/playbook", headers=one).status_code == 200
    assert client.get("/api/v1/playbook", headers=one).status_code == 429
    assert client.get("/api/v1/playbook", headers=two).status_code == 200


def test_failed_auth_attempts_count_against_the_limit(make_client):
    client = make_client(rate_limit="2 per minute", api_keys=("key-1",))
    statuses = [client.post("/api/v1/review", json=SMALL, headers={"X-API-Key": f"guess-{i}"}).status_code
                for i in range(3)]
    assert statuses == [401, 401, 429]


# --- body-size limit before parsing ---------------------------------------------------------------

def test_declared_oversize_body_is_refused_before_it_is_read(make_client, monkeypatch):
    from flask import Request

    def never(*a, **k):
        raise AssertionError("the body was read")

    monkeypatch.setattr(Request, "get_data", never)
    monkeypatch.setattr(Request, "get_json", never)
    client = make_client(max_body_bytes=1000)
    r = client.post("/api/v1/review", data=b"{" + b" " * 2000 + b"}", content_type="application/json")
    assert r.status_code == 413
    assert r.json["error"]["code"] == "payload_too_large"
    assert "1000" in r.json["error"]["message"]


def test_undeclared_oversize_body_is_capped_while_read(make_client):
    client = make_client(max_body_bytes=1000)
    body = b'{"paragraphs": [{"id": "a", "text": "' + b"x" * 5000 + b'"}]}'

    r = client.post("/api/v1/review", input_stream=io.BytesIO(body), content_type="application/json",
                    headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert r.status_code == 413
    assert r.json["error"]["code"] == "payload_too_large"


def test_bodies_under_the_limit_are_reviewed(make_client):
    body = review_body(40)
    assert make_client(max_body_bytes=1_000_000).post("/api/v1/review", json=body).status_code == 200


def test_request_log_has_no_query_string_or_body(make_client, caplog):
    import logging
    caplog.set_level(logging.DEBUG)
    make_client().post("/api/v1/review?token=sekrit", json=SMALL)
    lines = [r.getMessage() for r in caplog.records if r.name == "addin_server.request"]
    assert len(lines) == 1
    assert lines[0].startswith("request method=POST path=/api/v1/review status=200 bytes=")
    assert "sekrit" not in lines[0] and "licence" not in lines[0]
