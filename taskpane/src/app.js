// Wiring: options, Review, findings actions, errors. In Word it drives WordDocument; in an ordinary
// browser (Office.js absent, or Office.onReady() with no host) the same page is a standalone
// reviewer over pasted text (TextDocument) and uploaded .docx files.

import { createApi } from "./api.js";
import { normaliseReview } from "./offsets.js";
import { chosenSuggestion, formNote, questionsText, renderFindings, renderQuestions, renderScore, roundNote, threadReplies, threadsNote } from "./render.js";
import { TextDocument } from "./textdoc.js";
import { WordDocument } from "./word.js";

export const OPTIONS_KEY = "termscore.options.v1";
export const DEFAULT_OPTIONS = { agency_risk: "high", project_name: "", liquidated_damages: "", party: "provider", audience: "counterparty", author: "" };

export function loadOptions(storage) {
  try {
    const raw = storage?.getItem(OPTIONS_KEY);
    const saved = raw ? JSON.parse(raw) : {};
    const o = { ...DEFAULT_OPTIONS, ...saved };
    if (!["high", "medium", "low"].includes(o.agency_risk)) o.agency_risk = "high";
    if (!["provider", "client"].includes(o.party)) o.party = "provider";
    if (!["counterparty", "internal"].includes(o.audience)) o.audience = "counterparty";
    o.author = typeof o.author === "string" ? o.author.slice(0, 200) : "";
    return o;
  } catch {
    return { ...DEFAULT_OPTIONS };
  }
}

export function saveOptions(storage, options) {
  try {
    storage?.setItem(OPTIONS_KEY, JSON.stringify(options));
  } catch {
    /* private mode or storage full: options just aren't remembered */
  }
}

/** "word" inside Word, else null. Never waits more than `timeoutMs` for Office.js. */
export async function detectHost(win, timeoutMs = 5000) {
  const Office = win.Office;
  if (!Office || typeof Office.onReady !== "function") return null;
  try {
    const info = await Promise.race([Office.onReady(), new Promise((r) => setTimeout(() => r(null), timeoutMs))]);
    const wordHost = Office.HostType?.Word ?? "Word";
    return info && info.host === wordHost && win.Word ? "word" : null;
  } catch {
    return null;
  }
}

const $ = (sel, root = document) => root.querySelector(sel);

class App {
  constructor(win, host) {
    this.win = win;
    this.host = host;
    this.api = createApi({ base: "" });
    this.options = loadOptions(win.localStorage);
    this.doc = host === "word" ? new WordDocument({ Word: win.Word, Office: win.Office }) : new TextDocument("");
    this.review = null;
    this.request = null;
    this.states = new Map();
    this.previousScore = null;
    this.lastAction = null;
    this.docxFile = null;
    this.source = host === "word" ? "word" : "text";
    this.busy = false;
  }

  start() {
    document.body.dataset.mode = this.host === "word" ? "word" : "standalone";
    $("#mode").textContent = this.host === "word" ? "In Word" : "Standalone";
    this.bindOptions();
    $("#review").addEventListener("click", () => this.runReview());
    $("#review-text").addEventListener("click", () => this.runReview("text"));
    $("#review-docx").addEventListener("click", () => this.runReview("docx"));
    $("#download-redline").addEventListener("click", () => this.downloadRedline());
    $("#docx-file").addEventListener("change", (e) => {
      this.docxFile = e.target.files?.[0] || null;
      $("#review-docx").disabled = !this.docxFile;
      $("#download-redline").disabled = !this.docxFile;
    });
    $("#apply-all").addEventListener("click", () => this.applyAll());
    $("#review-again").addEventListener("click", () => this.runReview(this.source));
    $("#retry").addEventListener("click", () => this.retry());
    $("#dismiss-error").addEventListener("click", () => this.hideError());
    $("#copy-questions").addEventListener("click", () => this.copyQuestions());
    $("#copy-reply").addEventListener("click", () => this.copyText($("#reply").value, "Reply copied. Send it with the document."));
    $("#reply-threads").addEventListener("click", () => this.answerThreads());
    $("#copy-report").addEventListener("click", () => this.report("markdown"));
    $("#download-report").addEventListener("click", () => this.report("pdf"));
    const list = $("#findings");
    list.addEventListener("click", (e) => this.onFindingClick(e));
    list.addEventListener("keydown", (e) => this.onFindingKey(e));
    this.setStatus(this.host === "word" ? "Ready. Choose Review to check this contract." : "Paste a contract, or choose a .docx file, then review it.");
  }

