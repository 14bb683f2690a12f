// Pure rendering: review data in, HTML strings out (escaped), so it runs under Node's test runner.
// app.js puts the strings in the page and wires the buttons through data-action attributes.

import { suggestionType } from "./offsets.js";

export const SEVERITIES = ["high", "medium", "low"];
const SEVERITY_LABEL = { high: "High", medium: "Medium", low: "Low" };
const KIND_LABEL = { risky: "Risky language", missing: "Missing clause", incomplete: "Incomplete clause" };

export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Text for display: tabs and soft line breaks made visible as layout. */
function show(s) {
  return esc(s).replace(/\u000b/g, "\n");
}

/** Split `original` + edits (UTF-16 offsets) into equal / deleted / inserted segments, in order. */
export function redlineSegments(original, edits) {
  const out = [];
  let pos = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    if (e.start > pos) out.push({ type: "eq", text: original.slice(pos, e.start) });
    if (e.end > e.start) out.push({ type: "del", text: original.slice(e.start, e.end) });
    if (e.text) out.push({ type: "ins", text: e.text });
    pos = Math.max(pos, e.end);
  }
  if (pos < original.length) out.push({ type: "eq", text: original.slice(pos) });
  return out;
}

function trimEq(text, where, ctx) {
  if (text.length <= ctx * 2 + 10) return text;
  const cutRight = (t) => {
    const s = t.slice(0, ctx);
    const i = s.lastIndexOf(" ");
    return (i > ctx / 2 ? s.slice(0, i + 1) : s) + "…";
  };
  const cutLeft = (t) => {
    const s = t.slice(-ctx);
    const i = s.indexOf(" ");
    return "…" + (i >= 0 && i < ctx / 2 ? s.slice(i) : s);
  };
  if (where === "first") return cutLeft(text);
  if (where === "last") return cutRight(text);
  return cutRight(text.slice(0, ctx + 20)) + " " + cutLeft(text.slice(-ctx - 20));
}

/** A small redline: struck deletions, underlined insertions, long unchanged stretches elided. */
export function renderRedline(original, edits, { context = 60 } = {}) {
  const segs = redlineSegments(original, edits);
  return segs
    .map((s, i) => {
      if (s.type === "del") return `<del>${show(s.text)}</del>`;
      if (s.type === "ins") return `<ins>${show(s.text)}</ins>`;
      const where = i === 0 ? "first" : i === segs.length - 1 ? "last" : "middle";
      return `<span>${show(trimEq(s.text, where, context))}</span>`;
    })
    .join("");
}

function renderSuggestion(f, s, paragraphsById) {
  if (!s) return "";
  if (suggestionType(s) === "insert") {
    const after = paragraphsById?.get(s.insert_after)?.text;
    const where = after ? `New clause after “${esc(after.length > 48 ? after.slice(0, 47) + "…" : after)}”` : "New clause";
    return `<div class="preview" role="group" aria-label="Suggested new clause">
      <p class="preview-where">${where}</p>
      ${(s.paragraphs || []).map((p) => `<p class="preview-new"><ins>${show(p.text)}</ins></p>`).join("")}
    </div>`;
  }
  return `<div class="preview" role="group" aria-label="Suggested change (deleted words struck, inserted words underlined)">
    <p class="preview-edit">${renderRedline(s.original, s.edits || [])}</p>
  </div>`;
}

/** The suggestion in use for finding `f` (preferred, or the chosen fallback). */
export function chosenSuggestion(f, state) {
  const alt = state?.alt ?? -1;
  if (alt >= 0 && f.alternatives?.[alt]) return f.alternatives[alt];
  return f.suggestion;
}

const STATUS_TEXT = {
  applied: "Applied as tracked changes.",
  rejected: "Their change was rejected.",
  already: "Already in the document.",
  stale: "This paragraph changed since the review, so it was left alone.",
  "not-found": "Word could not find the exact words; nothing was changed.",
  conflict: "Another applied suggestion already changed these words.",
  error: "Could not apply this suggestion.",
};

