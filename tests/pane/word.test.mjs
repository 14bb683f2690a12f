// The Word adapter against the fake Word object model: tracked changes, staleness, anchors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { placeRevision, WordDocument } from "../../taskpane/src/word.js";
import { applyEdits, normaliseReview } from "../../taskpane/src/offsets.js";
import { expectedAfterAll } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const FakeWord = require("./fake-word.cjs");

const load = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));

function setup(name, { version = "1.4" } = {}) {
  const fx = load(name);
  const fake = FakeWord.create(fx.request.paragraphs.map((p) => ({ text: p.text, style: p.style || "Normal" })), { version });
  const wd = new WordDocument({ Word: fake.Word, Office: fake.Office });
  return { fx, fake, wd, review: normaliseReview(fx.response, fx.request.paragraphs) };
}

/** Edit the fake document as a user with Track Changes on: `edit(ctx, paragraphs)`. */
async function tracked(fake, edit) {
  await fake.Word.run(async (ctx) => {
    ctx.document.changeTrackingMode = "TrackAll";
    const ps = ctx.document.body.paragraphs;
    ps.load("items");
    await ctx.sync();
    await edit(ctx, ps.items);
  });
}

const preferred = (findings) => findings.map((finding) => ({ finding, suggestion: finding.suggestion }));

test("reading paragraphs on WordApi 1.4: index ids, reviewed text without tracked deletions", async () => {
  const fake = FakeWord.create([{ text: "Heading", style: "Heading 1" }, { text: "Body\tone", listString: "1.1" }]);
  const wd = new WordDocument(fake);
  assert.deepEqual(wd.features, { ids: false, getText: false, reviewedText: true, comments: true });
  const paras = await wd.readParagraphs();
  assert.deepEqual(paras, [
    { id: "p-0", text: "Heading", style: "Heading 1" },
    { id: "p-1", text: "Body\tone", style: "Normal", list_label: "1.1" },
  ]);
  // a tracked deletion made earlier is not part of the text we send
  await tracked(fake, async (ctx, ps) => {
    const r = ps[1].search("one", { matchCase: true });
    r.load("items");
    await ctx.sync();
    r.items[0].delete();
  });
  assert.equal(fake.doc.paras[1].raw(), "Body\tone");
  assert.equal((await wd.readParagraphs())[1].text, "Body\t");
});

test("WordApi 1.6/1.7: paragraph ids are uniqueLocalId, text comes from getText", async () => {
  const fake = FakeWord.create(["One", "Two"], { version: "1.7" });
  const wd = new WordDocument(fake);
  assert.deepEqual(wd.features, { ids: true, getText: true, reviewedText: true, comments: true });
  const paras = await wd.readParagraphs();
  assert.deepEqual(paras.map((p) => p.id), fake.doc.paras.map((p) => p.uid));
});

test("Apply all on a real review: the document reads as the server's revised text, all tracked", async () => {
  const { fx, fake, wd, review } = setup("review-contract.json");
  const sent = await wd.readParagraphs();
  assert.deepEqual(sent.map((p) => [p.id, p.text]), fx.request.paragraphs.map((p) => [p.id, p.text]));
  assert.ok(review.findings.length >= 5, "the fixture has findings");
  const results = await wd.apply(preferred(review.findings));
  for (const f of review.findings) assert.equal(results.get(f.id)?.status, "applied", `${f.id}: ${JSON.stringify(results.get(f.id))}`);

  assert.deepEqual(fake.doc.acceptedTexts(), expectedAfterAll(fx.request.paragraphs, review.findings));
  // every change is tracked: rejecting all gives back the original, nothing was written untracked
  assert.deepEqual(fake.doc.rejectedTexts(), fx.request.paragraphs.map((p) => p.text));
  assert.deepEqual(fake.doc.log.untracked, []);
  assert.ok(fake.doc.log.insertions.length + fake.doc.log.deletions.length > 0);
  // each single-paragraph finding's own revised text is consistent with its edits
  for (const f of review.findings.filter((x) => x.suggestion?.type === "edit")) {
    assert.equal(applyEdits(f.suggestion.original, f.suggestion.edits), f.suggestion.revised, f.id);
  }
  // one comment per change written (merged findings share their owner's), for the counterparty by
  // default, and every finding's explanation is in one of them
  const owners = review.findings.filter((f) => !f.covered_by);
  assert.equal(fake.doc.log.comments.length, owners.length);
  for (const f of review.findings) {
    assert.ok(fake.doc.log.comments.some((c) => c.text.includes(f.comment.counterparty)), `${f.id}: comment missing`);
  }
  for (const c of fake.doc.log.comments) assert.ok(c.rangeText.length > 0 || c.text, "comment anchored to a range");
  // no search ever exceeded Word's limit
  for (const s of fake.doc.log.searches) assert.ok(s.length <= 255, s);
});