  bindOptions() {
    const form = $("#options");
    const o = this.options;
    for (const el of form.querySelectorAll("input[name=agency_risk]")) el.checked = el.value === o.agency_risk;
    for (const el of form.querySelectorAll("input[name=audience]")) el.checked = el.value === o.audience;
    $("#project-name").value = o.project_name || "";
    $("#liquidated-damages").value = o.liquidated_damages || "";
    $("#party").value = o.party;
    $("#author").value = o.author || "";
    form.addEventListener("change", () => this.readOptions());
    form.addEventListener("input", () => this.readOptions());
    form.addEventListener("submit", (e) => e.preventDefault());
  }

  readOptions() {
    const form = $("#options");
    const prevAudience = this.options.audience;
    this.options = {
      agency_risk: form.querySelector("input[name=agency_risk]:checked")?.value || "high",
      project_name: $("#project-name").value,
      liquidated_damages: $("#liquidated-damages").value,
      party: $("#party").value,
      audience: form.querySelector("input[name=audience]:checked")?.value || "counterparty",
      author: $("#author").value.trim().slice(0, 200),
    };
    saveOptions(this.win.localStorage, this.options);
    if (prevAudience !== this.options.audience && this.review) this.renderFindings();
  }

  // ------------------------------------------------------------------ status and errors
  setStatus(text, { busy = false } = {}) {
    const el = $("#status");
    el.textContent = text;
    el.classList.toggle("busy", busy);
    document.body.setAttribute("aria-busy", busy ? "true" : "false");
  }

  showError(err, action) {
    this.lastAction = action || null;
    $("#error-text").textContent = err?.message || String(err);
    $("#retry").hidden = !(action && (err?.retryable ?? true));
    $("#error").hidden = false;
    this.setStatus("");
  }

  hideError() {
    $("#error").hidden = true;
  }

  async retry() {
    this.hideError();
    if (this.lastAction) await this.lastAction();
  }

  setBusy(busy) {
    this.busy = busy;
    for (const id of ["review", "review-text", "review-again", "copy-report", "download-report"]) $(`#${id}`).disabled = busy;
    if (busy) {
      $("#apply-all").disabled = true;
      $("#reply-threads").disabled = true;
      $("#review-docx").disabled = true;
      $("#download-redline").disabled = true;
    } else {
      this.updateDocxButtons();
      if (this.review) {
        this.renderFindings();
        this.renderThreads();
      }
    }
  }

  updateDocxButtons() {
    $("#review-docx").disabled = !this.docxFile;
    $("#download-redline").disabled = !this.docxFile;
  }