export function renderFinding(f, state = {}, { canApply = true, canReject = false, audience = "counterparty", paragraphsById } = {}) {
  const id = esc(f.id);
  const sev = SEVERITIES.includes(f.severity) ? f.severity : "low";
  const alts = f.alternatives || [];
  const s = chosenSuggestion(f, state);
  const done = state.status === "applied" || state.status === "already" || state.status === "rejected";
  // the risk is in the other side's own tracked insertion: rejecting it is the first answer
  const theirs = f.tracked_change && f.tracked_change.kind !== "deletion" ? f.tracked_change : null;
  const reject = theirs && canReject && !done;
  const toggle = alts.length
    ? `<div class="positions" role="group" aria-label="Position for ${esc(f.title)}">
        <button type="button" class="chip" data-action="alt" data-alt="-1" aria-pressed="${(state.alt ?? -1) < 0}">Preferred</button>
        ${alts.map((a, i) => `<button type="button" class="chip" data-action="alt" data-alt="${i}" aria-pressed="${state.alt === i}" title="${esc(a.label || "Fallback")}">${esc(shortLabel(a.label, i))}</button>`).join("")}
      </div>`
    : "";
  const comment = f.comment?.[audience] || f.comment?.counterparty;
  const statusText = state.status ? state.message || STATUS_TEXT[state.status] || "" : "";
  const stale = state.status === "stale" || state.status === "not-found" || state.status === "conflict";
  const actions = state.dismissed
    ? `<button type="button" data-action="restore">Restore</button>`
    : `${f.paragraph_id || s?.insert_after ? `<button type="button" data-action="goto">Go to</button>` : ""}
       ${reject ? `<button type="button" class="primary" data-action="reject-theirs">Reject their change</button>` : ""}
       ${canApply && s ? `<button type="button" class="${reject ? "" : "primary"}" data-action="apply" ${done ? "disabled" : ""}>${done ? (state.status === "rejected" ? "Rejected" : "Applied") : reject ? "Edit instead" : "Apply"}</button>` : ""}
       <button type="button" data-action="dismiss">Dismiss</button>`;
  return `<li class="finding sev-${sev}${state.dismissed ? " dismissed" : ""}${done ? " done" : ""}" id="finding-${id}" data-id="${id}" tabindex="-1" aria-labelledby="ft-${id}">
    <div class="finding-head">
      <span class="badge sev-${sev}">${SEVERITY_LABEL[sev]}</span>
      <span class="kind">${esc(KIND_LABEL[f.kind] || f.kind || "")}</span>
      ${f.points ? `<span class="points" title="Points this finding costs the score">−${esc(f.points)}</span>` : ""}
    </div>
    <h3 class="finding-title" id="ft-${id}">${esc(f.title)}</h3>
    ${theirs ? `<p class="theirs">In ${esc(theirs.author || "the other side")}’s tracked ${theirs.kind === "move_to" ? "move" : "insertion"}: their new words carry this risk.</p>` : ""}
    ${state.dismissed ? "" : `<p class="message">${esc(f.message)}</p>
    ${toggle}
    ${renderSuggestion(f, s, paragraphsById)}
    ${comment ? `<details class="comment"><summary>${audience === "internal" ? "Internal note" : "Comment for the other side"}</summary><p>${esc(comment)}</p></details>` : ""}`}
    <div class="actions">${actions}</div>
    <p class="status${stale ? " warn" : ""}" ${statusText ? "" : "hidden"}>${esc(statusText)}${stale ? ` <button type="button" class="link" data-action="review">Review again</button>` : ""}</p>
  </li>`;
}

function shortLabel(label, i) {
  if (!label) return i === 0 ? "Fallback" : `Fallback ${i + 1}`;
  const m = String(label).match(/^Fallback(?:\s*\d+)?/i);
  return m ? m[0] : label.length > 24 ? label.slice(0, 23) + "…" : label;
}

/** Findings grouped by severity (high first), dismissed ones last and collapsed. */
export function renderFindings(findings, states = new Map(), opts = {}) {
  if (!findings.length) {
    return `<p class="empty">No findings. This contract already has the protections this profile asks for.</p>`;
  }
  const live = findings.filter((f) => !states.get(f.id)?.dismissed);
  const dismissed = findings.filter((f) => states.get(f.id)?.dismissed);
  const groups = SEVERITIES.map((sev) => {
    const list = live.filter((f) => (SEVERITIES.includes(f.severity) ? f.severity : "low") === sev);
    if (!list.length) return "";
    return `<section class="group" aria-labelledby="g-${sev}">
      <h2 id="g-${sev}" class="group-title"><span class="dot sev-${sev}" aria-hidden="true"></span>${SEVERITY_LABEL[sev]} severity <span class="count">${list.length}</span></h2>
      <ol class="findings">${list.map((f) => renderFinding(f, states.get(f.id), opts)).join("")}</ol>
    </section>`;
  }).join("");
  const dis = dismissed.length
    ? `<details class="group dismissed-group"><summary>Dismissed <span class="count">${dismissed.length}</span></summary>
        <ol class="findings">${dismissed.map((f) => renderFinding(f, states.get(f.id), opts)).join("")}</ol></details>`
    : "";
  return groups + dis;
}

