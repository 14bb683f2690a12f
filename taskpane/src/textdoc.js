// The standalone reviewer's "document": pasted text split into paragraphs. Same interface as
// WordDocument (readParagraphs / apply / goTo), applied to plain strings instead of Word.

import { applyEdits, collapseCovered, editsOverlap, shiftEdits, splitPastedText, suggestionType } from "./offsets.js";

export class TextDocument {
  constructor(text = "") {
    this.setText(text);
  }

  get kind() {
    return "text";
  }

  setText(text) {
    this.paragraphs = splitPastedText(text).map((t, i) => ({ id: `p-${i}`, text: t }));
    this.state = new Map(); // id -> {original, applied: []}
    this.applied = new Set();
  }

  /** The document as text: one paragraph per line, blank line between. */
  text() {
    return this.paragraphs.map((p) => p.text).join("\n\n");
  }

  async readParagraphs() {
    // ids follow the current order, so a review after insertions numbers them afresh
    this.paragraphs = this.paragraphs.map((p, i) => ({ id: `p-${i}`, text: p.text }));
    this.state = new Map();
    this.applied = new Set();
    return this.paragraphs.map((p) => ({ ...p }));
  }

  async apply(allItems) {
    const { items, follow } = collapseCovered(allItems, this.applied);
    const results = new Map();
    const byId = new Map(this.paragraphs.map((p) => [p.id, p]));
    const lastAfter = new Map();
    for (const { finding, suggestion: s } of items) {
      const fid = finding.id;
      if (this.applied.has(fid)) {
        results.set(fid, { status: "already" });
        continue;
      }
      if (!s) continue;
      if (suggestionType(s) === "insert") {
        const texts = (s.paragraphs || []).map((p) => p.text);
        if (this.paragraphs.some((p) => p.text === texts[0])) {
          this.applied.add(fid);
          results.set(fid, { status: "already" });
          continue;
        }
        const anchor = byId.get(s.insert_after);
        if (!anchor) {
          results.set(fid, { status: "stale" });
          continue;
        }
        let at = this.paragraphs.indexOf(lastAfter.get(s.insert_after) || anchor);
        while (at + 1 < this.paragraphs.length && this.paragraphs[at + 1].inserted) at += 1;
        const added = texts.map((t) => ({ id: `${s.insert_after}+${fid}`, text: t, inserted: true }));
        this.paragraphs.splice(at + 1, 0, ...added);
        lastAfter.set(s.insert_after, added[added.length - 1]);
        this.applied.add(fid);
        results.set(fid, { status: "applied" });
        continue;
      }
      const p = byId.get(s.paragraph_id);
      if (!p) {
        results.set(fid, { status: "stale" });
        continue;
      }
      if (!this.state.has(p.id)) this.state.set(p.id, { original: p.text, applied: [] });
      const st = this.state.get(p.id);
      if (st.original !== s.original || p.text !== applyEdits(st.original, st.applied)) {
        results.set(fid, { status: "stale" });
        continue;
      }
      if (editsOverlap(s.edits, st.applied)) {
        results.set(fid, { status: "conflict" });
        continue;
      }
      p.text = applyEdits(p.text, shiftEdits(s.edits, st.applied));
      st.applied.push(...s.edits.map(({ start, end, text }) => ({ start, end, text })));
      this.applied.add(fid);
      results.set(fid, { status: "applied" });
    }
    for (const [fid, owner] of follow) {
      if (results.has(owner)) results.set(fid, results.get(owner));
      else if (this.applied.has(owner)) results.set(fid, { status: "already", message: "Already applied with the suggestion it was merged into." });
    }
    return results;
  }

  /** Where the finding is in text(): {start, end} (UTF-16), or null. */
  locate(finding) {
    const pid = finding.paragraph_id || finding.suggestion?.insert_after;
    let offset = 0;
    for (const p of this.paragraphs) {
      if (p.id === pid) {
        const st = this.state.get(pid);
        if (finding.span && !st?.applied.length) return { start: offset + finding.span.start, end: offset + finding.span.end };
        return { start: offset, end: offset + p.text.length };
      }
      offset += p.text.length + 2;
    }
    return null;
  }

  async goTo(finding) {
    return this.locate(finding) ? "span" : "stale";
  }
}
