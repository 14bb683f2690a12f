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

function escapedLength(s) {
  return escapeSearch(s).length;
}

/** Where Word's search finds each literal of one paragraph (non-overlapping, left to right), cached. */
class Matches {
  constructor(text) {
    this.text = text;
    this.cache = new Map();
  }

  positions(literal) {
    let found = this.cache.get(literal);
    if (!found) {
      found = [];
      for (let i = this.text.indexOf(literal); i !== -1; i = this.text.indexOf(literal, i + literal.length)) found.push(i);
      this.cache.set(literal, found);
    }
    return found;
  }

  /** `text.slice(start, end)` as a search target, or null (too long, or skipped by Word's matches). */
  target(start, end) {
    const literal = this.text.slice(start, end);
    if (!literal || escapedLength(literal) > SEARCH_LIMIT) return null;
    const found = this.positions(literal);
    let lo = 0;
    let hi = found.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (found[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    if (found[lo] !== start) return null;
    return { text: literal, search: escapeSearch(literal), occurrence: lo };
  }
}

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;

/** One code point at `i` (two UTF-16 units for a surrogate pair). */
function pointEnd(text, i) {
  return isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1)) ? i + 2 : i + 1;
}

function pointStart(text, i) {
  return isLow(text.charCodeAt(i - 1)) && isHigh(text.charCodeAt(i - 2)) ? i - 2 : i - 1;
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
    if (i < end && i > start && isHigh(text.charCodeAt(i - 1))) i -= 1;
    return [start, i];
  }
  let i = end;
  while (i > start && budget - escapedLength(text[i - 1]) >= 0) {
    budget -= escapedLength(text[i - 1]);
    i -= 1;
  }
  if (i > start && i < end && isLow(text.charCodeAt(i))) i += 1;
  return [i, end];
}

/** Token ends in text.slice(from, to), tokenising from `from`. */
function tokenEnds(text, from, to) {
  const ends = [];
  for (const m of text.slice(from, to).matchAll(TOKEN)) ends.push(from + m.index + m[0].length);
  return ends;
}

/** The longest target beginning at `start`, ending by `end`: at a token boundary, else one character. */
function startingAt(m, start, end) {
  const [, limit] = clip(m.text, start, end, true);
  const bounds = [limit, ...tokenEnds(m.text, start, limit).filter((b) => b < limit).reverse(), pointEnd(m.text, start)];
  for (const b of bounds) {
    const found = b > start ? m.target(start, b) : null;
    if (found) return found;
  }
  throw new Error("a single character is always a non-overlapping match");
}

/** The longest target ending at `end`, beginning at or after `natural` (the preferred start) or `start`. */
function endingAt(m, start, end, natural = start) {
  const [first] = clip(m.text, natural, end, false);
  const bounds = [first, ...tokenEnds(m.text, first, end).filter((b) => b < end), pointStart(m.text, end)];
  for (const b of bounds) {
    const found = b < end ? m.target(b, end) : null;
    if (found) return found;
  }
  throw new Error("a single character is always a non-overlapping match");
}

/**
 * How to find `text.slice(start, end)` (or the insertion point `start` when start == end) with
 * paragraph.search(): the same shape, and the same choice, as the server's anchors
 * (docs/wire-format.md). Used when the pane must locate something in text the server never saw (a
 * paragraph the pane already edited). Always succeeds: what one search cannot find gets a head and
 * a tail; an insertion anchors on the longest findable text just before it.
 */
export function anchorFor(text, start, end, matches = null) {
  const m = matches || new Matches(text);
  if (start < end) {
    const whole = m.target(start, end);
    if (whole) return { mode: "replace", target: whole };
    return { mode: "replace", head: startingAt(m, start, end), tail: endingAt(m, start, end) };
  }
  if (start > 0) {
    const from = Math.max(0, start - 80);
    const toks = [];
    for (const t of text.slice(from, start).matchAll(TOKEN)) toks.push({ start: from + t.index, text: t[0] });
    let idx = toks.length - 1;
    while (idx > 0 && /^\s+$/.test(toks[idx].text)) idx -= 1;
    const s0 = toks.length ? toks[idx].start : pointStart(text, start);
    return { mode: "after", target: endingAt(m, 0, start, s0) };
  }
  if (!text) return { mode: "before", target: null };
  const first = text.match(/^([\p{L}\p{N}\p{M}_]+|\s+|[^\p{L}\p{N}\p{M}_\s])/u);
  return { mode: "before", target: startingAt(m, 0, first ? first[0].length : pointEnd(text, 0)) };
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