  // ------------------------------------------------------------------ review
  async runReview(source) {
    if (this.busy) return;
    source = source || this.source;
    this.hideError();
    this.setBusy(true);
    const t0 = performance.now();
    try {
      let review;
      if (source === "docx") {
        if (!this.docxFile) throw new Error("Choose a .docx file first.");
        this.setStatus(`Uploading ${this.docxFile.name} for review…`, { busy: true });
        review = await this.api.reviewDocx(this.docxFile, this.options);
        this.request = { paragraphs: review.paragraphs || [] };
        this.round = null; // the .docx routes keep the round log in the file they return
      } else {
        if (source === "text") {
          const text = $("#paste").value;
          if (!text.trim()) throw new Error("Paste the contract's text first.");
          // a fresh paste starts a fresh document; after Apply the box holds the revised text
          if (text !== this.doc.text()) this.doc.setText(text);
        }
        this.setStatus(this.host === "word" ? "Reading the document…" : "Reading the text…", { busy: true });
        const paragraphs = await this.doc.readParagraphs();
        if (!paragraphs.length) throw new Error("The document has no text to review.");
        // the rounds of a negotiation live in the document (a custom XML part), never on the server
        let roundLog = this.doc.readRoundLog ? await this.doc.readRoundLog().catch(() => undefined) : undefined;
        // reviewing again after recording a round in this session is the same round, not the next
        if (this.recorded && roundLog === this.recorded.after) roundLog = this.recorded.before;
        this.setStatus(`Reviewing ${paragraphs.length} paragraphs…`, { busy: true });
        // a Word that gives its tracked changes (WordApi 1.6) sends them; one that cannot says so, and
        // the server then says our words may be accepted or still marked (in_text) rather than guess
        const negotiation = roundLog === undefined ? undefined : { round_log: roundLog, revisions_read: Boolean(this.doc.revisionsRead) };
        if (negotiation && this.ourAuthor()) negotiation.author = this.ourAuthor();
        // the comments and their replies (WordApi 1.4): the other side's comment on one of our
        // changes is answered in its thread
        if (negotiation && this.doc.comments?.length) negotiation.comments = this.doc.comments;
        review = await this.api.review(paragraphs, this.options, negotiation);
        this.request = { paragraphs };
        // the review as the server wrote it (offsets in its coordinates), to record the round after Apply
        this.round = roundLog === undefined ? null : { log: roundLog, review: structuredClone(review) };
      }
      const previous = this.review && this.source === source ? this.review.score?.value : null;
      this.source = source;
      this.previousScore = previous;
      this.served = structuredClone(review); // the review as the server wrote it: what a report is made from
      this.review = normaliseReview(review, this.request.paragraphs);
      this.paragraphsById = new Map(this.request.paragraphs.map((p) => [p.id, p]));
      this.states = new Map();
      this.replied = new Set(); // comment ids of the threads answered since this review
      this.render();
      const ms = Math.round(performance.now() - t0);
      const n = this.review.findings.length;
      this.setStatus(`Review done in ${ms} ms: score ${Math.round(this.review.score?.value ?? 0)}, ${n} finding${n === 1 ? "" : "s"}.`);
      $("#results").hidden = false;
      $("#score-heading").focus({ preventScroll: false });
    } catch (err) {
      this.showError(err, err?.retryable ? () => this.runReview(source) : null);
    } finally {
      this.setBusy(false);
    }
  }

  render() {
    $("#score").innerHTML = renderScore(this.review, { previous: this.previousScore });
    // widths through the CSSOM: the server's Content-Security-Policy forbids inline style attributes
    for (const el of document.querySelectorAll("#score .fill[data-pct]")) el.style.width = `${el.dataset.pct}%`;
    this.renderFindings();
    const qs = this.review.questions || [];
    $("#questions-section").hidden = !qs.length;
    $("#questions").innerHTML = renderQuestions(qs);
    if (this.review.parties?.provider || this.review.parties?.client) {
      const p = this.review.parties;
      $("#parties").textContent = `Parties: ${p.provider || "?"} (creates the work) and ${p.client || "?"}${this.review.work_term ? `; the work is the “${this.review.work_term}”` : ""}.`;
    } else $("#parties").textContent = "";
    const note = formNote(this.review);
    $("#form-note").textContent = note;
    $("#form-note").hidden = !note;
    const round = roundNote(this.review);
    $("#round-note").textContent = round;
    $("#round-note").hidden = !round;
    const reply = this.review.negotiation?.reply || "";
    $("#reply").value = reply;
    $("#reply-section").hidden = !reply;
    this.renderThreads();
  }

