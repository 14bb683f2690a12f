// Pure pane logic: offsets and anchors, rendering, the API client, options.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { anchorFor, applyEdits, cpToU16, escapeSearch, normaliseReview, occurrence, shiftEdits, splitPastedText, u16ToCp } from "../../taskpane/src/offsets.js";
import { esc, formNote, redlineSegments, renderFindings, renderRedline, renderScore, questionsText } from "../../taskpane/src/render.js";
import { ApiError, createApi, reviewOptions } from "../../taskpane/src/api.js";
import { DEFAULT_OPTIONS, loadOptions, saveOptions, OPTIONS_KEY } from "../../taskpane/src/app.js";
import { TextDocument } from "../../taskpane/src/textdoc.js";

const load = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));

test("code points <-> UTF-16", () => {
  const t = "a\u{1F600}b\u{1F4DD}c";
  assert.equal(cpToU16(t, 2), 3);
  assert.equal(cpToU16(t, 4), 6);
  assert.equal(u16ToCp(t, 6), 4);
  assert.equal(cpToU16("plain", 3), 3);
});

test("the pane's anchors agree with the server's for every fixture edit", () => {
  for (const name of ["edge-cases.json", "review-contract.json"]) {
    const fx = load(name);
    const review = normaliseReview(structuredClone(fx.response), fx.request.paragraphs);
    for (const f of review.findings) {
      const s = f.suggestion;
      if (s?.type !== "edit") continue;
      assert.equal(applyEdits(s.original, s.edits), s.revised, f.id);
      for (const e of s.edits) {
        const mine = anchorFor(s.original, e.start, e.end);
        assert.equal(mine.mode, e.anchor.mode, `${f.id} mode`);
        if (e.anchor.target) {
          assert.equal(mine.target.search, e.anchor.target.search, `${f.id} search`);
          assert.equal(mine.target.occurrence, e.anchor.target.occurrence, `${f.id} occurrence`);
        } else if (e.anchor.head) {
          for (const part of ["head", "tail"]) assert.ok(mine[part].search.length <= 255);
        }
      }
    }
  }
});

test("escape, occurrence, shift", () => {
  assert.equal(escapeSearch("a^b\tc\u000bd"), "a^^b^tc^ld");
  assert.equal(occurrence("x ab ab ab", "ab", 5), 1);
  assert.throws(() => occurrence("abab", "ab", 1));
  const applied = [{ start: 0, end: 3, text: "ABCDE" }];
  assert.deepEqual(shiftEdits([{ start: 5, end: 6, text: "" }], applied), [{ start: 7, end: 8, text: "" }]);
  // a long span with carets is split into a head and a tail that each fit
  const long = "x ".repeat(50) + "^".repeat(200) + " y".repeat(50);
  const a = anchorFor(long, 0, long.length);
  assert.ok(a.head && a.tail && a.head.search.length <= 255 && a.tail.search.length <= 255);
  assert.equal(anchorFor("", 0, 0).target, null);
});

test("every span and insertion point can be found, even next to a token longer than the search limit", () => {
  // What Word's search returns: non-overlapping matches, left to right.
  const search = (text, lit) => {
    const out = [];
    for (let i = text.indexOf(lit); i !== -1; i = text.indexOf(lit, i + lit.length)) out.push(i);
    return out;
  };
  const located = (text, start, end, a) => {
    if (a.mode === "replace") {
      const parts = a.target ? [a.target] : [a.head, a.tail];
      for (const p of parts) assert.ok(p.search.length <= 255);
      assert.equal(search(text, parts[0].text)[parts[0].occurrence], start);
      const last = parts[parts.length - 1];
      assert.equal(search(text, last.text)[last.occurrence] + last.text.length, end);
    } else if (a.mode === "after") {
      assert.ok(a.target.search.length <= 255);
      assert.equal(search(text, a.target.text)[a.target.occurrence] + a.target.text.length, start);
    } else {
      assert.equal(start, 0);
    }
  };
  const clause = "3.2 The Designer grants a perpetual licence for any purpose.";
  const texts = [clause + " " + "x".repeat(257), clause + "x".repeat(257), clause + " " + "_".repeat(600),
    "x --- y", "aaa aa aaaa", "^".repeat(300), "a\u{1F600}\u{1F600}\u{1F600}b"];
  for (const text of texts) {
    const points = new Set([0, text.length, clause.length, clause.length + 1, 3, 4, 5]);
    for (let i = 0; i < text.length; i += 37) points.add(i);
    const sorted = [...points].filter((p) => p <= text.length && !/[\uDC00-\uDFFF]/.test(text[p] || "")).sort((a, b) => a - b);
    for (const s of sorted) for (const e of sorted) if (e >= s) located(text, s, e, anchorFor(text, s, e));
  }
});

