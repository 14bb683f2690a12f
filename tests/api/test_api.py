"""The HTTP surface: the review contract, the catalog, OpenAPI, and one error envelope for all errors."""

import json

import pytest

from tests.helpers import SAMPLE


def _doc():
    lines = [l for l in SAMPLE.read_text().split("\n") if l.strip()]
    return [{"id": f"p-{i}", "text": t, "style": "Normal"} for i, t in enumerate(lines)]


def test_review_returns_the_documented_shape(client):
    r = client.post("/api/v1/review", json={"paragraphs": _doc(), "options": {"project_name": "Spring Campaign", "liquidated_damages": "$10,000"}})
    assert r.status_code == 200
    body = r.get_json()
    assert {"score", "parties", "defined_terms", "clauses", "findings", "questions"} <= set(body)
    assert 0 <= body["score"]["value"] <= 100 and body["score"]["grade"]
    assert {c["id"] for c in body["score"]["categories"]} == {"usage-rights", "ai-training", "ownership", "derivative-works", "confidentiality", "remedies"}
    assert body["parties"] == {"provider": "Designer", "client": "Agency"}
    f = body["findings"][0]
    assert {"id", "rule_id", "kind", "severity", "category", "title", "message", "paragraph_id", "span", "comment", "suggestion", "alternatives"} <= set(f)
    texts = json.dumps(body)
    assert "Spring Campaign" in texts and "$10,000" in texts
    assert body["questions"][0].startswith("Does your internal workflow")


def _error(r, status, code):
    assert r.status_code == status, r.get_data(as_text=True)
    body = r.get_json()
    assert body["error"]["status"] == status and body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


