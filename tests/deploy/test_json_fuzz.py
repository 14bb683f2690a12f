"""Mutation fuzzing of POST /api/v1/review: real request bodies, mutated the ways that broke it.

Seeds are whole review requests: the bundled sample agreement, synthetic contracts (bench/contracts.py)
and real published clauses from ../shared/corpus/real-world (read at test time). Each case applies a
few mutations: JSON nested a thousand deep, integers of thousands of digits, lone surrogates in keys
and values, tokens longer than Word's 255-character search limit, signature blanks, paragraphs at
the 50,000-character limit, wrong types, unknown fields, duplicates, control characters, truncation
and byte flips. Every response must be below 500, an error must be the JSON envelope, a 200 must be
a review whose edits turn each paragraph into its revision, and no request may take 5 s.

``TERMSCORE_JSON_FUZZ_CASES`` sets the count (10,000 by default, in ``make test`` and ``make fuzz``).
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

from addin_server import create_app
from addin_server.config import Settings
from addin_server.redline.diff import apply_edits
from bench.contracts import contract
from tests.helpers import SAMPLE, SHARED, real_clauses
from tests.timing import within

CASES = int(os.environ.get("TERMSCORE_JSON_FUZZ_CASES", "10000"))
SLOWEST_ALLOWED = 5.0

RISKY = ("3.2 The Designer grants to the Agency a perpetual, irrevocable, worldwide license to use the Work "
         "Product in all media now known or hereafter devised for any purpose.")


def _seeds() -> list[list[str]]:
    sample = [line for line in SAMPLE.read_text(encoding="utf-8").split("\n") if line.strip()]
    seeds = [sample, sample[:3], [RISKY]]
    seeds += [[p["text"] for p in contract(n, seed=n)] for n in (5, 40, 120)]
    clauses = [c.text for c in real_clauses()]
    seeds += [clauses[i:i + 6] for i in range(0, len(clauses), 6)]
    for path in sorted((SHARED / "corpus" / "real-world" / "contracts").glob("*.txt"))[:3]:
        seeds.append([line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()][:60])
    return seeds


def _deep(rng: random.Random) -> "_Raw":
    depth = rng.choice([900, 1000, 1200, 5000])
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    return _Raw(opener * depth + ("1" if opener != "[" else "") + closer * depth)


class _Raw:
    """A piece of JSON text spliced into the body as it is (it could not be built as a Python value)."""

    def __init__(self, text: str):
        self.text = text


def _huge_int(rng: random.Random) -> _Raw:
    return _Raw(("-" if rng.random() < 0.3 else "") + "9" * rng.choice([4301, 5000, 20000]))


def _surrogate(rng: random.Random) -> _Raw:
    return _Raw('"' + rng.choice(["\\ud800", "\\udfff", "x\\udbffy", "\\ud83d"]) + '"')


def _text_mutation(rng: random.Random, text: str) -> str:
    kind = rng.randrange(12)
    if kind == 0:
        return text + " " + "x" * rng.choice([255, 256, 257, 600])  # a token longer than Word's search
    if kind == 1:
        return text + rng.choice([" ", "", "\t"]) + "_" * rng.choice([300, 600, 2000])  # a signature blank
    if kind == 2:
        return "x" * rng.choice([256, 1000]) + text
    if kind == 3:
        return (RISKY + " ") * rng.randint(2, 12)
    if kind == 4:
        return text.replace(" ", rng.choice(["\u00a0", "\t", "\u000b", "  ", "\u200b"]))
    if kind == 5:
        return text + "".join(chr(rng.randrange(0x20)) for _ in range(5))
    if kind == 6:
        return text[: rng.randrange(len(text) + 1)]
    if kind == 7:
        return "^" * rng.randint(1, 300) + text
    if kind == 8:
        return text + " " + rng.choice(["\U0001F600" * 100, "עברית " * 30, "e\u0301" * 200, "\ufeff"])
    if kind == 9:
        return ""
    if kind == 10:
        return text * rng.randint(2, 4)
    return "".join(rng.choice([c, c.upper(), c + c]) for c in text[:2000])


def _mutate(rng: random.Random, body: dict) -> dict:
    paragraphs = body.get("paragraphs")
    kind = rng.randrange(16)
    if not isinstance(paragraphs, list) or not paragraphs or not all(isinstance(x, dict) for x in paragraphs):
        return body  # an earlier mutation already replaced the list
    p = rng.choice(paragraphs)
    if kind <= 4 and isinstance(p.get("text"), str):
        p["text"] = _text_mutation(rng, p["text"])
    elif kind == 5:
        p[rng.choice(["text", "id", "style", "list_label", "extra"])] = rng.choice(
            [_deep(rng), _huge_int(rng), _surrogate(rng), None, 1.5, True, [], {}, "", "x" * 300])
    elif kind == 6:
        body[rng.choice(["options", "paragraphs", "x", "\ud800"])] = rng.choice(
            [_deep(rng), _huge_int(rng), _surrogate(rng), None, "high", {"agency_risk": "low"}])
    elif kind == 7:
        if not isinstance(body.get("options"), dict):
            body["options"] = {}
        body["options"][rng.choice(["agency_risk", "party", "project_name", "liquidated_damages",
                                                   "x", "\udc00"])] = rng.choice(
            ["high", "medium", "low", "client", "provider", "", None, 7, _huge_int(rng), _surrogate(rng),
             _deep(rng), "Project " + "y" * 250])
    elif kind == 8:
        p["id"] = rng.choice(paragraphs).get("id", "p-0")  # duplicates
    elif kind == 9:
        del paragraphs[rng.randrange(len(paragraphs))]
    elif kind == 10:
        paragraphs.extend({"id": f"dup-{i}", "text": p.get("text", "")} for i in range(rng.randint(1, 50)))
    elif kind == 11 and rng.random() < 0.2:  # costly (up to the CPU budget): one case in 80
        p["text"] = (RISKY + " ") * (50_000 // (len(RISKY) + 1))  # at the paragraph limit, every sentence risky
    elif kind == 12:
        p["text"] = "a" * rng.choice([50_000, 50_001])
    elif kind == 13:
        p.pop(rng.choice(["id", "text"]), None)
    elif kind == 14:
        body["options"] = {"agency_risk": rng.choice(["high", "medium", "low"]),
                           "party": rng.choice(["provider", "client"])}
    else:
        p[rng.choice(["\ud800", "k" * 5000, "", "text "])] = 1
    return body


def _dump(value) -> str:
    """JSON text of ``value``, splicing raw pieces in place and lone surrogates as escapes."""
    if isinstance(value, _Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(_dump(str(k)) + ":" + _dump(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_dump(v) for v in value) + "]"
    return json.dumps(value)  # ensure_ascii: a lone surrogate becomes its \\uXXXX escape


def _bytes_mutation(rng: random.Random, raw: bytes) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:
        return raw[: rng.randrange(len(raw) + 1)]
    if kind == 1:
        data = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == 2:
        return raw.replace(b":", b"::", 1)
    return b"\xef\xbb\xbf" + raw  # a byte-order mark


def _check_review(raw: bytes, result: dict) -> None:
    body = json.loads(raw.decode("utf-8-sig"))
    texts = {p["id"]: p["text"] for p in body["paragraphs"]}
    for f in result["findings"]:
        s = f.get("suggestion")
        if s and s["type"] == "edit":
            assert s["original"] == texts[s["paragraph_id"]], "an edit must be offsets into the text sent"
            assert apply_edits(s["original"], s["edits"]) == s["revised"]


def test_json_mutation_fuzz_has_no_5xx_and_no_slow_request():
    app = create_app(Settings(rate_limit="off"))
    client = app.test_client()
    rng = random.Random(20261201)
    seeds = _seeds()
    statuses: dict[int, int] = {}
    slowest = 0.0
    for case in range(CASES):
        texts = rng.choice(seeds)
        body = {"paragraphs": [{"id": f"p-{i}", "text": t} for i, t in enumerate(texts)]}
        if rng.random() < 0.5:
            body["options"] = {"agency_risk": rng.choice(["high", "medium", "low"]), "party": rng.choice(["provider", "client"])}
        for _ in range(rng.randint(1, 3)):
            body = _mutate(rng, body)
        raw = _dump(body).encode("utf-8")
        if rng.random() < 0.1:
            raw = _bytes_mutation(rng, raw)
        started = time.perf_counter()
        with within(2 * SLOWEST_ALLOWED, f"case {case}"):  # a hang fails here, it never stalls the run
            r = client.post("/api/v1/review", data=raw, content_type="application/json")
        took = time.perf_counter() - started
        slowest = max(slowest, took)
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        assert r.status_code < 500, (case, r.status_code, r.get_data(as_text=True)[:300])
        assert took < SLOWEST_ALLOWED, (case, f"{took:.1f} s")
        reply = r.get_json()
        if r.status_code >= 400:
            assert reply["error"]["status"] == r.status_code and reply["error"]["code"] and reply["error"]["message"]
        else:
            _check_review(raw, reply)
    print(f"json fuzz: {CASES} requests, statuses {dict(sorted(statuses.items()))}, slowest {slowest:.2f} s")
    assert statuses.get(200, 0) > CASES // 10, "most mutants must still be reviewable"
    assert sum(n for s, n in statuses.items() if 400 <= s < 500) > CASES // 10, "and many must be refused"