test("Apply all twice, or again from a reloaded pane, never duplicates anything", async () => {
  const { fake, wd, review } = setup("review-contract.json");
  await wd.readParagraphs();
  await wd.apply(preferred(review.findings));
  const after = fake.doc.rawTexts();
  const counts = { ...Object.fromEntries(Object.entries(fake.doc.log).map(([k, v]) => [k, v.length])) };
  const again = await wd.apply(preferred(review.findings));
  for (const f of review.findings) assert.equal(again.get(f.id).status, "already");
  assert.deepEqual(fake.doc.rawTexts(), after);

  // a fresh pane (state lost) re-reads, then the user clicks Apply all on the old results
  const wd2 = new WordDocument({ Word: fake.Word, Office: fake.Office });
  await wd2.readParagraphs();
  // paragraph ids by index have moved (insertions); re-applying must still not duplicate insertions
  const third = await wd2.apply(preferred(review.findings.filter((f) => f.suggestion.type === "insert")));
  for (const [, r] of third) assert.equal(r.status, "already");
  assert.deepEqual(fake.doc.rawTexts(), after);
  assert.equal(fake.doc.log.paragraphs.length, counts.paragraphs);
  assert.equal(fake.doc.log.comments.length, counts.comments);
});

test("Applying findings one at a time ends where Apply all does", async () => {
  const { fx, fake, wd, review } = setup("review-contract.json");
  await wd.readParagraphs();
  for (const f of review.findings) {
    const r = await wd.apply([{ finding: f, suggestion: f.suggestion }]);
    // a finding merged into one applied before it was written with that one
    const want = f.covered_by ? "already" : "applied";
    assert.equal(r.get(f.id).status, want, `${f.id}: ${r.get(f.id).message}`);
  }
  assert.deepEqual(fake.doc.acceptedTexts(), expectedAfterAll(fx.request.paragraphs, review.findings));
  assert.deepEqual(fake.doc.rejectedTexts(), fx.request.paragraphs.map((p) => p.text));
  // clicking Apply on each again changes nothing
  const before = fake.doc.rawTexts();
  for (const f of review.findings) assert.equal((await wd.apply([{ finding: f, suggestion: f.suggestion }])).get(f.id).status, "already");
  assert.deepEqual(fake.doc.rawTexts(), before);
});

test("A paragraph edited since the review is stale and left alone; the rest is applied", async () => {
  const { fx, fake, wd, review } = setup("review-contract.json");
  await wd.readParagraphs();
  // an edited paragraph that no new clause is inserted after (the next test: an anchor that changed)
  const anchors = new Set(review.findings.filter((f) => f.suggestion?.type === "insert").map((f) => f.suggestion.insert_after));
  const target = review.findings.find((f) => f.suggestion?.type === "edit" && !anchors.has(f.suggestion.paragraph_id));
  const pid = target.suggestion.paragraph_id;
  const index = fx.request.paragraphs.findIndex((p) => p.id === pid);
  // the user types in that paragraph (untracked), after the review
  const para = fake.doc.paras[index];
  para.chars.push(...Array.from(" (amended)", (c) => ({ c, ins: false, del: false })));
  const edited = para.raw();

  const results = await wd.apply(preferred(review.findings));
  const onPara = review.findings.filter((f) => f.suggestion?.paragraph_id === pid);
  for (const f of onPara) {
    assert.equal(results.get(f.id).status, "stale");
    assert.match(results.get(f.id).message, /changed since the review/);
  }
  assert.equal(fake.doc.paras[fake.doc.paras.indexOf(para)].raw(), edited, "stale paragraph untouched");
  const others = review.findings.filter((f) => !onPara.includes(f));
  for (const f of others) assert.equal(results.get(f.id).status, "applied", f.id);
});