export function gradeClass(value) {
  return value >= 90 ? "good" : value >= 60 ? "fair" : "poor";
}

export function renderScore(review, { previous = null } = {}) {
  const score = review.score || {};
  const value = Math.round(score.value ?? 0);
  const max = score.max ?? 100;
  const delta = previous === null || previous === undefined ? null : value - previous;
  const profile = review.profile?.title || (score.profile ? `${score.profile[0].toUpperCase()}${score.profile.slice(1)} risk` : "");
  const counts = SEVERITIES.map((s) => [s, (review.findings || []).filter((f) => f.severity === s).length]);
  const cats = (score.categories || [])
    .map((c) => {
      const pct = c.max ? Math.max(0, Math.min(100, (100 * c.value) / c.max)) : 100;
      return `<li class="cat">
        <span class="cat-title">${esc(c.title)}</span>
        <span class="cat-value">${esc(Math.round(c.value))}/${esc(c.max)}</span>
        <span class="bar" role="img" aria-label="${esc(c.title)}: ${esc(Math.round(c.value))} of ${esc(c.max)}"><span class="fill ${gradeClass(pct)}" data-pct="${pct.toFixed(0)}"></span></span>
      </li>`;
    })
    .join("");
  return `<div class="score-card ${gradeClass((100 * value) / max)}">
    <div class="score-main">
      <div class="score-value" aria-label="Score ${value} out of ${max}"><span class="num">${value}</span><span class="of">/${esc(max)}</span></div>
      <div class="score-meta">
        ${score.grade ? `<span class="grade">Grade ${esc(score.grade)}</span>` : ""}
        ${delta !== null ? `<span class="delta ${delta >= 0 ? "up" : "down"}">${delta >= 0 ? "▲ +" : "▼ "}${delta} since last review</span>` : ""}
        ${profile ? `<span class="profile">${esc(profile)} profile</span>` : ""}
        <span class="counts">${counts.map(([s, n]) => `<span class="count-${s}">${n} ${s}</span>`).join(" · ")}</span>
      </div>
    </div>
    ${cats ? `<ul class="cats" aria-label="Score by category">${cats}</ul>` : ""}
  </div>`;
}

/** What the review says of the contract's form: standard terms get the AI clause and the licence's
 * limits, and the gaps a platform does not change for one user are reported without a clause. */
export function formNote(review) {
  const form = review?.form;
  if (!form?.standard_terms) return "";
  const n = (form.not_asked || []).length;
  const gaps = n ? ` ${n} missing protection${n === 1 ? " is" : "s are"} reported and scored without a clause, as a platform does not change its terms for one user.` : "";
  return `These are standard terms, accepted by using the service rather than negotiated: the suggestions ask only for what a user can hope to get (the AI clause and limits on the licence).${gaps}`;
}

/** What the other side did with our last round, for the line under the score: "" in round one. */
export function roundNote(review) {
  const n = review?.negotiation;
  if (!n || !(n.round > 1)) return "";
  const walk = (n.ours || []).filter((o) => o.walk_away && !o.settled).length;
  const end = walk ? ` ${walk === 1 ? "One protection is" : `${walk} protections are`} at the walk-away point: nothing further is proposed for ${walk === 1 ? "it" : "them"}.` : "";
  return `${n.summary}${end}`;
}

/** Our answers to the other side's comments about our changes: [{comment_id, text, author, their}]
 * (`their`: their latest word in the thread), one per open thread the review matched. */
export function threadReplies(review) {
  return (review?.negotiation?.ours || [])
    .filter((o) => o.thread && !o.settled && o.reply)
    .map((o) => ({ comment_id: o.thread.comment_id, text: o.reply, author: o.thread.author, their: o.thread.text }));
}

/** The line over the button: whose comments wait for an answer. */
export function threadsNote(replies) {
  if (!replies.length) return "";
  const who = [...new Set(replies.map((r) => r.author).filter(Boolean))].join(" and ") || "The other side";
  return `${who} commented on ${replies.length === 1 ? "one of your changes" : `${replies.length} of your changes`}: `
    + `${replies.map((r) => `“${r.their.length > 80 ? `${r.their.slice(0, 79)}…` : r.their}”`).join("; ")}. `
    + "Your answer goes into each comment's thread as a reply.";
}

export function renderQuestions(questions) {
  if (!questions?.length) return "";
  return `<ol class="questions">${questions.map((q) => `<li>${esc(q)}</li>`).join("")}</ol>`;
}

/** The questions as plain text for the clipboard: numbered, one per line. */
export function questionsText(questions) {
  return (questions || []).map((q, i) => `${i + 1}. ${q}`).join("\n");
}
