// Text offsets and Word search anchors, shared by the Word adapter, the preview and the tests.
//
// The server counts offsets in Python code points; JavaScript strings are UTF-16. Everything in the
// pane works in UTF-16 after `normaliseReview` converts the response once.

export const SEARCH_LIMIT = 255; // Word's paragraph.search() limit, escapes included

const SURROGATE = /[\uD800-\uDFFF]/;

/** UTF-16 index of the code point offset `cp` in `text`. */
export function cpToU16(text, cp) {
  if (!SURROGATE.test(text)) return cp;
  let u = 0;
  for (let i = 0; i < cp && u < text.length; i++) {
    const c = text.charCodeAt(u);
    u += c >= 0xd800 && c <= 0xdbff && u + 1 < text.length ? 2 : 1;
  }
  return u;
}

/** Code point offset of the UTF-16 index `u` in `text`. */
export function u16ToCp(text, u) {
  if (!SURROGATE.test(text)) return u;
  return Array.from(text.slice(0, u)).length;
}

/** Apply non-overlapping edits ({start, end, text}, UTF-16 offsets into `original`) right to left. */
export function applyEdits(original, edits) {
  let out = original;
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** True when two edit lists (same coordinates) touch the same characters or insertion point. */
export function editsOverlap(a, b) {
  for (const x of a) {
    for (const y of b) {
      if (x.start < y.end && y.start < x.end) return true;
      if (x.start === y.start) return true; // same insertion point: order would be ambiguous
    }
  }
  return false;
}

/**
 * Map edits given in `original` coordinates to coordinates in the text that results from applying
 * `applied` (also in original coordinates, not overlapping `edits`).
 */
export function shiftEdits(edits, applied) {
  return edits.map((e) => {
    let delta = 0;
    for (const a of applied) {
      if (a.end <= e.start && !(a.start === a.end && a.start === e.start)) {
        delta += a.text.length - (a.end - a.start);
      }
    }
    return { ...e, start: e.start + delta, end: e.end + delta };
  });
}

/** Escape a literal for Word's search: `^` doubles, tab is `^t`, soft line break is `^l`. */
export function escapeSearch(literal) {
  return literal.replace(/\^/g, "^^").replace(/\t/g, "^t").replace(/\u000b/g, "^l");
}

/** Index of the match at `at` among the left-to-right, non-overlapping matches of `literal`. */
export function occurrence(text, literal, at) {
  if (!literal) throw new Error("empty literal");
  let k = 0;
  let i = text.indexOf(literal);
  while (i !== -1 && i < at) {
    k += 1;
    i = text.indexOf(literal, i + literal.length);
  }
  if (i !== at) throw new Error(`literal ${JSON.stringify(literal)} does not occur at ${at}`);
  return k;
}

const TOKEN = /[\p{L}\p{N}\p{M}_]+|\s+|[^\p{L}\p{N}\p{M}_\s]/gu;

function target(text, start, end) {
  const literal = text.slice(start, end);
  return { text: literal, search: escapeSearch(literal), occurrence: occurrence(text, literal, start) };
}

function escapedLength(s) {
  return escapeSearch(s).length;
}

function clip(text, start, end, fromLeft) {
  let budget = SEARCH_LIMIT;
  if (fromLeft) {
    let i = start;
    while (i < end && budget - escapedLength(text[i]) >= 0) {
      budget -= escapedLength(text[i]);
      i += 1;
    }
    // never end inside a surrogate pair
    if (i < end && i > start && /[\uD800-\uDBFF]/.test(text[i - 1])) i -= 1;
    return [start, i];
  }
  let i = end;
  while (i > start && budget - escapedLength(text[i - 1]) >= 0) {
    budget -= escapedLength(text[i - 1]);
    i -= 1;
  }
  if (i > start && i < end && /[\uDC00-\uDFFF]/.test(text[i])) i += 1;
  return [i, end];
}

/**
 * How to find `text.slice(start, end)` (or the insertion point `start` when start == end) with
 * paragraph.search(): the same shape as the server's anchors (docs/wire-format.md). Used when the
 * pane must locate something in text the server never saw (a paragraph the pane already edited).
 */
export function anchorFor(text, start, end) {
  if (start < end) {
    if (escapedLength(text.slice(start, end)) <= SEARCH_LIMIT) {
      return { mode: "replace", target: target(text, start, end) };
    }
    const [h0, h1] = clip(text, start, end, true);
    const [t0, t1] = clip(text, Math.max(h1, start), end, false);
    return { mode: "replace", head: target(text, h0, h1), tail: target(text, t0, t1) };
  }
  if (start > 0) {
    const from = Math.max(0, start - 80);
    const toks = [];
    TOKEN.lastIndex = 0;
    const piece = text.slice(from, start);
    for (const m of piece.matchAll(TOKEN)) toks.push({ start: from + m.index, text: m[0] });
    let idx = toks.length - 1;
    while (idx > 0 && /^\s+$/.test(toks[idx].text)) idx -= 1;
    let s0 = toks.length ? toks[idx].start : start - 1;
    [s0] = clip(text, s0, start, false);
    return { mode: "after", target: target(text, s0, start) };
  }
  const m = text.match(/^([\p{L}\p{N}\p{M}_]+|\s+|[^\p{L}\p{N}\p{M}_\s])/u);
  const e0 = m ? m[0].length : 0;
  if (e0 === 0) return { mode: "before", target: null };
  return { mode: "before", target: target(text, 0, clip(text, 0, e0, true)[1]) };
}

/**
 * Convert a review response's offsets (code points) to UTF-16, in place, once. `paragraphs` is the
 * request's paragraph list (to convert finding spans).
 */
export function normaliseReview(review, paragraphs = []) {
  if (!review || review._u16) return review;
  const textOf = new Map(paragraphs.map((p) => [p.id, p.text]));
  const convertSuggestion = (s) => {
    if (!s || s.type === "insert" || !Array.isArray(s.edits)) return;
    for (const e of s.edits) {
      e.start = cpToU16(s.original, e.start);
      e.end = cpToU16(s.original, e.end);
    }
  };
  for (const f of review.findings || []) {
    const text = textOf.get(f.paragraph_id) ?? f.suggestion?.original;
    if (f.span && text != null) {
      f.span = { start: cpToU16(text, f.span.start), end: cpToU16(text, f.span.end) };
    }
    convertSuggestion(f.suggestion);
    for (const alt of f.alternatives || []) convertSuggestion(alt);
  }
  review._u16 = true;
  return review;
}

/** The kind of a suggestion: "edit" or "insert" (older responses may omit `type`). */
export function suggestionType(s) {
  if (!s) return null;
  if (s.type) return s.type;
  return s.insert_after !== undefined ? "insert" : "edit";
}

/**
 * Split pasted text into paragraphs. With blank lines present, blank lines separate paragraphs and
 * single line breaks inside one are hard wraps (joined with a space); otherwise each line is one.
 */
export function splitPastedText(text) {
  const norm = String(text || "").replace(/\r\n?/g, "\n").replace(/^(?:[ \t\u00a0]*\n)+|(?:\n[ \t\u00a0]*)+$/g, "");
  if (/\n[ \t\u00a0]*\n/.test(norm)) {
    return norm
      .split(/\n[ \t\u00a0]*\n+/)
      .map((block) => block.split("\n").map((l) => l.trim()).filter(Boolean).join(" "))
      .filter((p) => p.length > 0);
  }
  return norm.split("\n").map((l) => l.trim()).filter(Boolean);
}

/**
 * Findings the server merged (`covered_by`): the owner's suggestion already makes both changes, so
 * writing both would collide. Returns the items to write, with each owner carrying the comments of
 * the findings it covers, and `follow` (covered finding id -> owner id) so the caller reports the
 * owner's result for both. A covered finding whose owner is neither being applied nor already
 * applied (`alreadyApplied`) is written itself.
 */
export function collapseCovered(items, alreadyApplied = new Set()) {
  const chosen = new Set([...items.map((it) => it.finding.id), ...alreadyApplied]);
  const follow = new Map();
  const owners = new Map();
  const kept = [];
  for (const it of items) {
    const owner = it.finding.covered_by;
    if (owner && chosen.has(owner)) follow.set(it.finding.id, { owner, comment: it.finding.comment });
    else {
      const copy = { ...it, finding: { ...it.finding, comment: { ...(it.finding.comment || {}) } } };
      owners.set(it.finding.id, copy);
      kept.push(copy);
    }
  }
  for (const { owner, comment } of follow.values()) {
    const target = owners.get(owner)?.finding.comment;
    if (!target || !comment) continue;
    for (const k of ["counterparty", "internal"]) {
      if (comment[k] && !(target[k] || "").includes(comment[k])) target[k] = [target[k], comment[k]].filter(Boolean).join("\n\n");
    }
  }
  return { items: kept, follow: new Map([...follow].map(([fid, v]) => [fid, v.owner])) };
}