test("A new clause whose anchor paragraph changed since the review is stale, and nothing is inserted", async () => {
  const { fx, fake, wd, review } = setup("review-contract.json");
  await wd.readParagraphs();
  const insert = review.findings.find((f) => f.suggestion?.type === "insert");
  const pid = insert.suggestion.insert_after;
  const para = fake.doc.paras[fx.request.paragraphs.findIndex((p) => p.id === pid)];
  para.chars.push(...Array.from(" (amended)", (c) => ({ c, ins: false, del: false })));
  const count = fake.doc.paras.length;
  const results = await wd.apply(preferred([insert]));
  assert.equal(results.get(insert.id).status, "stale");
  assert.equal(fake.doc.paras.length, count, "no paragraph inserted");
});

test("Edge cases: >255-char spans, carets, tabs, soft breaks, repeated phrases, astral characters", async () => {
  const { fx, fake, wd, review } = setup("edge-cases.json");
  await wd.readParagraphs();
  const results = await wd.apply(preferred(review.findings), { audience: "internal" });
  for (const f of review.findings) assert.equal(results.get(f.id).status, "applied", `${f.id}: ${results.get(f.id).message}`);
  assert.deepEqual(fake.doc.acceptedTexts(), fx.response.findings.map((f) => f.suggestion.revised));
  assert.deepEqual(fake.doc.rejectedTexts(), fx.request.paragraphs.map((p) => p.text));
  for (const s of fake.doc.log.searches) assert.ok(s.length <= 255, `search of ${s.length} chars`);
  assert.ok(fake.doc.log.searches.some((s) => s.includes("^^")), "carets escaped");
  assert.ok(fake.doc.log.searches.some((s) => s.includes("^t")), "tabs escaped");
  assert.ok(fake.doc.log.searches.some((s) => s.includes("^l")), "soft breaks escaped");
  // the internal note was used as the comment
  assert.ok(fake.doc.log.comments.every((c) => c.text.startsWith("Internal note")));
  // the long deletion is one tracked deletion of the whole span, found through head + tail
  const long = fx.response.findings.find((f) => f.id === "f-long-deletion").suggestion;
  assert.ok(long.edits[0].anchor.head, "fixture uses head/tail");
  assert.ok(fake.doc.log.deletions.some((d) => d.text === long.original.slice(long.edits[0].start, long.edits[0].end)));
});

test("Repeated phrase: the edit lands on the occurrence the server named, not the first", async () => {
  const { fake, wd, review } = setup("edge-cases.json");
  await wd.readParagraphs();
  const f = review.findings.find((x) => x.id === "f-repeated-phrase");
  assert.ok(f.suggestion.edits.some((e) => e.anchor.target.occurrence > 0), "fixture exercises occurrence > 0");
  await wd.apply([{ finding: f, suggestion: f.suggestion }]);
  const i = Number(f.paragraph_id.slice(2));
  assert.equal(fake.doc.paras[i].accepted(), f.suggestion.revised);
});

test("Paragraphs with tracked changes of their own: ambiguous places are refused, not guessed", async () => {
  const { fake, wd, review } = setup("edge-cases.json");
  await wd.readParagraphs();
  const f = review.findings.find((x) => x.id === "f-repeated-phrase");
  const i = Number(f.paragraph_id.slice(2));
  // an earlier tracked deletion of "and the " that the reviewed text no longer shows
  const p = fake.doc.paras[i];
  const raw = p.raw();
  const textBefore = raw;
  p.chars.splice(0, 0, ...Array.from("and the ", (c) => ({ c, ins: false, del: true })));
  assert.equal(p.accepted(), textBefore);
  const r = await wd.apply([{ finding: f, suggestion: f.suggestion }]);
  assert.equal(r.get(f.id).status, "not-found");
  assert.equal(p.accepted(), textBefore, "nothing written");
});

