// End to end: Debian's Chromium (playwright-core) against the real Flask server, with the fake Word
// object model injected in place of Office.js. Fails (never skips) when Chromium or the server is
// missing. Screenshots go to artifacts/.
//
//   node --test tests/pane/e2e.test.mjs
//   TERMSCORE_PYTHON (or PYTHON)=/path/to/python  CHROMIUM=/usr/bin/chromium   (optional overrides)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";
import { expectedAfterAll } from "./helpers.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const ARTIFACTS = join(ROOT, "artifacts");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const PYTHON = process.env.TERMSCORE_PYTHON || process.env.PYTHON || join(ROOT, ".venv/bin/python");
const OFFICE_JS = "https://appsforoffice.microsoft.com/**";
const FAKE = readFileSync(join(HERE, "fake-word.cjs"), "utf8");
const CONTRACT = readFileSync(join(HERE, "fixtures/contract.txt"), "utf8");
const CONTRACT_PARAS = CONTRACT.split("\n").filter((l) => l.trim());

let server;
let serverLog = "";
let base;
let context;
let userDataDir;

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function waitForServer(url, ms) {
  const until = Date.now() + ms;
  let last;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${serverLog}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = new Error(`status ${r.status}`);
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer ${url} within ${ms} ms (${last}):\n${serverLog}`);
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y $(cat tests/pane/apt-packages.txt)`);
  assert.ok(existsSync(PYTHON), `Python not found at ${PYTHON}: set up the project's .venv first`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(PYTHON, ["-m", "flask", "--app", "addin_server:create_app", "run", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    env: { ...process.env, PYTHONPATH: ROOT, FLASK_DEBUG: "0", PYTHONUNBUFFERED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => (serverLog += d));
  server.stderr.on("data", (d) => (serverLog += d));
  await waitForServer(`${base}/healthz`, 30000);
  mkdirSync(ARTIFACTS, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), "termscore-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 340, height: 900 },
  });
});

