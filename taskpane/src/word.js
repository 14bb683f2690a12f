// The Word side of the pane: read the paragraphs, write suggestions as tracked changes, select a
// clause. Word and Office are injected so the tests can pass a fake object model.
//
// Rules (../docs/wire-format.md, shared/docs/word-and-docx-notes.md):
// - read text without tracked deletions (getText on WordApi 1.7, getReviewedText("Current") on 1.4);
// - before writing, re-read the paragraph; if it is not the text the server saw (plus what this pane
//   already applied), leave it alone and say it is stale;
// - locate each edit with paragraph.search(anchor, {matchCase: true}).items[occurrence], joining a
//   head and a tail with expandTo for long spans; apply right to left, tracked, in one Word.run;
// - never insert the same thing twice;
// - from round two on, read each paragraph's tracked changes with their authors (WordApi 1.6) as
//   offsets into the text read, and learn the name Word writes our own changes under; read the
//   comments and their replies (WordApi 1.4) with the paragraphs they cover, and answer the other
//   side's comment about one of our changes with a reply in its thread.

import { anchorFor, applyEdits, collapseCovered, editsOverlap, shiftEdits, suggestionType, u16ToCp } from "./offsets.js";

export const STATUS = {
  applied: "applied",
  already: "already", // the document already has it: nothing was written
  rejected: "rejected", // the other side's tracked change holding the risk was rejected
  stale: "stale", // the paragraph changed since the review
  notFound: "not-found", // Word's search could not pin the place down
  conflict: "conflict", // overlaps another suggestion already applied to this paragraph
  error: "error",
};

const MESSAGES = {
  stale: "This paragraph changed since the review, so it was left alone. Review again to get fresh suggestions.",
  "not-found": "Word could not find the exact words to change (the paragraph may carry other tracked changes). Accept or reject them, then review again.",
  conflict: "Another suggestion already changed these words. Review again to get a suggestion that fits.",
  already: "Already in the document.",
  applied: "Applied as tracked changes.",
  rejected: "Rejected {author}'s change; the comment says why.",
  reject: "Word could not find the other side's tracked change here (it may have been accepted already). Review again.",
};

function countMatches(text, literal) {
  if (!literal) return 0;
  let n = 0;
  let i = text.indexOf(literal);
  while (i !== -1) {
    n += 1;
    i = text.indexOf(literal, i + literal.length);
  }
  return n;
}

function clip(value, n) {
  return value == null ? null : String(value).slice(0, n);
}

function isoDate(d) {
  if (d instanceof Date && !Number.isNaN(d.getTime())) return d.toISOString();
  return typeof d === "string" ? d.slice(0, 40) : null;
}

function cleanText(t) {
  return String(t ?? "").replace(/[\r\n]+$/, "");
}

/** The namespace of the round log our redlines keep in the document (docs/docx-redlines.md). */
export const ROUND_LOG_NS = "urn:termscore:round-log:1";

function officeCall(start) {
  // Office's Common API answers through a callback with {status, value, error}
  return new Promise((resolve, reject) => {
    start((r) => (r && r.status === "succeeded" ? resolve(r.value) : reject(new Error(r?.error?.message || "Word refused the request."))));
  });
}

/** Where one tracked change sits in paragraph `text` (every change accepted), in UTF-16 offsets,
 * given `before`: the accepted text from the paragraph's start to the change. Undefined for a change
 * that does not matter here (an empty one); null for one that cannot be placed in the text. */
export function locateRevision(text, tc, before) {
  const words = cleanText(tc.text);
  const date = isoDate(tc.date);
  const author = tc.author ? clip(tc.author, 200) : null;
  let at = typeof before === "string" ? before.length : -1;
  if (tc.type === "Deleted") {
    if (at < 0 || at > text.length) return null;
    return { kind: "deletion", author, date, start: at, end: at, text: words };
  }
  if (!words) return undefined;
  if (text.slice(at, at + words.length) !== words) {
    // a change that runs on from the paragraph before (or past this one) starts outside it
    if (words.includes(text) && text) return { kind: "insertion", author, date, start: 0, end: text.length, text };
    const first = text.indexOf(words);
    if (first < 0 || text.indexOf(words, first + 1) >= 0) return null;
    at = first;
  }
  return { kind: "insertion", author, date, start: at, end: at + words.length, text: words };
}