test("Insertions: in findings order after the anchor, in the given style, list continued", async () => {
  const fake = FakeWord.create([{ text: "1. Licence", style: "List Number", listString: "1." }, { text: "2. Fees" }]);
  const wd = new WordDocument(fake);
  await wd.readParagraphs();
  const mk = (id, text, extra = {}) => ({
    finding: { id, comment: { counterparty: `why ${id}` } },
    suggestion: { type: "insert", insert_after: "p-0", paragraphs: [{ text, style: "List Number", ...extra }] },
  });
  let r = await wd.apply([mk("a", "Prohibition on AI training.", { list_label: "2." }), mk("b", "Injunctive relief.", { list_label: "3." })]);
  assert.equal(r.get("a").status, "applied");
  assert.deepEqual(fake.doc.acceptedTexts(), ["1. Licence", "Prohibition on AI training.", "Injunctive relief.", "2. Fees"]);
  assert.equal(fake.doc.paras[1].listString, "", "continues the list");
  // a later click inserts after the earlier insertions, and never twice
  r = await wd.apply([mk("c", "Right to audit.", { list_label: "4." })]);
  assert.deepEqual(fake.doc.acceptedTexts(), ["1. Licence", "Prohibition on AI training.", "Injunctive relief.", "Right to audit.", "2. Fees"]);
  r = await wd.apply([mk("c", "Right to audit."), mk("a2", "Prohibition on AI training.")]);
  assert.equal(r.get("c").status, "already");
  assert.equal(r.get("a2").status, "already");
  assert.equal(fake.doc.paras.length, 5);
  assert.deepEqual(fake.doc.rejectedTexts(), ["1. Licence", "2. Fees"]);
  assert.deepEqual(fake.doc.log.comments.map((c) => [c.text, c.rangeText]), [
    ["why a", "Prohibition on AI training."], ["why b", "Injunctive relief."], ["why c", "Right to audit."]]);
});

test("Go to selects the finding's words, or the paragraph when it changed", async () => {
  const { fx, fake, wd, review } = setup("edge-cases.json");
  await wd.readParagraphs();
  const f = review.findings.find((x) => x.id === "f-tab");
  assert.equal(await wd.goTo(f), "span");
  const sel = fake.doc.log.selections.at(-1);
  const text = fx.request.paragraphs.find((p) => p.id === f.paragraph_id).text;
  assert.equal(sel.text, text.slice(f.span.start, f.span.end));
  const long = review.findings.find((x) => x.id === "f-long-deletion");
  assert.equal(await wd.goTo(long), "span");
  assert.equal(fake.doc.log.selections.at(-1).text, long.suggestion.original.slice(long.span.start, long.span.end));
  await wd.apply([{ finding: f, suggestion: f.suggestion }]);
  assert.equal(await wd.goTo(f), "paragraph");
});

test("The round log lives in the document as one custom XML part, read back and replaced", async () => {
  const fake = FakeWord.create([{ text: "The Designer grants the Agency a licence." }]);
  const wd = new WordDocument(fake);
  assert.equal(await wd.readRoundLog(), null, "no log before our first round");
  const one = '<rounds xmlns="urn:termscore:round-log:1" version="1"><round n="1" date="2026-12-02" author="TermScore"/></rounds>';
  const two = one.replace("</rounds>", '<round n="2" date="2026-12-09" author="TermScore"/></rounds>');
  assert.equal(await wd.writeRoundLog(one), true);
  assert.equal(await wd.readRoundLog(), one);
  await wd.writeRoundLog(two);
  assert.equal(await wd.readRoundLog(), two);
  assert.equal(fake.doc.customXml.length, 1, "replaced, never two logs");
});

test("A Word without custom XML parts has no rounds, and says so by returning undefined", async () => {
  const fake = FakeWord.create([{ text: "Text." }]);
  const wd = new WordDocument({ Word: fake.Word, Office: { context: { requirements: fake.Office.context.requirements } } });
  assert.equal(await wd.readRoundLog(), undefined);
  assert.equal(await wd.writeRoundLog("<x/>"), false);
});