BAD = [
    ("invalid json", b"{not json", "application/json", 400, "bad_json"),
    ("not utf-8", b"\xff\xfe\x00", "application/json", 400, "bad_json"),
    ("array body", b"[]", "application/json", 422, "validation_error"),
    ("missing paragraphs", b"{}", "application/json", 422, "validation_error"),
    ("paragraphs not a list", b'{"paragraphs": "x"}', "application/json", 422, "validation_error"),
    ("id wrong type", b'{"paragraphs": [{"id": 3, "text": "x"}]}', "application/json", 422, "validation_error"),
    ("text missing", b'{"paragraphs": [{"id": "a"}]}', "application/json", 422, "validation_error"),
    ("empty document", b'{"paragraphs": []}', "application/json", 422, "validation_error"),
    ("blank document", b'{"paragraphs": [{"id": "a", "text": "   "}]}', "application/json", 422, "validation_error"),
    ("duplicate ids", b'{"paragraphs": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]}', "application/json", 422, "validation_error"),
    ("unpaired surrogate", b'{"paragraphs": [{"id": "a", "text": "x \\ud800 y"}]}', "application/json", 422, "validation_error"),
    ("surrogate in style", b'{"paragraphs": [{"id": "a", "text": "x", "style": "\\udc00"}]}', "application/json", 422, "validation_error"),
    ("surrogate in id", b'{"paragraphs": [{"id": "\\udc00", "text": "x"}]}', "application/json", 422, "validation_error"),
    ("id too long", b'{"paragraphs": [{"id": "' + b"x" * 201 + b'", "text": "x"}]}', "application/json", 422, "validation_error"),
    ("bad risk", b'{"paragraphs": [{"id": "a", "text": "x"}], "options": {"agency_risk": "extreme"}}', "application/json", 422, "validation_error"),
    ("unknown field", b'{"paragraphs": [{"id": "a", "text": "x"}], "extra": 1}', "application/json", 422, "validation_error"),
    ("form body", b"a=b", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
]


@pytest.mark.parametrize("name,body,ctype,status,code", BAD, ids=[b[0] for b in BAD])
def test_bad_input_gets_a_named_4xx(client, name, body, ctype, status, code):
    _error(client.post("/api/v1/review", data=body, content_type=ctype), status, code)


def test_duplicate_id_error_names_the_id(client):
    err = _error(client.post("/api/v1/review", json={"paragraphs": [{"id": "p-9", "text": "a"}, {"id": "p-9", "text": "b"}]}), 422, "validation_error")
    assert "p-9" in err["message"]


def test_fifty_thousand_paragraphs_is_refused_with_the_limit(client):
    body = {"paragraphs": [{"id": str(i), "text": "x"} for i in range(50_000)]}
    err = _error(client.post("/api/v1/review", json=body), 422, "validation_error")
    assert "20000" in err["message"]


def test_twenty_megabyte_body_is_refused_before_parsing(client):
    _error(client.post("/api/v1/review", data=b"{" + b" " * (20 * 1024 * 1024), content_type="application/json"), 413, "payload_too_large")


def test_control_characters_and_rtl_text_are_reviewed(client):
    paragraphs = [{"id": "a", "text": "Designer grants Agency a perpetual license\u0007 to use the Work Product.\u000b\tNext"},
                  {"id": "b", "text": "המעצב מעניק לסוכנות רישיון תמידי \u202bRTL\u202c"}]
    r = client.post("/api/v1/review", json={"paragraphs": paragraphs})
    assert r.status_code == 200
    f = next(f for f in r.get_json()["findings"] if f["rule_id"] == "usage.perpetual-irrevocable")
    assert f["suggestion"]["original"] == paragraphs[0]["text"]  # never normalised


@pytest.mark.parametrize("method,path,status,code", [("get", "/api/v1/nothing", 404, "not_found"),
                                                      ("get", "/api/v1/review", 405, "method_not_allowed"),
                                                      ("delete", "/healthz", 405, "method_not_allowed")])
def test_routing_errors_use_the_envelope(client, method, path, status, code):
    _error(getattr(client, method)(path), status, code)


def test_unexpected_exceptions_become_a_500_envelope_without_details(client, monkeypatch):
    from addin_server import service

    def boom(*a, **k):
        raise RuntimeError("secret contract words")

    monkeypatch.setattr(service, "review_paragraphs", boom)
    err = _error(client.post("/api/v1/review", json={"paragraphs": [{"id": "a", "text": "x"}]}), 500, "internal_error")
    assert "secret" not in json.dumps(err)


def test_playbook_catalog_and_openapi(client):
    catalog = client.get("/api/v1/playbook").get_json()
    assert len(catalog["rules"]) >= 15 and all(r["examples"]["flag"] for r in catalog["rules"])
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/review" in spec["paths"]
    assert "ReviewRequest" in spec["components"]["schemas"]


def test_health(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json()["status"] == "ready"


# Found by fuzzing: bodies Python's JSON parser refuses in ways that are not syntax errors (nesting past
# the recursion limit, integers past 4,300 digits) and names that cannot be encoded in the reply.
DEEP = "[" * 1200 + "]" * 1200
DEEP_OBJECT = '{"a":' * 1200 + "1" + "}" * 1200
HUGE = "9" * 5000
ONE = '{"id": "p-1", "text": "The Designer grants a licence."}'
UNPARSEABLE = [
    ("deep array at the top", DEEP, "nested too deeply"),
    ("deep object at the top", DEEP_OBJECT, "nested too deeply"),
    ("deep in an unknown field", '{"paragraphs": [' + ONE + '], "x": ' + DEEP + "}", "nested too deeply"),
    ("deep as the paragraphs", '{"paragraphs": ' + DEEP + "}", "nested too deeply"),
    ("deep in a paragraph's text", '{"paragraphs": [{"id": "p", "text": ' + DEEP + "}]}", "nested too deeply"),
    ("deep in the options", '{"paragraphs": [' + ONE + '], "options": ' + DEEP_OBJECT + "}", "nested too deeply"),
    ("huge integer in an unknown field", '{"paragraphs": [' + ONE + '], "n": ' + HUGE + "}", "5000 digits"),
    ("huge negative integer", '{"paragraphs": [' + ONE + '], "n": -' + HUGE + "}", "5000 digits"),
    ("huge integer as an id", '{"paragraphs": [{"id": ' + HUGE + ', "text": "x"}]}', "5000 digits"),
    ("huge integer in the options", '{"paragraphs": [' + ONE + '], "options": {"agency_risk": ' + HUGE + "}}", "5000 digits"),
]


@pytest.mark.parametrize("body,named", [(b, n) for _, b, n in UNPARSEABLE], ids=[i for i, _, _ in UNPARSEABLE])
def test_json_the_parser_refuses_is_a_named_400(client, caplog, body, named):
    with caplog.at_level("ERROR"):
        r = client.post("/api/v1/review", data=body, content_type="application/json")
    error = _error(r, 400, "bad_json")
    assert named in error["message"]
    assert not [rec for rec in caplog.records if rec.levelname == "ERROR"], "nothing may reach the error log"


UNKNOWN_NAMES = [
    ("lone surrogate key at the top", '{"paragraphs": [' + ONE + '], "\\ud800": 1}'),
    ("lone surrogate key in a paragraph", '{"paragraphs": [{"id": "p", "text": "x", "\\udc00x": 2}]}'),
    ("lone surrogate key in the options", '{"paragraphs": [' + ONE + '], "options": {"\\udbff": "high"}}'),
    ("very long unknown key", '{"paragraphs": [' + ONE + '], "' + "k" * 100_000 + '": 1}'),
]


@pytest.mark.parametrize("body", [b for _, b in UNKNOWN_NAMES], ids=[i for i, _ in UNKNOWN_NAMES])
def test_an_unknown_field_is_named_in_a_422_whatever_its_name(client, caplog, body):
    with caplog.at_level("ERROR"):
        r = client.post("/api/v1/review", data=body, content_type="application/json")
    error = _error(r, 422, "validation_error")
    assert "Unknown field" in error["message"] and error["details"]
    assert len(r.get_data()) < 2_000, "an echoed name is cut short"
    assert not [rec for rec in caplog.records if rec.levelname == "ERROR"], "no traceback, and never the key"


FORM_FIELDS = [("options", DEEP, "nested too deeply"), ("options", '{"agency_risk": ' + HUGE + "}", "5000 digits"),
               ("findings", DEEP, "nested too deeply"), ("alternatives", '{"f-1": ' + HUGE + "}", "5000 digits"),
               ("dismissed", DEEP_OBJECT, "nested too deeply")]
FORM_CASES = [("/api/v1/review/docx", *FORM_FIELDS[0]), ("/api/v1/review/docx", *FORM_FIELDS[1])] + [
    ("/api/v1/redline", *case) for case in FORM_FIELDS]  # the review route reads only the options


@pytest.mark.parametrize("route,field,value,named", FORM_CASES, ids=[f"{r.rsplit('/', 1)[1]}-{f}-{n.split()[-1]}" for r, f, _, n in FORM_CASES])
def test_docx_form_fields_the_parser_refuses_are_a_named_422(client, caplog, route, field, value, named):
    import io

    with caplog.at_level("ERROR"):
        r = client.post(route, data={"file": (io.BytesIO(b"PK\x03\x04"), "a.docx"), field: value},
                        content_type="multipart/form-data")
    error = _error(r, 422, "validation_error")
    assert f"'{field}'" in error["message"] and named in error["message"]
    assert not [rec for rec in caplog.records if rec.levelname == "ERROR"]


# The documented limits bound a request in CPU time, whatever the text: found by fuzzing, forty
# 50,000-character paragraphs of risky sentences (2 MB, inside every size limit) took 31 s.
def _risky_paragraph(chars: int) -> str:
    from bench.bench_review import RISKY_SENTENCES, _paragraph_of

    return _paragraph_of(RISKY_SENTENCES, chars)


@pytest.mark.parametrize("count,chars", [(100, 50_000), (20_000, 250)], ids=["100x50000", "20000x250"])
def test_a_request_at_the_size_limits_is_refused_within_its_cpu_budget(client, count, chars):
    import time

    body = json.dumps({"paragraphs": [{"id": f"p-{i}", "text": _risky_paragraph(chars)} for i in range(count)]})
    started = time.thread_time()
    r = client.post("/api/v1/review", data=body, content_type="application/json")
    used = time.thread_time() - started
    error = _error(r, 413, "review_too_large")
    assert "Review it in parts" in error["message"] and error["details"]["limit_cpu_seconds"] == 1.8
    assert used < 2.0, f"{used:.2f} s of CPU"


def test_real_sized_contracts_fit_the_budget(client):
    """A 1,500-paragraph contract (about 100 pages) and a 50,000-character risky paragraph use a small
    part of the budget: they are reviewed, not refused."""
    from bench.contracts import review_body

    assert client.post("/api/v1/review", json=review_body(1500)).status_code == 200
    r = client.post("/api/v1/review", json={"paragraphs": [{"id": "p", "text": _risky_paragraph(50_000)}]})
    assert r.status_code == 200 and r.get_json()["findings"]
