"""Contract text never reaches a log record or an error body: every logger, every level, every error path."""

from __future__ import annotations

import json
import logging
import traceback

import pytest

from addin_server import create_app, service
from addin_server.config import Settings
from bench.contracts import contract

CANARY = "ZQXCANARY"


def canary_contract(n: int = 40) -> list[dict]:
    """Paragraphs each carrying a unique marker that must never be seen outside the response."""
    return [{"id": p["id"], "text": f"{p['text']} [{CANARY}{i}]"} for i, p in enumerate(contract(n, seed=7))]


class Everything(logging.Handler):
    """Keeps every record, fully rendered: message, args, exception and stack."""

    def __init__(self):
        super().__init__(level=1)
        self.rendered: list[str] = []
        self._fmt = logging.Formatter("%(name)s %(levelname)s %(message)s %(pathname)s")

    def emit(self, record: logging.LogRecord) -> None:
        parts = [self._fmt.format(record), repr(record.args), repr(record.__dict__)]
        if record.exc_info:
            parts.append("".join(traceback.format_exception(*record.exc_info)))
        if record.stack_info:
            parts.append(record.stack_info)
        self.rendered.append("\n".join(parts))


@pytest.fixture()
def capture_all():
    handler = Everything()
    root = logging.getLogger()
    saved = root.level, {name: lg.level for name, lg in logging.root.manager.loggerDict.items()
                         if isinstance(lg, logging.Logger)}
    root.addHandler(handler)
    root.setLevel(1)
    logging.captureWarnings(True)
    yield handler
    logging.captureWarnings(False)
    root.removeHandler(handler)
    root.setLevel(saved[0])
    for name, level in saved[1].items():
        logging.getLogger(name).setLevel(level)


def all_levels_on():
    """After create_app: open every logger that exists, at every level."""
    for lg in logging.root.manager.loggerDict.values():
        if isinstance(lg, logging.Logger):
            lg.setLevel(1)
            lg.disabled = False


def assert_no_text(rendered: list[str], paragraphs: list[dict], *extra: str) -> None:
    assert rendered, "no log record was captured at all: the capture is broken"
    blob = "\n".join(rendered) + "\n".join(extra)
    assert CANARY not in blob
    for p in paragraphs:
        # The distinctive middle of every paragraph, not just its whole text.
        middle = p["text"][len(p["text"]) // 3: len(p["text"]) // 3 + 30]
        assert middle not in blob, middle


def test_reviews_and_every_error_path_leave_no_text_in_logs(capture_all, capsys, monkeypatch):
    app = create_app(Settings(rate_limit="7 per minute", max_paragraph_chars=2000, max_body_bytes=200_000))
    all_levels_on()
    client = app.test_client()
    paragraphs = canary_contract(40)
    bodies: list[str] = []

    def post(**kwargs):
        r = client.post("/api/v1/review", **kwargs)
        bodies.append(r.get_data(as_text=True))
        return r

    # 1. A review that succeeds (its response does carry the text: that is the point of it).
    ok = post(json={"paragraphs": paragraphs})
    assert ok.status_code == 200
    bodies.pop()

    # 2. Bad JSON: a contract cut off mid-string.
    truncated = json.dumps({"paragraphs": paragraphs})[:-40]
    assert post(data=truncated, content_type="application/json").status_code == 400

    # 3. Validation errors around real text: too long, duplicate ids, wrong types, a lone surrogate.
    too_long = [dict(p) for p in paragraphs]
    too_long[3]["text"] = (too_long[3]["text"] + " ") * 60
    assert post(json={"paragraphs": too_long}).status_code == 422
    dup = [dict(p) for p in paragraphs]
    dup[5]["id"] = dup[4]["id"]
    assert post(json={"paragraphs": dup}).status_code == 422
    typed = [dict(p) for p in paragraphs] + [{"id": 7, "text": ["x"]}, {"text": paragraphs[0]["text"]}]
    assert post(json={"paragraphs": typed}).status_code == 422
    surrogate = json.dumps({"paragraphs": [{"id": "s", "text": paragraphs[2]["text"] + "\ud800"}]},
                           ensure_ascii=True)
    assert post(data=surrogate, content_type="application/json").status_code == 422

    # 4. An engine failure whose exception message quotes the contract (the worst case).
    def boom(paragraphs_in, options):
        raise RuntimeError(f"could not parse {paragraphs_in[0].text!r}") from ValueError(paragraphs_in[1].text)

    monkeypatch.setattr(service, "review", boom)
    failed = post(json={"paragraphs": paragraphs})
    assert failed.status_code == 500
    assert failed.json["error"]["code"] == "internal_error"

    # 5. Rate-limited (the 7 per minute are spent), with a large body.
    assert post(data=json.dumps({"paragraphs": paragraphs * 200}), content_type="application/json").status_code == 429
    monkeypatch.undo()

    out = capsys.readouterr()
    assert_no_text(capture_all.rendered, paragraphs, out.out, out.err, *bodies)
    names = {r.split(" ", 1)[0] for r in capture_all.rendered}
    assert {"addin_server.review", "addin_server.errors", "addin_server.request"} <= names


def test_413_and_oversize_paths_leave_no_text(capture_all, capsys):
    app = create_app(Settings(rate_limit="off", max_body_bytes=5_000))
    all_levels_on()
    client = app.test_client()
    paragraphs = canary_contract(40)
    r = client.post("/api/v1/review", data=json.dumps({"paragraphs": paragraphs}), content_type="application/json")
    assert r.status_code == 413
    out = capsys.readouterr()
    assert_no_text(capture_all.rendered, paragraphs, out.out, out.err, r.get_data(as_text=True))