  /** The button that answers the other side's comments in their threads (Word with WordApi 1.4). */
  renderThreads() {
    const open = threadReplies(this.review).filter((r) => !this.replied?.has(r.comment_id));
    const can = this.source === "word" && Boolean(this.doc.readsComments);
    $("#threads-note").textContent = can ? threadsNote(open) : "";
    $("#threads-note").hidden = !can || !open.length;
    $("#reply-threads").hidden = !can || !open.length;
    $("#reply-threads").disabled = this.busy;
    $("#reply-threads").textContent = open.length > 1 ? `Answer their comments (${open.length})` : "Answer their comment";
  }

  async answerThreads() {
    if (this.busy) return;
    const open = threadReplies(this.review).filter((r) => !this.replied.has(r.comment_id));
    if (!open.length) return;
    this.setBusy(true);
    this.setStatus("Writing replies…", { busy: true });
    try {
      const { written, missing } = await this.doc.replyInThreads(open.map(({ comment_id, text }) => ({ comment_id, text })));
      for (const r of open) this.replied.add(r.comment_id);
      let msg = `${written} ${written === 1 ? "reply" : "replies"} written in their comment threads.`;
      if (missing) msg += ` ${missing} ${missing === 1 ? "comment is" : "comments are"} no longer in the document.`;
      this.setStatus(msg);
    } catch (err) {
      this.showError(new Error(`Could not write the replies: ${err?.message || err}`), () => this.answerThreads());
    } finally {
      this.setBusy(false);
      this.renderThreads();
    }
  }

  /** The name our tracked changes are written under: what Word showed after our last Apply, else
   * the name in Options (remembered from an earlier Apply, or typed), else none (the server then
   * takes the names the document's round log recorded). */
  ourAuthor() {
    return (this.doc.author || this.options.author || "").trim() || null;
  }

  /** Remember the name Word wrote our changes under, for the next round on this computer. */
  rememberAuthor() {
    const name = this.doc.author;
    if (!name || name === this.options.author) return;
    this.options = { ...this.options, author: name };
    $("#author").value = name;
    saveOptions(this.win.localStorage, this.options);
  }

  canApply() {
    return this.source !== "docx";
  }

  renderFindings() {
    const findings = this.review?.findings || [];
    $("#findings").innerHTML = renderFindings(findings, this.states, {
      canApply: this.canApply(),
      canReject: this.source === "word" && Boolean(this.doc.readsTrackedChanges),
      audience: this.options.audience,
      paragraphsById: this.paragraphsById,
    });
    const pending = findings.filter((f) => !this.states.get(f.id)?.dismissed && !["applied", "already", "rejected"].includes(this.states.get(f.id)?.status) && chosenSuggestion(f, this.states.get(f.id)));
    $("#apply-all").hidden = !this.canApply();
    $("#apply-all").disabled = this.busy || pending.length === 0;
    $("#apply-all").textContent = pending.length ? `Apply all (${pending.length})` : "Apply all";
    $("#findings-count").textContent = `${findings.filter((f) => !this.states.get(f.id)?.dismissed).length}`;
  }

  state(id) {
    if (!this.states.has(id)) this.states.set(id, {});
    return this.states.get(id);
  }

  // ------------------------------------------------------------------ applying
  async apply(findings) {
    if (this.busy) return;
    const items = findings.map((f) => ({ finding: f, suggestion: chosenSuggestion(f, this.states.get(f.id)) })).filter((i) => i.suggestion);
    if (!items.length) return;
    this.setBusy(true);
    this.setStatus(this.host === "word" ? "Writing tracked changes…" : "Applying…", { busy: true });
    try {
      const results = await this.doc.apply(items, { audience: this.options.audience });
      let applied = 0;
      let skipped = 0;
      for (const [fid, r] of results) {
        Object.assign(this.state(fid), { status: r.status, message: r.message });
        if (r.status === "applied" || r.status === "already") applied += 1;
        else skipped += 1;
      }
      if (this.doc.kind === "text") $("#paste").value = this.doc.text();
      this.rememberAuthor();
      this.renderFindings();
      const recorded = await this.recordRound();
      let msg = `${applied} suggestion${applied === 1 ? "" : "s"} applied${this.host === "word" ? " as tracked changes" : ""}.`;
      if (recorded) msg += ` Recorded as round ${recorded} in the document.`;
      if (skipped) msg += ` ${skipped} left alone: the text changed since the review. Review again for fresh suggestions.`;
      else msg += " Review again to see the new score.";
      this.setStatus(msg);
    } catch (err) {
      this.showError(new Error(`Could not write to the document: ${err?.message || err}`), () => this.apply(findings));
    } finally {
      this.setBusy(false);
      this.renderFindings();
    }
  }