/** The same, as POST /api/v1/review takes it: offsets in code points, as the server counts. */
export function placeRevision(text, tc, before) {
  const r = locateRevision(text, tc, before);
  return r ? { ...r, start: u16ToCp(text, r.start), end: u16ToCp(text, r.end) } : r;
}

export class WordDocument {
  constructor({ Word, Office }) {
    this.Word = Word;
    this.Office = Office;
    const supports = (v) => {
      try {
        return Boolean(Office?.context?.requirements?.isSetSupported("WordApi", v));
      } catch {
        return false;
      }
    };
    this.features = { ids: supports("1.6"), getText: supports("1.7"), reviewedText: supports("1.4"), comments: supports("1.4") };
    this.snapshot = new Map(); // paragraph id -> {index, text, style, isList}
    this.paraState = new Map(); // paragraph id -> {original, applied: [edits in original coords]}
    this.applied = new Set(); // finding ids written (or found already written)
    this.insertedTexts = new Set(); // texts of paragraphs this pane inserted
    this.revisionsRead = false; // the last read gave every paragraph's tracked changes
    this.author = null; // the name Word writes our tracked changes under, once seen
    this.comments = null; // the last read's comments and replies, as POST /api/v1/review takes them
  }

  /** This Word lists comments and their replies (WordApi 1.4). */
  get readsComments() {
    return this.features.comments;
  }

  get kind() {
    return "word";
  }

  /** This Word lists tracked changes with their authors (WordApi 1.6). */
  get readsTrackedChanges() {
    return this.features.ids;
  }

  /** The tracked changes of each of `paras` (Word paragraphs of this run) that `keep` accepts, after
   * the syncs: [[{tc, before}]], `before` the accepted text from the paragraph's start to the change
   * (a ClientResult; only with `where`). */
  async _trackedChanges(ctx, paras, { where = false, keep = () => true } = {}) {
    const lists = paras.map((p) => {
      const tcs = p.getTrackedChanges();
      tcs.load("items/type,items/author,items/date,items/text");
      return tcs;
    });
    await ctx.sync();
    const out = lists.map((tcs, i) => tcs.items.filter(keep).map((tc) => ({
      tc, before: where ? paras[i].getRange("Start").expandTo(tc.getRange("Start")).getReviewedText("Current") : null,
    })));
    if (where) await ctx.sync();
    return out;
  }

  _customXmlParts() {
    const parts = this.Office?.context?.document?.customXmlParts;
    return parts && typeof parts.getByNamespaceAsync === "function" && typeof parts.addAsync === "function" ? parts : null;
  }

  /** The round log kept in the document: its XML, null before our first round, or undefined when
   * this Word cannot keep custom XML parts (the review then has no rounds). */
  async readRoundLog() {
    const parts = this._customXmlParts();
    if (!parts) return undefined;
    const found = await officeCall((cb) => parts.getByNamespaceAsync(ROUND_LOG_NS, cb));
    if (!found || !found.length) return null;
    return officeCall((cb) => found[0].getXmlAsync(cb));
  }

  /** Store the round log in the document in place of the one there (one part, never two). */
  async writeRoundLog(xml) {
    const parts = this._customXmlParts();
    if (!parts) return false;
    const found = await officeCall((cb) => parts.getByNamespaceAsync(ROUND_LOG_NS, cb));
    for (const part of found || []) await officeCall((cb) => part.deleteAsync(cb));
    await officeCall((cb) => parts.addAsync(xml, cb));
    return true;
  }

  async _load(ctx, { lists = false } = {}) {
    const paras = ctx.document.body.paragraphs;
    const props = ["items/text", "items/style", "items/isListItem"];
    if (this.features.ids) props.push("items/uniqueLocalId");
    paras.load(props.join(","));
    await ctx.sync();
    const items = paras.items;
    const results = items.map((p) => {
      try {
        if (this.features.getText) return p.getText({ includeTextMarkedAsDeleted: false });
        if (this.features.reviewedText) return p.getReviewedText("Current");
      } catch {
        /* fall back to paragraph.text below */
      }
      return null;
    });
    const listItems = lists
      ? items.map((p) => {
          if (!p.isListItem) return null;
          const li = p.listItemOrNullObject;
          li.load("listString");
          return li;
        })
      : [];
    await ctx.sync();
    const texts = items.map((p, i) => cleanText(results[i] ? results[i].value : p.text));
    const ids = items.map((p, i) => (this.features.ids ? p.uniqueLocalId : `p-${i}`));
    const labels = listItems.map((li) => (li && !li.isNullObject ? li.listString : null));
    return { items, texts, ids, labels };
  }

