"""Fuzzing from the OpenAPI description: schemathesis generates valid and invalid requests for every
operation of /api/v1/openapi.json; none may get a 5xx, and every error must be the JSON envelope.

At least 1,000 requests run (``TERMSCORE_FUZZ_EXAMPLES`` raises it); in-process over WSGI, so it
fits CI in well under a minute (about 25 s here).
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies as st
from schemathesis import GenerationMode

from addin_server import create_app
from addin_server.config import Settings

EXAMPLES = int(os.environ.get("TERMSCORE_FUZZ_EXAMPLES", "1100"))

app = create_app(Settings(rate_limit="off"))
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
OPERATIONS = [result.ok() for result in schema.get_all_operations()]
STRATEGY = st.one_of([
    op.as_strategy(generation_mode=mode)
    for op in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
])
seen = {"requests": 0, "statuses": {}}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(case=STRATEGY)
def _fuzz(case):
    response = case.call()
    seen["requests"] += 1
    seen["statuses"][response.status_code] = seen["statuses"].get(response.status_code, 0) + 1
    assert response.status_code < 500, (case.as_curl_command(), response.status_code, response.text[:300])
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["status"] == response.status_code and error["code"] and error["message"]


def test_openapi_fuzz_has_no_5xx_over_a_thousand_requests():
    assert {op.path for op in OPERATIONS} >= {"/api/v1/review", "/api/v1/playbook"}
    _fuzz()
    print(f"fuzz: {seen['requests']} requests, statuses {dict(sorted(seen['statuses'].items()))}")
    assert seen["requests"] >= 1000
    assert any(400 <= s < 500 for s in seen["statuses"]), "no invalid request was generated"
    assert seen["statuses"].get(200, 0) > 0, "no valid request was generated"


def test_non_list_dismissed_is_a_422_not_a_500():
    """Found by this fuzzer: a 'dismissed' form field that is JSON but not a list."""
    client = app.test_client()
    r = client.post("/api/v1/redline", data={"file": (__import__("io").BytesIO(b"PK"), "a.docx"), "dismissed": "1"},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "validation_error"