  /** Store this round in the document's round log: every change applied since the review. Returns
   * the round number, or null when there is nothing to record or this Word cannot keep the log. */
  async recordRound() {
    if (!this.round || !this.doc.writeRoundLog) return null;
    const applied = [];
    const alternatives = {};
    for (const f of this.review?.findings || []) {
      const st = this.states.get(f.id);
      if (st?.status !== "applied" && st?.status !== "already") continue;
      applied.push(f.id);
      if ((st.alt ?? -1) >= 0) alternatives[f.id] = st.alt;
    }
    if (!applied.length) return null;
    try {
      // a thread counts as answered in the log only when its reply was written
      const review = structuredClone(this.round.review);
      for (const o of review.negotiation?.ours || []) {
        if (o.thread && !this.replied?.has(o.thread.comment_id)) o.thread = null;
      }
      const out = await this.api.roundLog({ roundLog: this.round.log, review, applied, alternatives,
                                            author: this.ourAuthor() });
      await this.doc.writeRoundLog(out.round_log);
      this.recorded = { before: this.round.log, after: out.round_log };
      return out.round;
    } catch (err) {
      this.showError(new Error(`The changes are in the document, but the round could not be recorded: ${err?.message || err}`),
                     () => this.recordRound());
      return null;
    }
  }

  /** Reject the other side's tracked insertion a finding sits in (Word), with our comment. */
  async rejectTheirs(f) {
    if (this.busy) return;
    this.setBusy(true);
    this.setStatus("Rejecting their change…", { busy: true });
    try {
      const r = await this.doc.rejectTheirs(f, { audience: this.options.audience });
      Object.assign(this.state(f.id), { status: r.status, message: r.message });
      this.setStatus(r.message);
    } catch (err) {
      this.showError(new Error(`Could not reject the change: ${err?.message || err}`), () => this.rejectTheirs(f));
    } finally {
      this.setBusy(false);
      this.renderFindings();
    }
  }

  applyAll() {
    const findings = (this.review?.findings || []).filter((f) => {
      const s = this.states.get(f.id);
      return !s?.dismissed && !["applied", "already", "rejected"].includes(s?.status);
    });
    return this.apply(findings);
  }

  async goTo(f) {
    try {
      const where = await this.doc.goTo(f);
      if (this.doc.kind === "text") {
        const loc = this.doc.locate(f);
        const ta = $("#paste");
        if (loc) {
          ta.focus();
          ta.setSelectionRange(loc.start, loc.end);
        }
      }
      if (where === "stale") this.setStatus("That paragraph is no longer in the document. Review again.");
    } catch (err) {
      this.showError(new Error(`Could not select the clause: ${err?.message || err}`));
    }
  }

  onFindingClick(e) {
    const btn = e.target.closest("button[data-action]");
    if (!btn) return;
    const card = btn.closest(".finding");
    const f = card && this.review?.findings.find((x) => x.id === card.dataset.id);
    const action = btn.dataset.action;
    if (action === "review") return this.runReview(this.source);
    if (!f) return;
    const st = this.state(f.id);
    if (action === "goto") return this.goTo(f);
    if (action === "apply") return this.apply([f]);
    if (action === "reject-theirs") return this.rejectTheirs(f);
    if (action === "dismiss" || action === "restore") {
      st.dismissed = action === "dismiss";
      this.renderFindings();
      const next = $(`#finding-${CSS.escape(f.id)}`) || $("#findings .finding");
      next?.focus();
      this.setStatus(action === "dismiss" ? `Dismissed “${f.title}”.` : `Restored “${f.title}”.`);
      return;
    }
    if (action === "alt") {
      st.alt = Number(btn.dataset.alt);
      this.renderFindings();
      $(`#finding-${CSS.escape(f.id)} button[data-action=alt][data-alt="${st.alt}"]`)?.focus();
    }
  }