after(async () => {
  await context?.close().catch(() => {});
  if (server && server.exitCode === null) server.kill("SIGTERM");
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** A page whose Office.js request is answered with the fake Word (or refused: standalone). */
async function openPane({ word, version = "1.4" }) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  await page.route(OFFICE_JS, (route) => {
    if (!word) return route.abort("internetdisconnected");
    const paragraphs = JSON.stringify(CONTRACT_PARAS.map((text) => ({ text, style: "Normal" })));
    return route.fulfill({
      contentType: "application/javascript",
      body: `${FAKE}\n;TermScoreFakeWord.install(window, ${paragraphs}, { version: ${JSON.stringify(version)} });`,
    });
  });
  await page.goto(`${base}/taskpane/taskpane.html`);
  await page.waitForFunction(() => document.body.dataset.mode !== "loading", null, { timeout: 15000 });
  return { page, errors };
}

async function reviewAndWait(page, button) {
  const before = await page.evaluate(() => window.termscore?.review ?? null);
  await page.click(button);
  await page.waitForFunction((prev) => window.termscore.review && window.termscore.review !== prev && !window.termscore.busy, before, { timeout: 15000 });
  return page.evaluate(() => ({
    score: Math.round(window.termscore.review.score.value),
    findings: window.termscore.review.findings.length,
    shown: Number(document.querySelector(".score-value .num").textContent),
    cards: document.querySelectorAll("#findings .finding").length,
  }));
}

test("In Word: Review, Apply all, review again: tracked changes, score up, findings down", async () => {
  const { page, errors } = await openPane({ word: true });
  assert.equal(await page.textContent("#mode"), "In Word");
  assert.equal(await page.isVisible("#paste"), false, "no paste box inside Word");

  const first = await reviewAndWait(page, "#review");
  assert.ok(first.findings > 0, "the sample contract has findings");
  assert.equal(first.shown, first.score);
  assert.equal(first.cards, first.findings);
  // findings are grouped by severity, high first; every card has its actions
  const groups = await page.$$eval(".group-title", (els) => els.map((e) => e.textContent.trim().split(" ")[0]));
  assert.equal(groups[0], "High");
  assert.ok(await page.isVisible("#findings .finding .preview del, #findings .finding .preview ins"));
  // what the user sees in the pane (one screen from the score down), and the whole list
  await page.evaluate(() => document.querySelector("#results").scrollIntoView());
  await page.screenshot({ path: join(ARTIFACTS, "pane-findings.png") });
  await page.screenshot({ path: join(ARTIFACTS, "pane-findings-full.png"), fullPage: true });
  await page.evaluate(() => document.querySelector("#findings .finding:has(.preview del)").scrollIntoView());
  await page.screenshot({ path: join(ARTIFACTS, "pane-finding-edit.png") });

  // the shareable report of this review: a PDF to download, Markdown to copy
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-report")]);
  assert.equal(download.suggestedFilename(), "termscore-report.pdf");
  assert.equal(readFileSync(await download.path()).subarray(0, 5).toString(), "%PDF-");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  await page.click("#copy-report");
  await page.waitForFunction(() => !window.termscore.busy && /Report copied/.test(document.querySelector("#status").textContent), null, { timeout: 15000 });
  const md = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(md, new RegExp(`^# Contract review\\n\\nScore: \\*\\*${first.score}/100\\*\\*`));
  assert.ok(md.includes(`## Findings (`), md.slice(0, 300));

  // Go to selects the clause in the (fake) document
  await page.click("#findings .finding:has(.preview del) button[data-action=goto]");
  await page.waitForFunction(() => window.__fakeWord.doc.log.selections.length > 0);

  const review = await page.evaluate(() => window.termscore.review);
  const request = await page.evaluate(() => window.termscore.request);
  await page.click("#apply-all");
  await page.waitForFunction(() => !window.termscore.busy && /applied/.test(document.querySelector("#status").textContent), null, { timeout: 15000 });
  const doc = await page.evaluate(() => ({
    accepted: window.__fakeWord.doc.acceptedTexts(),
    rejected: window.__fakeWord.doc.rejectedTexts(),
    untracked: window.__fakeWord.doc.log.untracked.length,
    comments: window.__fakeWord.doc.log.comments.length,
  }));
  assert.deepEqual(doc.accepted, expectedAfterAll(request.paragraphs, review.findings), "accept-all reads as the server's revised text");
  assert.deepEqual(doc.rejected, CONTRACT_PARAS, "reject-all gives the original back: every change is tracked");
  assert.equal(doc.untracked, 0);
  assert.equal(doc.comments, review.findings.filter((f) => !f.covered_by).length); // merged findings share one
  assert.equal(await page.$$eval("#findings .finding.done", (els) => els.length), review.findings.length);

  // Apply all again writes nothing more
  assert.equal(await page.isDisabled("#apply-all"), true);

  // the round is recorded in the document itself: one custom XML part, round 1
  assert.match(await page.textContent("#status"), /Recorded as round 1 in the document/);
  const parts = await page.evaluate(() => window.__fakeWord.doc.customXml.map((p) => p.namespaceUri));
  assert.deepEqual(parts, ["urn:termscore:round-log:1"]);

  const second = await reviewAndWait(page, "#review-again");
  assert.ok(second.score > first.score, `score rises: ${first.score} -> ${second.score}`);
  assert.ok(second.findings < first.findings, `fewer findings: ${first.findings} -> ${second.findings}`);
  assert.match(await page.textContent(".delta"), /\+\d+ since last review/);
  await page.screenshot({ path: join(ARTIFACTS, "pane-after-apply.png"), fullPage: true });
  console.log(`# in Word: score ${first.score} -> ${second.score}, findings ${first.findings} -> ${second.findings}`);
  // reviewing again in the same session is still round 1: nothing to answer yet
  assert.equal(await page.isVisible("#round-note"), false);
  assert.equal(await page.isVisible("#reply-section"), false);

  // the document opened again later (a new session): round 2, read from the document's log; this
  // pane does not read Word's tracked changes yet, so it does not claim the agency accepted anything
  await page.evaluate(() => { window.termscore.recorded = null; });
  await reviewAndWait(page, "#review-again");
  const note = await page.textContent("#round-note");
  assert.match(note, /^Round 2: /);
  assert.match(note, /does not say which/);
  assert.doesNotMatch(note, /accepted \d+ of your changes/);
  assert.equal(await page.isVisible("#reply-section"), true);
  assert.match(await page.inputValue("#reply"), /Please confirm that you accept our/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("In Word with tracked changes (WordApi 1.6): round one, the agency's round, and round two", async () => {
  const { page, errors } = await openPane({ word: true, version: "1.6" });
  await page.evaluate(() => { window.__fakeWord.doc.user = "Jane Doe"; });
  await reviewAndWait(page, "#review");
  await page.click("#apply-all");
  await page.waitForFunction(() => !window.termscore.busy && /Recorded as round 1/.test(document.querySelector("#status").textContent), null, { timeout: 15000 });
  // the pane saw the name Word wrote our changes under, and remembers it
  assert.equal(await page.inputValue("#author"), "Jane Doe");

  // the agency's round, in its own Word: it strikes our AI clause, accepts our audit clause, leaves
  // the rest marked, and adds a sentence of its own as a tracked change
  await page.evaluate(async () => {
    const { doc, Word } = window.__fakeWord;
    doc.user = "Agency";
    doc.reject({ author: "Jane Doe", contains: "Prohibition on AI Training" });
    doc.accept({ author: "Jane Doe", contains: "Right to Audit" });
    await Word.run(async (ctx) => {
      ctx.document.changeTrackingMode = "TrackAll";
      const ps = ctx.document.body.paragraphs;
      ps.load("items");
      await ctx.sync();
      ps.items[ps.items.length - 1].getRange("End").insertText(" The Agency may also use the Deliverables to train its own AI tools.", "After");
    });
    // and it answers our comment on the injunction clause, in its thread
    const ours = doc.log.comments.find((c) => c.rangeText.includes("Injunctive Relief"));
    doc.reply(ours.id, "We need this for our AI tools.");
    doc.user = "Jane Doe";
    window.termscore.recorded = null; // the freelancer opens the returned document: a new session
  });
  await reviewAndWait(page, "#review-again");
  const note = await page.textContent("#round-note");
  assert.match(note, /^Round 2: the Agency accepted 1 of your changes, struck 1, and added 1 new risk; 8 changes are still pending/);
  assert.doesNotMatch(note, /does not say which/);
  const n = await page.evaluate(() => window.termscore.review.negotiation);
  const ours = Object.fromEntries(n.ours.map((o) => [o.rule_id, o]));
  assert.equal(ours["ai.prohibition-missing"].status, "struck");
  assert.equal(ours["ai.prohibition-missing"].rung, 1, "the next position, never the one they struck");
  assert.equal(ours["remedies.audit-missing"].status, "accepted");
  assert.equal(ours["remedies.injunctive-relief-missing"].status, "pending", "still marked as our change");
  const theirs = await page.evaluate(() => window.termscore.review.findings.filter((f) => f.tracked_change).map((f) => f.tracked_change.author));
  assert.deepEqual(theirs, ["Agency"]);
  assert.match(await page.inputValue("#reply"), /Thank you for accepting our audit clause/);
  // their reply to our comment is the thread our answer goes into
  assert.equal(ours["remedies.injunctive-relief-missing"].thread.text, "We need this for our AI tools.");
  assert.equal(await page.isVisible("#reply-threads"), true);
  assert.match(await page.textContent("#threads-note"), /Agency commented on one of your changes: “We need this for our AI tools.”/);
  await page.screenshot({ path: join(ARTIFACTS, "pane-round-two.png"), fullPage: true });
  await page.click("#reply-threads");
  await page.waitForFunction(() => !window.termscore.busy && /1 reply written/.test(document.querySelector("#status").textContent), null, { timeout: 15000 });
  const thread = await page.evaluate(() => window.__fakeWord.doc.log.comments.find((c) => c.rangeText.includes("Injunctive Relief")).replies
    .map((r) => [r.author, r.text]));
  assert.deepEqual(thread.map(([a]) => a), ["Agency", "Jane Doe"]);
  assert.match(thread[1][1], /keep our injunctive-relief clause as proposed/);
  assert.equal(await page.isVisible("#reply-threads"), false, "answered once");
  // their new sentence is answered by rejecting their tracked change, with our comment saying why
  const comments = await page.evaluate(() => window.__fakeWord.doc.log.comments.length);
  await page.click("#findings .finding:has(.theirs) button[data-action=reject-theirs]");
  await page.waitForFunction(() => !window.termscore.busy && /Rejected Agency/.test(document.querySelector("#status").textContent), null, { timeout: 15000 });
  const after = await page.evaluate(() => ({ text: window.__fakeWord.doc.acceptedTexts().join("\n"), comments: window.__fakeWord.doc.log.comments.length }));
  assert.doesNotMatch(after.text, /train its own AI tools/);
  assert.equal(after.comments, comments + 1);
  assert.deepEqual(errors, []);
  await page.click(".options-panel summary");
  await page.fill("#author", ""); // reset for the other tests
  await page.close();
});

test("In Word: server unreachable shows a banner; Retry works once it is back; nothing lost", async () => {
  const { page, errors } = await openPane({ word: true });
  await page.route("**/api/v1/review", (route) => route.abort("connectionrefused"));
  await page.click("#review");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await page.textContent("#error-text"), /Can't reach the TermScore server/);
  assert.equal(await page.isVisible("#retry"), true);
  await page.unroute("**/api/v1/review");
  await page.click("#retry");
  await page.waitForFunction(() => window.termscore.review && !window.termscore.busy);
  assert.equal(await page.isHidden("#error"), true);
  assert.ok(await page.$$eval("#findings .finding", (els) => els.length) > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("Options are remembered between sessions; comment audience changes the comments written", async () => {
  const { page } = await openPane({ word: true });
  await page.click(".options-panel summary");
  await page.check("input[name=agency_risk][value=medium]");
  await page.fill("#project-name", "Spring Campaign");
  await page.check("input[name=audience][value=internal]");
  const { page: page2 } = await openPane({ word: true });
  assert.equal(await page2.isChecked("input[name=agency_risk][value=medium]"), true);
  assert.equal(await page2.inputValue("#project-name"), "Spring Campaign");
  assert.equal(await page2.isChecked("input[name=audience][value=internal]"), true);
  await reviewAndWait(page2, "#review");
  const profile = await page2.evaluate(() => window.termscore.review.score.profile || window.termscore.review.profile?.id);
  assert.equal(profile, "medium");
  await page2.click("#findings .finding button[data-action=apply]");
  await page2.waitForFunction(() => window.__fakeWord.doc.log.comments.length === 1 && !window.termscore.busy);
  const [comment, internal] = await page2.evaluate(() => [window.__fakeWord.doc.log.comments[0].text, window.termscore.review.findings.map((f) => f.comment.internal)]);
  assert.ok(internal.includes(comment), "the internal note was written as the comment");
  // reset for the other tests
  await page2.click(".options-panel summary");
  await page2.check("input[name=agency_risk][value=high]");
  await page2.fill("#project-name", "");
  await page2.check("input[name=audience][value=counterparty]");
  await page.close();
  await page2.close();
});

test("Standalone (no Office.js): paste, review, apply, review again; .docx handled", async () => {
  const { page, errors } = await openPane({ word: false });
  assert.equal(await page.textContent("#mode"), "Standalone");
  assert.equal(await page.isVisible("#review"), false, "the Word-only Review button is hidden");
  await page.fill("#paste", CONTRACT);
  const first = await reviewAndWait(page, "#review-text");
  assert.ok(first.findings > 0);
  assert.equal(first.cards, first.findings);
  const request = await page.evaluate(() => window.termscore.request);
  assert.deepEqual(request.paragraphs.map((p) => p.text), CONTRACT_PARAS, "pasted text split into paragraphs on blank lines");
  await page.screenshot({ path: join(ARTIFACTS, "pane-standalone.png"), fullPage: true });

  // Dismiss one, keyboard: arrow keys move between findings
  await page.focus("#findings .finding");
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement.classList.contains("finding") && document.activeElement === document.querySelectorAll("#findings .finding")[1]);
  assert.equal(focused, true, "ArrowDown moves to the next finding");

  await page.click("#apply-all");
  await page.waitForFunction(() => !window.termscore.busy && /applied/.test(document.querySelector("#status").textContent));
  const review = await page.evaluate(() => window.termscore.review);
  const revised = await page.inputValue("#paste");
  assert.deepEqual(revised.split("\n\n"), expectedAfterAll(request.paragraphs, review.findings));
  const second = await reviewAndWait(page, "#review-again");
  assert.ok(second.score > first.score, `score rises: ${first.score} -> ${second.score}`);
  assert.ok(second.findings < first.findings);

  // .docx: the endpoint may not exist yet; either a review or a clear message, never a crash
  const docx = "/work/shared/corpus/contracts/commonpaper-independent-contractor-agreement.docx";
  const file = existsSync(docx) ? docx : null;
  if (file) {
    await page.setInputFiles("#docx-file", file);
    assert.equal(await page.isEnabled("#review-docx"), true);
    await page.click("#review-docx");
    await page.waitForFunction(() => !window.termscore.busy, null, { timeout: 30000 });
    const banner = await page.isVisible("#error");
    if (banner) assert.match(await page.textContent("#error-text"), /does not review \.docx files yet|\.docx/);
    else assert.equal(await page.evaluate(() => window.termscore.source), "docx");
    console.log(`# standalone .docx review: ${banner ? await page.textContent("#error-text") : "reviewed"}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("The pane is readable at 320px: nothing overflows sideways", async () => {
  const { page } = await openPane({ word: true });
  await page.setViewportSize({ width: 320, height: 800 });
  await reviewAndWait(page, "#review");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
  // every button has an accessible name; every form control has a label
  const unnamed = await page.$$eval("button, input, select, textarea", (els) => els.filter((e) => {
    if (e.type === "hidden") return false;
    const name = e.getAttribute("aria-label") || e.textContent.trim() || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e.closest("label");
    return !name;
  }).map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);
  await page.close();
});