test("WordApi 1.6: tracked changes are read with their authors, at offsets into the text sent", async () => {
  const fake = FakeWord.create(["The Designer grants the Agency a licence to use the 😀 Work.", "Fees are due."], { version: "1.6" });
  const wd = new WordDocument(fake);
  assert.deepEqual((await wd.readParagraphs()).map((p) => p.revisions), [undefined, undefined]);
  assert.equal(wd.revisionsRead, true, "no tracked changes is an answer too");
  // the agency strikes "the 😀 " and adds words of its own, tracked
  fake.doc.user = "Agency";
  await tracked(fake, async (ctx, ps) => {
    const gone = ps[0].search("the 😀 ", { matchCase: true });
    const at = ps[0].search("licence", { matchCase: true });
    gone.load("items");
    at.load("items");
    await ctx.sync();
    gone.items[0].delete();
    at.items[0].insertText(" and to train its AI tools", "After");
  });
  const [p] = await wd.readParagraphs();
  assert.equal(p.text, "The Designer grants the Agency a licence and to train its AI tools to use Work.");
  assert.deepEqual(p.revisions.map(({ kind, author, start, end, text }) => ({ kind, author, start, end, text })), [
    { kind: "insertion", author: "Agency", start: 40, end: 66, text: " and to train its AI tools" },
    { kind: "deletion", author: "Agency", start: 74, end: 74, text: "the 😀 " },
  ]);
  assert.equal(p.text.slice(40, 66), p.revisions[0].text);
  assert.equal(p.text.slice(74), "Work.");
  assert.match(p.revisions[0].date, /^2026-12-01T/);
  // code points, as the server counts: the astral character before a change counts once
  const fake2 = FakeWord.create(["😀 Work"], { version: "1.6" });
  fake2.doc.paras[0].chars.push(...Array.from("!", (c) => ({ c, ins: true, del: false, by: "Agency", at: "2026-12-01T10:00:00Z" })));
  const [q] = await new WordDocument(fake2).readParagraphs();
  assert.deepEqual([q.revisions[0].start, q.revisions[0].end], [6, 7]);
});

test("Before WordApi 1.6 the tracked changes are not read, and the pane says so", async () => {
  const fake = FakeWord.create(["One."], { version: "1.4" });
  const wd = new WordDocument(fake);
  await wd.readParagraphs();
  assert.equal(wd.revisionsRead, false);
});

test("A change that cannot be placed in its paragraph makes the whole read unknown, never a guess", () => {
  assert.equal(placeRevision("abc abc", { type: "Added", text: "abc" }, "zzzzzzz-out-of-range"), null);
  assert.deepEqual(placeRevision("x abc", { type: "Added", text: "abc" }, "nope, not a prefix"), { kind: "insertion", author: null, date: null, start: 2, end: 5, text: "abc" });
  assert.deepEqual(placeRevision("Whole new clause.", { type: "Added", author: "A", text: "Whole new clause.\rNext" }, ""),
    { kind: "insertion", author: "A", date: null, start: 0, end: 17, text: "Whole new clause." });
  assert.equal(placeRevision("text", { type: "Added", text: "" }, "te"), undefined);
});

test("After Apply the pane knows the name Word wrote our changes under", async () => {
  const { fx, fake, wd } = setup("review-contract.json", { version: "1.6" });
  fake.doc.user = "Jane Doe";
  // on WordApi 1.6 paragraphs are known by Word's own ids: the review names them so
  const uid = new Map(fx.request.paragraphs.map((p, i) => [p.id, fake.doc.paras[i].uid]));
  const renamed = JSON.parse(JSON.stringify(fx.response), (k, v) => (["paragraph_id", "insert_after"].includes(k) && uid.has(v) ? uid.get(v) : v));
  const review = normaliseReview(renamed, fx.request.paragraphs.map((p) => ({ ...p, id: uid.get(p.id) })));
  await wd.readParagraphs();
  assert.equal(wd.author, null);
  await wd.apply(preferred(review.findings));
  assert.equal(wd.author, "Jane Doe");
  // and in the next read our changes are there under that name, at the places we wrote them
  const sent = await wd.readParagraphs();
  const revs = sent.flatMap((p) => (p.revisions || []).map((r) => ({ ...r, para: p.text })));
  assert.ok(revs.length > 0);
  assert.ok(revs.every((r) => r.author === "Jane Doe"));
  for (const r of revs) if (r.kind === "insertion") assert.equal(Array.from(r.para).slice(r.start, r.end).join(""), r.text);
});

