// A hand-written fake of the slice of the Word JavaScript API (Office.js) the task pane uses.
//
// Works under Node (require / import) and as a classic <script> in a browser (defines
// globalThis.TermScoreFakeWord). It follows Office.js's proxy semantics closely enough to catch the
// usual bugs: properties and method results are readable only after load()/context.sync();
// searches are capped at 255 characters and understand ^^, ^t and ^l; matches are case-sensitive
// with matchCase, left to right and non-overlapping; ranges track the text they cover while the
// document changes around them. The document records every change: with changeTrackingMode
// TrackAll, inserted characters are marked inserted and deleted ones stay in place marked deleted
// (so accept-all and reject-all can be computed); without it, changes are applied directly and
// counted as untracked. Each tracked character remembers who changed it and when (`doc.user`, the
// Office user's name, as Word records it), so WordApi 1.6's tracked-change objects can be read by
// author, and the other side's round can be played: `doc.user = "Agency"`, edit, then accept or
// reject changes by author or words (`doc.accept(...)`, `doc.reject(...)`). Comments (WordApi 1.4)
// keep their author, date and replies: `doc.comment(words, text)` adds one as the current user, and
// the pane reads them with Range.getComments() and answers with comment.reply(text).
(function (root) {
  "use strict";

  const MAX_SEARCH = 255;

  function versionAtLeast(have, want) {
    const a = String(have).split(".").map(Number);
    const b = String(want).split(".").map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i] || 0;
      const y = b[i] || 0;
      if (x !== y) return x > y;
    }
    return true;
  }

  class OfficeExtensionError extends Error {
    constructor(code, message) {
      super(`${code}: ${message}`);
      this.code = code;
    }
  }

  // ---------------------------------------------------------------- the document model
  let nextParaId = 1;

  class Para {
    constructor(text, { style = "Normal", listString = null, inserted = false } = {}) {
      this.uid = `{FAKE-PARA-${String(nextParaId++).padStart(4, "0")}}`;
      this.chars = text.split("").map((c) => ({ c, ins: inserted, del: false, by: null, at: null })); // UTF-16 units, as Word counts
      this.style = style;
      this.listString = listString;
      this.inserted = inserted; // a tracked insertion of the whole paragraph
    }
    raw() { return this.chars.map((x) => x.c).join(""); }
    accepted() { return this.chars.filter((x) => !x.del).map((x) => x.c).join(""); }
    rejected() { return this.chars.filter((x) => !x.ins).map((x) => x.c).join(""); }
  }

  class Doc {
    constructor(paragraphs, version) {
      this.version = version;
      this.paras = paragraphs.map((p) =>
        typeof p === "string" ? new Para(p) : new Para(p.text, { style: p.style, listString: p.listString ?? null }));
      this.tracking = "Off";
      this.user = "Freelancer"; // the Office user's name: the author of every tracked change made now
      this.clock = Date.parse("2026-12-01T09:00:00Z");
      this.ranges = new Set(); // live ranges: {para, start, end}
      this.log = { insertions: [], deletions: [], comments: [], paragraphs: [], untracked: [], selections: [], searches: [] };
      this.commentIds = 0;
    }
    /** A comment by the current user on the first occurrence of `words` (the other side's, in a test). */
    comment(words, text) {
      for (const para of this.paras) {
        const at = para.raw().indexOf(words);
        if (at >= 0) return this.addComment(this.register(para, at, at + words.length), text);
      }
      throw new Error(`no paragraph holds ${JSON.stringify(words)}`);
    }
    addComment(anchor, text) {
      const { by, at } = this.stamp();
      const entry = { id: `{comment-${++this.commentIds}}`, text, author: by, date: at, resolved: false, replies: [], anchor,
                      paragraph: this.paras.indexOf(anchor.para) };
      Object.defineProperty(entry, "rangeText", {
        enumerable: true,
        get: () => entry.anchor.para.chars.slice(entry.anchor.start, entry.anchor.end).filter((x) => !x.del).map((x) => x.c).join(""),
      });
      this.log.comments.push(entry);
      return entry;
    }
    /** A reply by the current user in the thread of comment `id`. */
    reply(id, text) {
      const c = this.log.comments.find((x) => x.id === id);
      const { by, at } = this.stamp();
      const r = { id: `{reply-${++this.commentIds}}`, text, author: by, date: at };
      c.replies.push(r);
      return r;
    }
    /** The comments whose range meets [start, end] of `para` (Range.getComments). */
    commentsIn(para, start, end) {
      return this.log.comments.filter((c) => c.anchor.para === para && c.anchor.start <= end && c.anchor.end >= start);
    }
    tracked() { return this.tracking === "TrackAll" || this.tracking === "TrackMineOnly"; }
    register(para, start, end) {
      const r = { para, start, end };
      this.ranges.add(r);
      return r;
    }
    stamp() {
      this.clock += 60000;
      return { by: this.user, at: new Date(this.clock).toISOString() };
    }
    insertAt(para, pos, text) {
      const tracked = this.tracked();
      const { by, at } = tracked || para.inserted ? this.stamp() : { by: null, at: null };
      const chars = text.split("").map((c) => ({ c, ins: tracked || para.inserted, del: false, by, at }));
      para.chars.splice(pos, 0, ...chars);
      const n = chars.length;
      for (const r of this.ranges) {
        if (r.para !== para) continue;
        if (r.start >= pos) r.start += n;
        if (r.end > pos || (r.end === pos && r.start > pos)) r.end += n;
        if (r.end < r.start) r.end = r.start;
      }
      if (tracked) this.log.insertions.push({ text, paragraph: this.paras.indexOf(para) });
      else this.log.untracked.push({ op: "insert", text });
      return this.register(para, pos, pos + n);
    }
    removeAt(para, i) {
      para.chars.splice(i, 1);
      for (const r of this.ranges) {
        if (r.para !== para) continue;
        if (r.start > i) r.start -= 1;
        if (r.end > i) r.end -= 1;
      }
    }
    deleteRange(r) {
      const tracked = this.tracked();
      const text = r.para.chars.slice(r.start, r.end).filter((x) => !x.del).map((x) => x.c).join("");
      const { by, at } = this.stamp();
      for (let i = r.end - 1; i >= r.start; i--) {
        const ch = r.para.chars[i];
        if (!tracked || ch.ins) this.removeAt(r.para, i); // deleting an insertion removes it
        else if (!ch.del) Object.assign(ch, { del: true, by, at });
      }
      if (text) {
        if (tracked) this.log.deletions.push({ text, paragraph: this.paras.indexOf(r.para) });
        else this.log.untracked.push({ op: "delete", text });
      }
    }
    insertParagraph(anchor, text, where) {
      const tracked = this.tracked();
      const p = new Para(text, { style: anchor.style, listString: anchor.listString === null ? null : "", inserted: tracked });
      if (tracked) {
        const { by, at } = this.stamp();
        for (const ch of p.chars) Object.assign(ch, { by, at });
        p.by = by;
      }
      const idx = this.paras.indexOf(anchor);
      this.paras.splice(where === "Before" ? idx : idx + 1, 0, p);
      if (tracked) this.log.paragraphs.push({ text });
      else this.log.untracked.push({ op: "paragraph", text });
      return p;
    }
    /** The tracked changes of a paragraph, as Word lists them: runs of inserted or deleted
     * characters by one author, [{type: "Added" | "Deleted", author, date, start, end}] (raw offsets). */
    changesOf(para) {
      const out = [];
      para.chars.forEach((ch, i) => {
        const type = ch.ins ? "Added" : ch.del ? "Deleted" : null;
        const last = out[out.length - 1];
        if (!type) return;
        if (last && last.type === type && last.author === ch.by && last.end === i) last.end = i + 1;
        else out.push({ type, author: ch.by, date: ch.at, start: i, end: i + 1 });
      });
      return out;
    }
    /** Settle tracked changes as a reviewer would: `accept` keeps insertions and drops deletions,
     * reject the other way round. `author` and `contains` (the change's words) choose which. */
    settle(accept, { author, contains } = {}) {
      for (const para of [...this.paras]) {
        for (const c of this.changesOf(para).reverse()) {
          const words = para.chars.slice(c.start, c.end).map((x) => x.c).join("");
          if ((author !== undefined && c.author !== author) || (contains !== undefined && !words.includes(contains))) continue;
          const keep = (c.type === "Added") === accept;
          for (let i = c.end - 1; i >= c.start; i--) {
            if (keep) Object.assign(para.chars[i], { ins: false, del: false, by: null, at: null });
            else this.removeAt(para, i);
          }
        }
        if (para.inserted && !para.chars.some((x) => x.ins)) {
          if (accept || !para.chars.length) para.inserted = false;
        }
        if (para.inserted && !para.chars.length) this.paras.splice(this.paras.indexOf(para), 1);
      }
    }
    /** Accept or reject the tracked changes in [start, end) of `para` (one TrackedChange). */
    settleRange(para, start, end, accept) {
      for (let i = end - 1; i >= start; i--) {
        const ch = para.chars[i];
        if (!ch || (!ch.ins && !ch.del)) continue;
        if ((ch.ins === accept) || (ch.del && !accept)) Object.assign(ch, { ins: false, del: false, by: null, at: null });
        else this.removeAt(para, i);
      }
    }
    accept(which) { this.settle(true, which); }
    reject(which) { this.settle(false, which); }
    acceptedTexts() { return this.paras.map((p) => p.accepted()); }
    rejectedTexts() { return this.paras.filter((p) => !p.inserted).map((p) => p.rejected()); }
    rawTexts() { return this.paras.map((p) => p.raw()); }
  }

  function parseSearch(s) {
    if (typeof s !== "string" || s.length === 0) throw new OfficeExtensionError("InvalidArgument", "empty search string");
    if (s.length > MAX_SEARCH) throw new OfficeExtensionError("SearchStringInvalidOrTooLong", `search string of ${s.length} characters`);
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c !== "^") { out += c; continue; }
      const n = s[++i];
      if (n === "^") out += "^";
      else if (n === "t") out += "\t";
      else if (n === "l") out += "\u000b";
      else if (n === "p") out += "\r"; // a paragraph mark: never inside one paragraph's text
      else throw new OfficeExtensionError("SearchStringInvalidOrTooLong", `unsupported special ^${n ?? ""} (a literal caret is ^^)`);
    }
    return out;
  }

  // ---------------------------------------------------------------- proxy objects
  class ClientObject {
    constructor(ctx) {
      this._ctx = ctx;
      this._values = Object.create(null);
      this._staged = null;
    }
    load(spec) {
      const props = [];
      if (typeof spec === "string") props.push(...spec.split(",").map((s) => s.trim()).filter(Boolean));
      else if (Array.isArray(spec)) props.push(...spec);
      else if (spec && typeof spec === "object" && spec.select) props.push(...String(spec.select).split(","));
      this._ctx._check();
      this._stage(props);
      return this;
    }
    _stage(props) {
      this._staged = this._staged || Object.create(null);
      const all = props.length ? props : this._defaultProps();
      for (const p of all) this._staged[p] = this._read(p);
      this._ctx._staged.add(this);
    }
    _commit() { Object.assign(this._values, this._staged); this._staged = null; }
    _get(name) {
      if (!(name in this._values)) {
        throw new OfficeExtensionError("PropertyNotLoaded", `The property '${name}' is not available. Call load() and context.sync() first.`);
      }
      return this._values[name];
    }
    _defaultProps() { return []; }
    _read(name) { throw new OfficeExtensionError("InvalidArgument", `unknown property ${name}`); }
  }

  class ClientResult {
    constructor(ctx, compute) {
      this._ctx = ctx;
      this._ready = false;
      this._staged = compute();
      ctx._results.push(this);
    }
    get value() {
      if (!this._ready) throw new OfficeExtensionError("PropertyNotLoaded", "ClientResult read before context.sync()");
      return this._v;
    }
  }

  class RangeObj extends ClientObject {
    constructor(ctx, r) { super(ctx); this._r = r; }
    _defaultProps() { return ["text", "isEmpty"]; }
    _read(name) {
      if (name === "text") return this._r.para.raw().slice(this._r.start, this._r.end);
      if (name === "isEmpty") return this._r.start === this._r.end;
      return super._read(name);
    }
    get text() { return this._get("text"); }
    get isEmpty() { return this._get("isEmpty"); }
    getReviewedText(type = "Current") {
      this._ctx._check();
      const { para, start, end } = this._r;
      const chars = para.chars.slice(start, end);
      return new ClientResult(this._ctx, () => chars.filter((x) => (type === "Original" ? !x.ins : !x.del)).map((x) => x.c).join(""));
    }
    insertText(text, location) {
      this._ctx._check();
      const doc = this._ctx._doc;
      const r = this._r;
      if (location === "Replace") {
        doc.deleteRange(r);
        return new RangeObj(this._ctx, doc.insertAt(r.para, r.end, text));
      }
      if (location === "After" || location === "End") return new RangeObj(this._ctx, doc.insertAt(r.para, r.end, text));
      if (location === "Before" || location === "Start") return new RangeObj(this._ctx, doc.insertAt(r.para, r.start, text));
      throw new OfficeExtensionError("InvalidArgument", `insertText location ${location}`);
    }
    delete() { this._ctx._check(); this._ctx._doc.deleteRange(this._r); }
    expandTo(other) {
      this._ctx._check();
      if (other._r.para !== this._r.para) throw new OfficeExtensionError("InvalidArgument", "expandTo across paragraphs is not modelled");
      const start = Math.min(this._r.start, other._r.start);
      const end = Math.max(this._r.end, other._r.end);
      return new RangeObj(this._ctx, this._ctx._doc.register(this._r.para, start, end));
    }
    insertComment(text) {
      this._ctx._check();
      return new CommentObj(this._ctx, this._ctx._doc.addComment(this._r, text));
    }
    getComments() {
      this._ctx._check();
      const doc = this._ctx._doc;
      if (!versionAtLeast(doc.version, "1.4")) throw new OfficeExtensionError("ApiNotFound", "getComments needs WordApi 1.4");
      const { para, start, end } = this._r;
      return new ItemCollection(this._ctx, doc.commentsIn(para, start, end).map((c) => new CommentObj(this._ctx, c)), null);
    }
    select() { this._ctx._check(); this._ctx._doc.log.selections.push({ paragraph: this._ctx._doc.paras.indexOf(this._r.para), start: this._r.start, end: this._r.end, text: this._read("text") }); }
  }

  // A collection of proxies (ranges, tracked changes): `load("items/text")` loads the items too.
  class ItemCollection extends ClientObject {
    constructor(ctx, items, itemProps) { super(ctx); this._items = items; this._itemProps = itemProps; }
    _defaultProps() { return ["items"]; }
    load(spec) {
      super.load(["items"]);
      const props = typeof spec === "string" ? spec.split(",").map((s) => s.trim().replace(/^items\//, "")).filter((p) => p && p !== "items") : [];
      for (const item of this._staged.items) item._stage(props.length ? props : this._itemProps || item._defaultProps());
      return this;
    }
    _read(name) {
      if (name === "items") return this._items;
      return super._read(name);
    }
    get items() { return this._get("items"); }
  }

  // WordApi 1.4: a reply (author, content, date) and a comment, which is a reply that starts a
  // thread (and can be resolved, and answered).
  class ReplyObj extends ClientObject {
    constructor(ctx, entry) { super(ctx); this._e = entry; }
    _defaultProps() { return ["id", "authorName", "content", "creationDate"]; }
    _read(name) {
      const e = this._e;
      if (name === "id") return e.id;
      if (name === "authorName") return e.author;
      if (name === "content") return e.text;
      if (name === "creationDate") return new Date(e.date);
      return super._read(name);
    }
    get id() { return this._get("id"); }
    get authorName() { return this._get("authorName"); }
    get content() { return this._get("content"); }
    get creationDate() { return this._get("creationDate"); }
  }

  class CommentObj extends ReplyObj {
    _defaultProps() { return [...super._defaultProps(), "resolved"]; }
    _read(name) { return name === "resolved" ? this._e.resolved : super._read(name); }
    get resolved() { return this._get("resolved"); }
    get replies() { return new ItemCollection(this._ctx, this._e.replies.map((r) => new ReplyObj(this._ctx, r)), null); }
    reply(text) {
      this._ctx._check();
      return new ReplyObj(this._ctx, this._ctx._doc.reply(this._e.id, text));
    }
  }

  class RangeCollection extends ItemCollection {
    constructor(ctx, ranges) { super(ctx, ranges, ["text"]); }
  }


  // WordApi 1.6: a tracked change (type, author, date, text) and the range it covers.
  class TrackedChangeObj extends ClientObject {
    constructor(ctx, para, change) {
      super(ctx);
      this._p = para;
      this._c = ctx._doc.register(para, change.start, change.end);
      this._change = change;
    }
    _defaultProps() { return ["type", "author", "date", "text"]; }
    _read(name) {
      const c = this._change;
      if (name === "type") return c.type;
      if (name === "author") return c.author;
      if (name === "date") return new Date(c.date); // Office.js gives a Date
      if (name === "text") return this._p.chars.slice(this._c.start, this._c.end).map((x) => x.c).join("");
      return super._read(name);
    }
    get type() { return this._get("type"); }
    get author() { return this._get("author"); }
    get date() { return this._get("date"); }
    get text() { return this._get("text"); }
    accept() { this._ctx._check(); this._ctx._doc.settleRange(this._p, this._c.start, this._c.end, true); }
    reject() { this._ctx._check(); this._ctx._doc.settleRange(this._p, this._c.start, this._c.end, false); }
    getRange(location = "Whole") {
      this._ctx._check();
      const { start, end } = this._c;
      const [s, e] = location === "Start" ? [start, start] : location === "End" ? [end, end] : [start, end];
      return new RangeObj(this._ctx, this._ctx._doc.register(this._p, s, e));
    }
  }

  class TrackedChangeCollection extends ItemCollection {
    constructor(ctx, changes) { super(ctx, changes, null); }
  }


  class ListItemObj extends ClientObject {
    constructor(ctx, para) { super(ctx); this._p = para; }
    _read(name) {
      if (name === "listString") return this._p.listString ?? "";
      if (name === "isNullObject") return this._p.listString === null;
      return super._read(name);
    }
    get isNullObject() { return this._p.listString === null; }
    get listString() { return this._get("listString"); }
  }

  const paraCache = new WeakMap();

  class ParagraphObj extends ClientObject {
    constructor(ctx, para) { super(ctx); this._p = para; }
    static of(ctx, para) {
      let byCtx = paraCache.get(ctx);
      if (!byCtx) paraCache.set(ctx, (byCtx = new Map()));
      if (!byCtx.has(para)) byCtx.set(para, new ParagraphObj(ctx, para));
      return byCtx.get(para);
    }
    _defaultProps() { return ["text", "style", "isListItem"]; }
    _read(name) {
      const p = this._p;
      switch (name) {
        case "text": return p.raw(); // like some platforms: includes text marked as deleted
        case "style": return p.style;
        case "isListItem": return p.listString !== null;
        case "uniqueLocalId":
          if (!versionAtLeast(this._ctx._doc.version, "1.6")) throw new OfficeExtensionError("ApiNotFound", "uniqueLocalId needs WordApi 1.6");
          return p.uid;
        default: return super._read(name);
      }
    }
    get text() { return this._get("text"); }
    get style() { return this._get("style"); }
    set style(v) { this._ctx._check(); this._p.style = v; }
    get isListItem() { return this._get("isListItem"); }
    get uniqueLocalId() { return this._get("uniqueLocalId"); }
    get listItemOrNullObject() { return new ListItemObj(this._ctx, this._p); }
    getReviewedText(type = "Current") {
      this._ctx._check();
      return new ClientResult(this._ctx, () => (type === "Original" ? this._p.rejected() : this._p.accepted()));
    }
    getText(options = {}) {
      this._ctx._check();
      if (!versionAtLeast(this._ctx._doc.version, "1.7")) throw new OfficeExtensionError("ApiNotFound", "getText needs WordApi 1.7");
      const withDeleted = options.includeTextMarkedAsDeleted ?? options.IncludeTextMarkedAsDeleted ?? false;
      return new ClientResult(this._ctx, () => (withDeleted ? this._p.raw() : this._p.accepted()));
    }
    search(searchText, options = {}) {
      this._ctx._check();
      const doc = this._ctx._doc;
      doc.log.searches.push(searchText);
      let literal;
      try {
        literal = parseSearch(searchText);
      } catch (err) {
        this._ctx._fail(err);
        return new RangeCollection(this._ctx, []);
      }
      const hay = this._p.raw();
      const cmpHay = options.matchCase ? hay : hay.toLowerCase();
      const needle = options.matchCase ? literal : literal.toLowerCase();
      const found = [];
      let i = cmpHay.indexOf(needle);
      while (i !== -1) {
        found.push(new RangeObj(this._ctx, doc.register(this._p, i, i + needle.length)));
        i = cmpHay.indexOf(needle, i + needle.length);
      }
      return new RangeCollection(this._ctx, found);
    }
    getRange(location = "Whole") {
      this._ctx._check();
      const n = this._p.chars.length;
      const [s, e] = location === "Start" ? [0, 0] : location === "End" ? [n, n] : [0, n];
      return new RangeObj(this._ctx, this._ctx._doc.register(this._p, s, e));
    }
    insertText(text, location) { return this.getRange(location === "Start" ? "Start" : location === "End" ? "End" : "Whole").insertText(text, location === "Replace" ? "Replace" : location === "Start" ? "Before" : "After"); }
    insertParagraph(text, location) {
      this._ctx._check();
      if (location !== "After" && location !== "Before") throw new OfficeExtensionError("InvalidArgument", `insertParagraph location ${location}`);
      return ParagraphObj.of(this._ctx, this._ctx._doc.insertParagraph(this._p, text, location));
    }
    getTrackedChanges() {
      this._ctx._check();
      if (!versionAtLeast(this._ctx._doc.version, "1.6")) throw new OfficeExtensionError("ApiNotFound", "getTrackedChanges needs WordApi 1.6");
      const doc = this._ctx._doc;
      return new TrackedChangeCollection(this._ctx, doc.changesOf(this._p).map((c) => new TrackedChangeObj(this._ctx, this._p, c)));
    }
    detachFromList() { this._ctx._check(); this._p.listString = null; }
    select() { this.getRange("Whole").select(); }
  }

  class ParagraphCollection extends ClientObject {
    _defaultProps() { return ["items"]; }
    load(spec) {
      super.load(["items"]);
      let props = [];
      if (typeof spec === "string") props = spec.split(",").map((s) => s.trim().replace(/^items\//, "")).filter((p) => p && p !== "items");
      for (const item of this._staged.items) item._stage(props);
      return this;
    }
    _read(name) {
      if (name === "items") return this._ctx._doc.paras.map((p) => ParagraphObj.of(this._ctx, p));
      return super._read(name);
    }
    get items() { return this._get("items"); }
  }

  class DocumentObj extends ClientObject {
    constructor(ctx) {
      super(ctx);
      // Office.js caches navigation properties too
      this.body = {
        paragraphs: new ParagraphCollection(ctx),
        getComments: () => {
          ctx._check();
          const doc = ctx._doc;
          if (!versionAtLeast(doc.version, "1.4")) throw new OfficeExtensionError("ApiNotFound", "getComments needs WordApi 1.4");
          return new ItemCollection(ctx, doc.log.comments.map((c) => new CommentObj(ctx, c)), null);
        },
      };
    }
    _read(name) {
      if (name === "changeTrackingMode") return this._ctx._doc.tracking;
      return super._read(name);
    }
    get changeTrackingMode() { return this._get("changeTrackingMode"); }
    set changeTrackingMode(v) {
      this._ctx._check();
      if (!["Off", "TrackAll", "TrackMineOnly"].includes(v)) throw new OfficeExtensionError("InvalidArgument", `changeTrackingMode ${v}`);
      this._ctx._doc.tracking = v;
    }
  }

  class RequestContext {
    constructor(doc) {
      this._doc = doc;
      this._staged = new Set();
      this._results = [];
      this._error = null;
      this._closed = false;
      this.syncCount = 0;
      this.document = new DocumentObj(this);
      this.trackedObjects = { add() {}, remove() {} };
    }
    _check() {
      if (this._closed) throw new OfficeExtensionError("InvalidObjectPath", "object used after its Word.run ended");
    }
    _fail(err) { if (!this._error) this._error = err; }
    async sync() {
      this._check();
      this.syncCount += 1;
      this._doc.syncs = (this._doc.syncs || 0) + 1;
      await Promise.resolve();
      if (this._error) {
        const err = this._error;
        this._error = null;
        this._staged.clear();
        this._results = [];
        throw err;
      }
      for (const o of this._staged) o._commit();
      this._staged.clear();
      for (const r of this._results) { r._v = r._staged; r._ready = true; }
      this._results = [];
    }
  }

  // ---------------------------------------------------------------- public surface
  function create(paragraphs, { version = "1.4", host = "Word" } = {}) {
    const doc = new Doc(paragraphs, version);
    const Word = {
      run: async (fn) => {
        const ctx = new RequestContext(doc);
        try {
          const result = await fn(ctx);
          await ctx.sync();
          return result;
        } finally {
          ctx._closed = true;
        }
      },
      ChangeTrackingMode: { off: "Off", trackAll: "TrackAll", trackMineOnly: "TrackMineOnly" },
      InsertLocation: { replace: "Replace", start: "Start", end: "End", before: "Before", after: "After" },
    };
    // The document's custom XML parts (Office's Common API, callback style: {status, value, error}).
    const parts = [];
    let partIds = 0;
    const ok = (cb, value) => setTimeout(() => cb({ status: "succeeded", value }), 0);
    const namespaceOf = (xml) => (String(xml).match(/<(?:[\w.-]+:)?[\w.-]+[^>]*?\sxmlns="([^"]*)"/) || [])[1] || "";
    const makePart = (xml) => {
      const part = {
        id: `{part-${++partIds}}`,
        namespaceUri: namespaceOf(xml),
        getXmlAsync: (cb) => ok(cb, xml),
        deleteAsync: (cb) => {
          const i = parts.indexOf(part);
          if (i >= 0) parts.splice(i, 1);
          ok(cb);
        },
      };
      return part;
    };
    const customXmlParts = {
      addAsync(xml, cb) {
        if (!/^\s*(?:<\?xml[^>]*\?>\s*)?</.test(String(xml))) {
          setTimeout(() => cb({ status: "failed", error: { message: "The XML is not well-formed." } }), 0);
          return;
        }
        const part = makePart(xml);
        parts.push(part);
        ok(cb, part);
      },
      getByNamespaceAsync: (ns, cb) => ok(cb, parts.filter((p) => p.namespaceUri === ns)),
    };
    doc.customXml = parts;
    const Office = {
      HostType: { Word: "Word" },
      context: {
        requirements: { isSetSupported: (name, v) => name === "WordApi" && versionAtLeast(version, v || "1.1") },
        document: { customXmlParts },
      },
      onReady(cb) {
        const info = { host, platform: host ? "PC" : null };
        if (cb) cb(info);
        return Promise.resolve(info);
      },
    };
    return { Word, Office, doc };
  }

  function install(win, paragraphs, options) {
    const fake = create(paragraphs, options);
    win.Word = fake.Word;
    win.Office = fake.Office;
    win.__fakeWord = fake;
    return fake;
  }

  const api = { create, install, parseSearch, OfficeExtensionError, MAX_SEARCH };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.TermScoreFakeWord = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