  /** Read every paragraph: [{id, text, style, list_label}] for POST /api/v1/review. */
  async readParagraphs() {
    return this.Word.run(async (ctx) => {
      const cur = await this._load(ctx, { lists: true });
      this.snapshot = new Map();
      this.paraState = new Map();
      this.applied = new Set();
      const revisions = await this._readRevisions(ctx, cur);
      this.revisionsRead = revisions !== null;
      this.comments = await this._readComments(ctx, cur);
      const out = cur.items.map((p, i) => {
        const para = { id: cur.ids[i], text: cur.texts[i] };
        if (p.style) para.style = p.style;
        if (cur.labels[i]) para.list_label = cur.labels[i];
        if (revisions?.[i]?.length) para.revisions = revisions[i];
        this.snapshot.set(para.id, { index: i, text: para.text, style: p.style, isList: Boolean(p.isListItem) });
        return para;
      });
      return out;
    });
  }

  /** Every paragraph's tracked changes, as POST /api/v1/review takes them: [{kind, author, date,
   * start, end, text}] with code-point offsets into the text read (every change accepted), or null
   * when this Word cannot give them all (before WordApi 1.6, or a change that cannot be placed).
   * Null is never a guess: the review then says our words may be accepted or still marked. */
  async _readRevisions(ctx, cur) {
    if (!this.readsTrackedChanges || typeof cur.items[0]?.getTrackedChanges !== "function") return null;
    try {
      const queued = await this._trackedChanges(ctx, cur.items, { where: true, keep: (tc) => tc.type === "Added" || tc.type === "Deleted" });
      const out = [];
      for (let i = 0; i < queued.length; i++) {
        const placed = queued[i].map(({ tc, before }) => placeRevision(cur.texts[i], tc, before.value));
        if (placed.some((r) => r === null)) return null;
        out.push(placed.filter((r) => r !== undefined));
      }
      return out;
    } catch {
      return null; // an older Word that lists the method but cannot run it
    }
  }

  /** The document's comments and their replies, as POST /api/v1/review takes them ({id, author,
   * date, text, parent_id, resolved, paragraph_ids}; a reply names its comment), or null when this
   * Word cannot list them. A comment covers the paragraphs whose range lists it. */
  async _readComments(ctx, cur) {
    const body = ctx.document.body;
    if (!this.readsComments || typeof body.getComments !== "function") return null;
    try {
      const all = body.getComments();
      all.load("items/id");
      await ctx.sync();
      if (!all.items.length) return [];
      const per = cur.items.map((p) => {
        const cs = p.getRange("Whole").getComments();
        cs.load("items/id,items/authorName,items/content,items/creationDate,items/resolved");
        return cs;
      });
      await ctx.sync();
      const byId = new Map();
      per.forEach((cs, i) => {
        for (const c of cs.items) {
          if (!byId.has(c.id)) byId.set(c.id, { c, paragraph_ids: [] });
          const ids = byId.get(c.id).paragraph_ids;
          if (!ids.includes(cur.ids[i])) ids.push(cur.ids[i]);
        }
      });
      const replies = [...byId.values()].map(({ c }) => {
        const rs = c.replies;
        rs.load("items/id,items/authorName,items/content,items/creationDate");
        return rs;
      });
      await ctx.sync();
      const out = [];
      [...byId.values()].forEach(({ c, paragraph_ids }, k) => {
        const base = { resolved: Boolean(c.resolved), paragraph_ids };
        out.push({ id: String(c.id), author: clip(c.authorName, 200), date: isoDate(c.creationDate), text: clip(c.content, 20000),
                   parent_id: null, ...base });
        for (const r of replies[k].items) {
          out.push({ id: String(r.id), author: clip(r.authorName, 200), date: isoDate(r.creationDate), text: clip(r.content, 20000),
                     parent_id: String(c.id), ...base });
        }
      });
      return out;
    } catch {
      return null; // a Word that lists the method but cannot run it
    }
  }

  /** Answer the other side's comments: `replies` [{comment_id, text}], each a reply in the thread
   * of that comment. Returns {written, missing}: how many went in, how many threads were gone. */
  async replyInThreads(replies) {
    if (!this.readsComments || !replies.length) return { written: 0, missing: replies.length };
    return this.Word.run(async (ctx) => {
      const all = ctx.document.body.getComments();
      all.load("items/id");
      await ctx.sync();
      const byId = new Map(all.items.map((c) => [String(c.id), c]));
      let written = 0;
      for (const { comment_id, text } of replies) {
        const c = byId.get(String(comment_id));
        if (!c || !text) continue;
        c.reply(text);
        written += 1;
      }
      await ctx.sync();
      return { written, missing: replies.length - written };
    });
  }