test("A risk in the other side's tracked insertion is answered by rejecting that change, with a comment", async () => {
  const base = "The Agency may use the Deliverables for the Project.";
  const fake = FakeWord.create([base], { version: "1.6" });
  const wd = new WordDocument(fake);
  fake.doc.user = "Agency";
  const theirs = " The Agency may also train its AI tools on them.";
  fake.doc.paras[0].chars.push(...Array.from(theirs, (c) => ({ c, ins: true, del: false, by: "Agency", at: "2026-12-01T10:00:00Z" })));
  fake.doc.user = "Jane Doe";
  const [p] = await wd.readParagraphs();
  const start = p.text.indexOf("The Agency may also");
  const finding = { id: "f-1", paragraph_id: p.id, span: { start, end: p.text.length },
    tracked_change: { kind: "insertion", author: "Agency" }, comment: { counterparty: "We cannot accept AI training on the work." } };
  // a different author's change is not theirs to reject
  assert.equal((await wd.rejectTheirs({ ...finding, tracked_change: { kind: "insertion", author: "Someone" } })).status, "not-found");
  const r = await wd.rejectTheirs(finding);
  assert.equal(r.status, "rejected");
  assert.match(r.message, /Rejected Agency's change/);
  assert.deepEqual(fake.doc.acceptedTexts(), [base]);
  assert.deepEqual(fake.doc.log.comments.map((c) => c.text), ["We cannot accept AI training on the work."]);
  // changed since the review: left alone
  const [q] = await wd.readParagraphs();
  fake.doc.paras[0].chars.push(...Array.from(" More.", (c) => ({ c, ins: false, del: false, by: null, at: null })));
  assert.equal((await wd.rejectTheirs({ ...finding, paragraph_id: q.id })).status, "stale");
});

test("The comments and their replies are read with their authors and the paragraphs they cover (WordApi 1.4)", async () => {
  const fake = FakeWord.create(["1. Licence. The Designer grants a licence.", "2. Right to Audit. The Agency shall provide documentation."], { version: "1.6" });
  const wd = new WordDocument(fake);
  fake.doc.user = "Jane Doe";
  const ours = fake.doc.comment("Right to Audit", "This only applies on reasonable suspicion.");
  fake.doc.user = "Agency";
  fake.doc.reply(ours.id, "We need this for our AI tools.");
  const sent = await wd.readParagraphs();
  assert.deepEqual(wd.comments.map(({ id, author, text, parent_id, resolved, paragraph_ids }) => ({ id, author, text, parent_id, resolved, paragraph_ids })), [
    { id: ours.id, author: "Jane Doe", text: "This only applies on reasonable suspicion.", parent_id: null, resolved: false, paragraph_ids: [sent[1].id] },
    { id: ours.replies[0].id, author: "Agency", text: "We need this for our AI tools.", parent_id: ours.id, resolved: false, paragraph_ids: [sent[1].id] },
  ]);
  assert.match(wd.comments[1].date, /^2026-12-01T/);
  // our answer goes into that thread
  fake.doc.user = "Jane Doe";
  const out = await wd.replyInThreads([{ comment_id: ours.id, text: "We would like to keep it." }, { comment_id: "{gone}", text: "x" }]);
  assert.deepEqual(out, { written: 1, missing: 1 });
  assert.deepEqual(ours.replies.map((r) => [r.author, r.text]), [["Agency", "We need this for our AI tools."], ["Jane Doe", "We would like to keep it."]]);
});

test("A document with no comments reads as none, and a Word before 1.4 cannot list them", async () => {
  const fake = FakeWord.create(["One."], { version: "1.6" });
  const wd = new WordDocument(fake);
  await wd.readParagraphs();
  assert.deepEqual(wd.comments, []);
  const old = new WordDocument(FakeWord.create(["One."], { version: "1.3" }));
  await old.readParagraphs();
  assert.equal(old.comments, null);
  assert.equal(old.readsComments, false);
});