  onFindingKey(e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    if (e.target.closest("details") && e.target.tagName === "SUMMARY") return;
    const cards = [...document.querySelectorAll("#findings .finding")];
    const card = e.target.closest(".finding");
    const i = cards.indexOf(card);
    if (i < 0) return;
    const next = cards[e.key === "ArrowDown" ? Math.min(cards.length - 1, i + 1) : Math.max(0, i - 1)];
    if (next && next !== card) {
      e.preventDefault();
      next.focus();
    }
  }

  // ------------------------------------------------------------------ standalone extras
  copyQuestions() {
    return this.copyText(questionsText(this.review?.questions), "Questions copied. Paste them into your email to the agency.");
  }

  async copyText(text, done) {
    try {
      await navigator.clipboard.writeText(text);
      this.setStatus(done);
    } catch {
      const ta = document.createElement("textarea");
      ta.value = text;
      document.body.appendChild(ta);
      ta.select();
      const ok = document.execCommand?.("copy");
      ta.remove();
      this.setStatus(ok ? done : "Select the text and copy it with Ctrl+C.");
    }
  }

  /** The shareable report of this review: Markdown copied to the clipboard, or a PDF downloaded. */
  async report(format) {
    if (!this.served || this.busy) return;
    this.hideError();
    this.setBusy(true);
    this.setStatus(format === "pdf" ? "Writing the PDF report…" : "Writing the report…", { busy: true });
    try {
      const { blob, filename } = await this.api.report(this.served, this.request?.paragraphs, format);
      if (format === "pdf") {
        const url = URL.createObjectURL(blob);
        const a = document.createElement("a");
        a.href = url;
        a.download = filename || "termscore-report.pdf";
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        this.setStatus(`Downloaded ${a.download}.`);
      } else {
        await this.copyText(await blob.text(), "Report copied (Markdown). Paste it into an email or a document.");
      }
    } catch (err) {
      this.showError(err, err?.retryable ? () => this.report(format) : null);
    } finally {
      this.setBusy(false);
    }
  }

  async downloadRedline() {
    if (!this.docxFile || this.busy) return;
    this.hideError();
    this.setBusy(true);
    this.setStatus("Preparing the redlined .docx…", { busy: true });
    try {
      const states = this.states;
      const findings = this.source === "docx" ? this.review?.findings || [] : [];
      const options = {
        agency_risk: this.options.agency_risk,
        project_name: this.options.project_name || null,
        liquidated_damages: this.options.liquidated_damages || null,
        party: this.options.party,
        comment_audience: this.options.audience,
        dismissed: findings.filter((f) => states.get(f.id)?.dismissed).map((f) => f.id),
        alternatives: Object.fromEntries(findings.filter((f) => (states.get(f.id)?.alt ?? -1) >= 0).map((f) => [f.id, states.get(f.id).alt])),
      };
      const { blob, filename } = await this.api.redline(this.docxFile, options);
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = filename || this.docxFile.name.replace(/\.docx$/i, "") + " (TermScore redline).docx";
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      this.setStatus(`Downloaded ${a.download}. Open it in Word to accept or reject each change.`);
    } catch (err) {
      this.showError(err, err?.retryable ? () => this.downloadRedline() : null);
    } finally {
      this.setBusy(false);
    }
  }
}

export async function main(win = window) {
  const host = await detectHost(win);
  const app = new App(win, host);
  win.termscore = app; // for debugging and the end-to-end tests
  app.start();
  return app;
}

if (typeof window !== "undefined" && typeof document !== "undefined" && !window.__TERMSCORE_NO_AUTOSTART__) {
  main(window);
}