  _expected(pid) {
    const st = this.paraState.get(pid);
    return st ? applyEdits(st.original, st.applied) : this.snapshot.get(pid)?.text;
  }

  /** Index of paragraph `pid` in the current document, or -1. `extra`: other acceptable texts. */
  _resolve(pid, cur, extra = []) {
    const snap = this.snapshot.get(pid);
    if (this.features.ids) return cur.ids.indexOf(pid);
    if (!snap) return -1;
    const want = new Set([snap.text, this._expected(pid), ...extra]);
    if (want.has(cur.texts[snap.index])) return snap.index;
    let best = -1;
    cur.texts.forEach((t, i) => {
      if (!want.has(t)) return;
      // paragraphs only ever move down (insertions above), so prefer the nearest one at or below
      const d = i >= snap.index ? i - snap.index : (snap.index - i) * 2;
      const bd = best < 0 ? Infinity : best >= snap.index ? best - snap.index : (snap.index - best) * 2;
      if (d < bd) best = i;
    });
    return best;
  }

  _queueLocate(para, anchor) {
    const search = (t) => {
      const coll = para.search(t.search, { matchCase: true });
      coll.load("items");
      return coll;
    };
    if (anchor.mode === "before" && !anchor.target) return { anchor };
    if (anchor.head) return { anchor, head: search(anchor.head), tail: search(anchor.tail) };
    return { anchor, target: search(anchor.target) };
  }

  /** After the sync: the Range for a queued locate, or null when it cannot be pinned down. */
  _resolveLocate(loc, currentText) {
    const pick = (coll, t) => {
      const items = coll.items;
      // the document must show exactly the matches the text we hold has; otherwise other tracked
      // changes in the paragraph shift the count and occurrence k could be the wrong place
      if (items.length !== countMatches(currentText, t.text)) return null;
      return items[t.occurrence] ?? null;
    };
    if (loc.anchor.mode === "before" && !loc.anchor.target) return "start";
    if (loc.head) {
      const h = pick(loc.head, loc.anchor.head);
      const t = pick(loc.tail, loc.anchor.tail);
      return h && t ? h.expandTo(t) : null;
    }
    return pick(loc.target, loc.anchor.target);
  }