test("pasted text splits on blank lines (joining hard wraps), else on lines", () => {
  assert.deepEqual(splitPastedText("A one\ncontinued\n\n\nB two\r\n\r\nC"), ["A one continued", "B two", "C"]);
  assert.deepEqual(splitPastedText("A\nB\n  \n"), ["A", "B"]);
  assert.deepEqual(splitPastedText("A\nB\nC"), ["A", "B", "C"]);
  assert.deepEqual(splitPastedText(""), []);
});

test("redline preview: struck and inserted words, escaped, long context elided", () => {
  const original = "The <Designer> grants a perpetual licence " + "and so on ".repeat(20) + "forever.";
  const edits = [{ start: 24, end: 34, text: "" }, { start: original.length - 8, end: original.length - 1, text: "for the Project" }];
  assert.deepEqual(redlineSegments("ab cd", [{ start: 3, end: 5, text: "xy" }]).map((s) => s.type), ["eq", "del", "ins"]);
  const html = renderRedline(original, edits);
  assert.match(html, /<del>perpetual <\/del>/);
  assert.match(html, /<ins>for the Project<\/ins>/);
  assert.match(html, /&lt;Designer&gt;/);
  assert.match(html, /…/);
  assert.equal(esc(`<a href="x">'&`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;");
});

test("findings render grouped by severity with actions; dismissed last; no inline styles", () => {
  const { response, request } = load("review-contract.json");
  const review = normaliseReview(structuredClone(response), request.paragraphs);
  const states = new Map([[review.findings[0].id, { dismissed: true }], [review.findings[1].id, { status: "stale" }]]);
  const html = renderFindings(review.findings, states, { paragraphsById: new Map(request.paragraphs.map((p) => [p.id, p])) });
  const order = [...html.matchAll(/id="g-(\w+)"/g)].map((m) => m[1]);
  assert.deepEqual(order, [...new Set(order)].sort((a, b) => ["high", "medium", "low"].indexOf(a) - ["high", "medium", "low"].indexOf(b)));
  assert.match(html, /Dismissed <span class="count">1<\/span>/);
  assert.match(html, /data-action="restore"/);
  assert.match(html, /changed since the review[\s\S]*data-action="review"/);
  assert.equal((html.match(/data-action="apply"/g) || []).length, review.findings.length - 1);
  assert.doesNotMatch(html, /style=/);
  const score = renderScore(review, { previous: 2 });
  assert.match(score, /since last review/);
  assert.doesNotMatch(score, /style=/);
  assert.equal(questionsText(["A?", "B?"]), "1. A?\n2. B?");
  assert.match(renderFindings([], new Map()), /No findings/);
});

test("API client: request shape, error envelope, network failure, 404 for later endpoints", async () => {
  const calls = [];
  const ok = createApi({ fetchImpl: async (url, init) => { calls.push([url, init]); return new Response(JSON.stringify({ score: { value: 1 } }), { status: 200 }); } });
  await ok.review([{ id: "p-0", text: "x", style: "Normal", list_label: "" }], { agency_risk: "low", project_name: " ", audience: "internal", party: "provider" });
  const body = JSON.parse(calls[0][1].body);
  assert.equal(calls[0][0], "/api/v1/review");
  assert.deepEqual(body, { paragraphs: [{ id: "p-0", text: "x", style: "Normal" }], options: { agency_risk: "low", party: "provider" } });
  assert.deepEqual(reviewOptions({ audience: "internal", project_name: "P" }), { project_name: "P" });

  const env = { error: { status: 422, code: "validation_error", message: "Request body is not valid.", details: { json: { paragraphs: { 3: { id: ["Duplicate paragraph id 'p-3'."] } } } } } };
  const bad = createApi({ fetchImpl: async () => new Response(JSON.stringify(env), { status: 422 }) });
  await assert.rejects(bad.review([], {}), (e) => e instanceof ApiError && e.code === "validation_error" && /Duplicate paragraph id/.test(e.message) && !e.retryable);

  const down = createApi({ fetchImpl: async () => { throw new TypeError("Failed to fetch"); } });
  await assert.rejects(down.review([], {}), (e) => e.code === "network" && e.retryable && /Nothing was lost/.test(e.message));

  const missing = createApi({ fetchImpl: async () => new Response(JSON.stringify({ error: { code: "not_found", message: "x" } }), { status: 404 }) });
  const file = new Blob(["PK"], { type: "application/octet-stream" });
  await assert.rejects(missing.reviewDocx(file, {}), (e) => e.code === "not_available");
  await assert.rejects(missing.redline(file, {}), (e) => e.code === "not_available");

  const oops = createApi({ fetchImpl: async () => new Response("<html>", { status: 502 }) });
  await assert.rejects(oops.review([], {}), (e) => e.retryable && e.status === 502);
});

test("options are remembered, and bad stored values fall back to defaults", () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  assert.deepEqual(loadOptions(storage), DEFAULT_OPTIONS);
  saveOptions(storage, { ...DEFAULT_OPTIONS, agency_risk: "low", project_name: "Spring" });
  assert.equal(loadOptions(storage).agency_risk, "low");
  store.set(OPTIONS_KEY, JSON.stringify({ agency_risk: "extreme", audience: "everyone" }));
  assert.equal(loadOptions(storage).agency_risk, "high");
  assert.equal(loadOptions(storage).audience, "counterparty");
  store.set(OPTIONS_KEY, "{not json");
  assert.deepEqual(loadOptions(storage), DEFAULT_OPTIONS);
});

test("standalone text document: apply all gives the revised text, once", async () => {
  const { response, request } = load("review-contract.json");
  const doc = new TextDocument(request.paragraphs.map((p) => p.text).join("\n\n"));
  const paras = await doc.readParagraphs();
  assert.deepEqual(paras.map((p) => p.id), request.paragraphs.map((p) => p.id));
  const review = normaliseReview(structuredClone(response), request.paragraphs);
  const items = review.findings.map((f) => ({ finding: f, suggestion: f.suggestion }));
  const r = await doc.apply(items);
  assert.ok([...r.values()].every((x) => x.status === "applied"));
  const once = doc.text();
  await doc.apply(items);
  assert.equal(doc.text(), once);
});

test("standard terms are named as such, with the gaps left without a clause counted", () => {
  assert.equal(formNote({ form: { standard_terms: false, paragraph_id: null, not_asked: [] } }), "");
  assert.equal(formNote({}), "");
  const note = formNote({ form: { standard_terms: true, paragraph_id: "p1", not_asked: ["remedies.audit-missing", "remedies.liquidated-damages-missing"] } });
  assert.match(note, /standard terms/);
  assert.match(note, /2 missing protections are reported and scored without a clause/);
  assert.match(formNote({ form: { standard_terms: true, not_asked: ["remedies.audit-missing"] } }), /1 missing protection is reported/);
});