  /**
   * Write suggestions as tracked changes. `items`: [{finding, suggestion}] (the suggestion chosen:
   * preferred or a fallback). Returns Map finding id -> {status, message}.
   */
  async apply(allItems, { audience = "counterparty", comments = true } = {}) {
    const { items, follow } = collapseCovered(allItems, this.applied);
    const results = new Map();
    const set = (fid, status, extra = {}) => results.set(fid, { status, message: MESSAGES[status] || "", ...extra });
    const Word = this.Word;
    const touched = []; // the paragraphs written to and the words written, to learn our author name
    const written = new Set();
    await Word.run(async (ctx) => {
      ctx.document.changeTrackingMode = Word.ChangeTrackingMode?.trackAll ?? "TrackAll";
      const cur = await this._load(ctx);
      const commentFor = (f) => (comments ? f.comment?.[audience] || f.comment?.counterparty || "" : "");

      // ---- 1. edits to existing paragraphs, grouped by paragraph
      const byPara = new Map();
      const inserts = [];
      for (const it of items) {
        const fid = it.finding.id;
        if (this.applied.has(fid)) {
          set(fid, STATUS.already);
          continue;
        }
        const s = it.suggestion;
        if (!s) continue;
        if (suggestionType(s) === "insert") inserts.push(it);
        else {
          if (!byPara.has(s.paragraph_id)) byPara.set(s.paragraph_id, []);
          byPara.get(s.paragraph_id).push(it);
        }
      }

      const plans = [];
      for (const [pid, list] of byPara) {
        const original = list[0].suggestion.original;
        if (!this.paraState.has(pid)) this.paraState.set(pid, { original, applied: [] });
        const st = this.paraState.get(pid);
        const expected = applyEdits(original, st.applied);
        const idx = this._resolve(pid, cur, list.map((it) => applyEdits(expected, shiftEdits(it.suggestion.edits, st.applied))));
        if (idx < 0) {
          for (const it of list) set(it.finding.id, STATUS.stale);
          continue;
        }
        const current = cur.texts[idx];
        if (current !== expected || list.some((it) => it.suggestion.original !== st.original)) {
          for (const it of list) {
            const mine = applyEdits(expected, shiftEdits(it.suggestion.edits, st.applied));
            if (current === mine && it.suggestion.original === st.original) {
              this.applied.add(it.finding.id);
              st.applied.push(...it.suggestion.edits);
              set(it.finding.id, STATUS.already);
            } else set(it.finding.id, STATUS.stale);
          }
          continue;
        }
        const fresh = st.applied.length === 0;
        const planned = [];
        const accepted = [];
        for (const it of list) {
          const edits = it.suggestion.edits || [];
          if (editsOverlap(edits, [...st.applied, ...planned])) {
            set(it.finding.id, STATUS.conflict);
            continue;
          }
          accepted.push(it);
          for (const e of edits) planned.push({ ...e, fid: it.finding.id });
        }
        if (!accepted.length) continue;
        const para = cur.items[idx];
        const shifted = shiftEdits(planned, st.applied);
        const located = shifted.map((e, i) => {
          const anchor = fresh && planned[i].anchor ? planned[i].anchor : anchorFor(current, e.start, e.end);
          return { edit: planned[i], at: e, loc: this._queueLocate(para, anchor) };
        });
        plans.push({ pid, idx, para, st, current, accepted, located });
      }
      await ctx.sync(); // one round trip resolves every search

      for (const plan of plans) {
        const failed = new Set();
        for (const l of plan.located) {
          l.range = this._resolveLocate(l.loc, plan.current);
          if (!l.range) failed.add(l.edit.fid);
        }
        const commentRange = new Map();
        const todo = plan.located.filter((l) => !failed.has(l.edit.fid)).sort((a, b) => b.at.start - a.at.start || b.at.end - a.at.end);
        for (const l of todo) {
          const { edit } = l;
          const mode = l.loc.anchor.mode;
          let r;
          if (l.range === "start") r = plan.para.getRange("Start").insertText(edit.text, "Before");
          else if (mode === "after") r = l.range.insertText(edit.text, "After");
          else if (mode === "before") r = l.range.insertText(edit.text, "Before");
          else if (edit.text === "") {
            l.range.delete();
            r = l.range;
          } else r = l.range.insertText(edit.text, "Replace");
          commentRange.set(edit.fid, r); // right to left: the last one set is the finding's first edit
        }
        for (const it of plan.accepted) {
          const fid = it.finding.id;
          if (failed.has(fid)) {
            set(fid, STATUS.notFound);
            continue;
          }
          const text = commentFor(it.finding);
          if (text && commentRange.get(fid)) commentRange.get(fid).insertComment(text);
          plan.st.applied.push(...(it.suggestion.edits || []).map(({ start, end, text: t }) => ({ start, end, text: t })));
          this.applied.add(fid);
          set(fid, STATUS.applied);
          touched.push(plan.para);
          for (const e of it.suggestion.edits || []) if (e.text.trim().length >= 3) written.add(e.text.trim());
        }
      }

      // ---- 2. new paragraphs, in findings order, each after the previous one for the same anchor
      const present = new Set(cur.texts);
      const lastAfter = new Map();
      for (const it of inserts) {
        const s = it.suggestion;
        const fid = it.finding.id;
        const texts = (s.paragraphs || []).map((p) => p.text);
        if (!texts.length) continue;
        if (present.has(texts[0])) {
          this.applied.add(fid);
          texts.forEach((t) => this.insertedTexts.add(t));
          set(fid, STATUS.already);
          continue;
        }
        const idx = this._resolve(s.insert_after, cur);
        if (idx < 0) {
          set(fid, STATUS.stale);
          continue;
        }
        let after = lastAfter.get(s.insert_after);
        if (!after) {
          let j = idx + 1;
          while (j < cur.texts.length && this.insertedTexts.has(cur.texts[j])) j += 1;
          after = cur.items[j - 1];
        }
        const anchorInfo = { isList: Boolean(cur.items[idx].isListItem) };
        let first = null;
        for (const p of s.paragraphs) {
          const np = after.insertParagraph(p.text, "After");
          if (anchorInfo.isList && !p.list_label) np.detachFromList();
          if (p.style && !(anchorInfo.isList && p.list_label)) np.style = p.style;
          first = first || np;
          after = np;
          this.insertedTexts.add(p.text);
          present.add(p.text);
        }
        lastAfter.set(s.insert_after, after);
        touched.push(first);
        written.add(texts[0].trim());
        const text = commentFor(it.finding);
        if (text) first.getRange("Whole").insertComment(text);
        this.applied.add(fid);
        set(fid, STATUS.applied);
      }
      await ctx.sync();
      if (touched.length) this.author = (await this._learnAuthor(ctx, touched.slice(0, 20), written)) || this.author;
    });
    for (const [fid, owner] of follow) {
      if (results.has(owner)) results.set(fid, results.get(owner));
      else if (this.applied.has(owner)) results.set(fid, { status: "already", message: "Already applied with the suggestion it was merged into." });
    }
    return results;
  }

  /** Reject the other side's tracked insertion that holds a finding's words (the finding carries
   * `tracked_change`), with the finding's comment on the paragraph saying why. Returns {status,
   * message}: rejected, stale (the paragraph changed since the review) or not-found. */
  async rejectTheirs(finding, { audience = "counterparty" } = {}) {
    const by = finding.tracked_change?.author ?? null;
    if (!this.readsTrackedChanges) return { status: STATUS.notFound, message: MESSAGES.reject };
    return this.Word.run(async (ctx) => {
      ctx.document.changeTrackingMode = this.Word.ChangeTrackingMode?.trackAll ?? "TrackAll";
      const cur = await this._load(ctx);
      const idx = this._resolve(finding.paragraph_id, cur);
      const snap = this.snapshot.get(finding.paragraph_id);
      if (idx < 0 || !snap || cur.texts[idx] !== snap.text) return { status: STATUS.stale, message: MESSAGES.stale };
      const para = cur.items[idx];
      const [queued] = await this._trackedChanges(ctx, [para], { where: true, keep: (tc) => tc.type === "Added" && (tc.author ?? null) === by });
      const span = finding.span || { start: 0, end: cur.texts[idx].length };
      const hit = queued.filter(({ tc, before }) => {
        const r = locateRevision(cur.texts[idx], tc, before.value);
        return r && Math.min(r.end, span.end) > Math.max(r.start, span.start);
      });
      if (!hit.length) return { status: STATUS.notFound, message: MESSAGES.reject };
      const why = finding.comment?.[audience] || finding.comment?.counterparty;
      if (why) para.getRange("Whole").insertComment(why);
      for (const { tc } of hit) tc.reject();
      await ctx.sync();
      this.applied.add(finding.id);
      return { status: STATUS.rejected, message: MESSAGES.rejected.replace("{author}", by || "the other side") };
    });
  }

  /** The name Word wrote our tracked changes under: read back from the changes just made in
   * `paras` (Word paragraphs of this run), whose words are `texts`. Null when this Word cannot say. */
  async _learnAuthor(ctx, paras, texts) {
    if (!this.readsTrackedChanges || !paras.length || typeof paras[0].getTrackedChanges !== "function") return null;
    try {
      const lists = await this._trackedChanges(ctx, paras, { keep: (tc) => tc.type === "Added" && Boolean(tc.author) });
      const ours = lists.flat().find(({ tc }) => [...texts].some((t) => t && cleanText(tc.text).includes(t)));
      return ours ? ours.tc.author : null;
    } catch {
      return null;
    }
  }

  /** Select the finding's clause (its span when it can be found; else the paragraph). */
  async goTo(finding) {
    return this.Word.run(async (ctx) => {
      const cur = await this._load(ctx);
      const s = finding.suggestion;
      if (!finding.paragraph_id && s && suggestionType(s) === "insert") {
        const inserted = cur.texts.indexOf(s.paragraphs?.[0]?.text);
        if (inserted >= 0) {
          cur.items[inserted].select();
          return "inserted";
        }
      }
      const pid = finding.paragraph_id || s?.insert_after;
      const idx = this._resolve(pid, cur);
      if (idx < 0) return "stale";
      const para = cur.items[idx];
      const text = cur.texts[idx];
      const snap = this.snapshot.get(pid);
      if (finding.span && snap && text === snap.text && finding.span.end > finding.span.start) {
        const loc = this._queueLocate(para, anchorFor(text, finding.span.start, finding.span.end));
        await ctx.sync();
        const r = this._resolveLocate(loc, text);
        if (r && r !== "start") {
          r.select();
          return "span";
        }
      }
      para.select();
      return "paragraph";
    });
  }
}
