"""Write review suggestions into a .docx as real tracked changes with Word comments.

See ``docs/docx-redlines.md`` for the XML shapes written and the decisions behind them.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from . import customxml
from .comments import CT_COMMENTS_EXTENDED, PARA_ID, REL_COMMENTS_EXTENDED, W15_NS, part_root, w15
from .errors import DocxError
from .ooxml import (
    CT_COMMENTS, CT_MAIN_DOCUMENT, CT_NS, CT_SETTINGS, PKG_REL_NS, REL_COMMENTS, REL_SETTINGS, W_NS, XML_SPACE, w,
)
from .package import DEFAULT_LIMITS, DocxPackage, Limits, open_package
from .reader import (
    Numbering, Piece, Scan, ScannedParagraph, Styles, _scan_paragraph, comment_part_names, scan_package,
)

# statuses in the report
APPLIED, COMMENTED, SKIPPED = "applied", "commented", "skipped"

_EDITABLE_CONTAINERS = {w("p"), w("hyperlink"), w("smartTag"), w("customXml")}
_TEXTLIKE = {w("t"), w("tab"), w("ptab"), w("br"), w("cr"), w("noBreakHyphen"),
             w("softHyphen"), w("sym")}
_XML_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
#: What XML 1.0 cannot hold at all (its Char production): C0 controls but tab, newline and carriage
#: return, lone surrogates, U+FFFE and U+FFFF. lxml refuses such a string with a generic message.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_incompatible(text: str) -> bool:
    """True when ``text`` has a character no XML attribute or element can hold."""
    return _XML_INVALID.search(text) is not None

_REASON_TEXT = {
    "revision": "the edit touches text that is already a tracked change",
    "field": "the edit touches a field (its result is computed by Word)",
    "content_control": "the edit touches a content control",
    "math": "the edit touches an equation",
    "format_revision": "the edit touches a tracked formatting change",
    "no_anchor": "no editable text next to the insertion point",
}


def _get(obj, key, default=None):
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _format_date(date) -> str:
    if date is None:
        date = _dt.datetime.now(_dt.timezone.utc)
    if isinstance(date, str):
        return date
    if isinstance(date, _dt.datetime):
        if date.tzinfo is not None:
            date = date.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return date.replace(microsecond=0).isoformat() + "Z"
    raise TypeError("date must be a datetime, an ISO string or None")


def _comment_text(comment) -> str | None:
    if comment is None:
        return None
    if isinstance(comment, Mapping):  # the wire format's {"counterparty": ..., "internal": ...}
        comment = comment.get("counterparty") or comment.get("internal")
    if comment is None:
        return None
    text = str(comment)
    return text if text.strip() else None


@dataclass
class _Change:
    index: int
    finding_id: str
    comment: str | None
    kind: str  # edit | insert | comment | reply
    paragraph_id: str | None = None
    reply_to: str | None = None  # reply: the id of the comment answered
    original: str | None = None
    revised: str | None = None
    edits: list[tuple[int, int, str]] = field(default_factory=list)
    paragraphs: list[dict] = field(default_factory=list)
    status: str | None = None
    reason: str | None = None
    # elements the change wrote, for anchoring its comment
    touched: list = field(default_factory=list)
    comment_paragraph: object = None  # comment on a whole paragraph instead
    new_paragraphs: list = field(default_factory=list)


class _Threads:
    """The file's comment parts, and where each existing comment is marked in the document (read
    only when a reply needs to stand beside one)."""

    def __init__(self, pkg: DocxPackage, doc_root):
        self.pkg, self.doc_root = pkg, doc_root
        self.comments, self.extended = comment_part_names(pkg)

    @cached_property
    def anchors(self) -> dict[str, tuple]:
        """comment id -> (its w:commentRangeStart, w:commentRangeEnd, the w:r of its reference), each
        None when absent; only comments the comments part has."""
        root = part_root(self.pkg, self.comments)
        known = {c.get(w("id")) for c in root.iter(w("comment"))} if root is not None else set()
        marks: dict[str, list] = {}
        for el in self.doc_root.iter(w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")):
            cid = el.get(w("id"))
            if cid not in known:
                continue
            slot = marks.setdefault(cid, [None, None, None])
            if el.tag == w("commentRangeStart"):
                slot[0] = slot[0] if slot[0] is not None else el
            elif el.tag == w("commentRangeEnd"):
                slot[1] = el
            elif el.getparent() is not None and el.getparent().tag == w("r"):
                slot[2] = el.getparent()
        return {cid: tuple(v) for cid, v in marks.items()}


class _ParaIds:
    """The ``w14:paraId`` of comments' paragraphs, which thread entries name: read, or given to a
    paragraph that has none (unique in the part, below 0x80000000 as Word requires)."""

    def __init__(self, root, document_root):
        self.root = root
        self.used = {el.get(PARA_ID) for top in (root, document_root) for el in top.iter(w("p")) if el.get(PARA_ID)}
        self.next = 0x1000_0000

    def comment(self, cid: str):
        return next((c for c in self.root.iter(w("comment")) if c.get(w("id")) == cid), None)

    def last_of(self, comment) -> str | None:
        if comment is None:
            return None
        paragraphs = comment.findall(w("p"))
        if not paragraphs:
            paragraphs = [etree.SubElement(comment, w("p"))]
        last = paragraphs[-1]
        if not last.get(PARA_ID):
            while f"{self.next:08X}" in self.used:
                self.next += 1
            value = f"{self.next:08X}"
            self.used.add(value)
            last.set(PARA_ID, value)
        return last.get(PARA_ID)


class _Ids:
    def __init__(self, start: int):
        self.next = start

    def __call__(self) -> str:
        value = self.next
        self.next += 1
        return str(value)


def redline_docx(data: bytes, changes, author: str = "TermScore", date=None, *,
                 initials: str | None = None, limits: Limits = DEFAULT_LIMITS,
                 custom_xml: bytes | Callable[[list[dict]], bytes] | None = None):
    """Return ``(docx_bytes, report)``.

    ``changes``: a sequence of mappings (or objects with the same attributes), one per finding::

        {"finding_id": "f-2", "comment": "text or None",
         "suggestion": {"type": "edit", "paragraph_id": "p-17", "original": "...",
                        "revised": "...", "edits": [{"start": 41, "end": 63, "text": ""}]}}
        {"finding_id": "f-5", "comment": "...",
         "suggestion": {"type": "insert", "insert_after": "p-23",
                        "paragraphs": [{"text": "...", "style": "Normal", "list_label": "5.4"}]}}
        {"finding_id": "f-7", "comment": "...", "paragraph_id": "p-3"}   # comment only
        {"finding_id": "f-9", "comment": "...", "reply_to": "12"}        # a reply in comment 12's thread

    The suggestion's keys may also sit directly on the change (``{"finding_id", "comment",
    "type": "edit", ...}``). ``report`` has one entry per change, in order:
    ``{"finding_id", "status": "applied" | "commented" | "skipped", "reason"}``.

    ``custom_xml``: an XML document kept in the file as a custom XML part (customxml.py), or a
    function of the report that returns it; it replaces the part whose root element has the same
    namespace, or is added as a new one.
    """
    if author and xml_incompatible(author):
        raise ValueError("The author name contains control characters, which a .docx cannot hold.")
    pkg = open_package(data, limits)
    scan = scan_package(pkg)
    writer = _Writer(pkg, scan, author=author, date=_format_date(date),
                     initials=initials or _initials(author))
    parsed = [writer.parse_change(i, c) for i, c in enumerate(changes or [])]
    writer.apply(parsed)
    report = [{"finding_id": c.finding_id, "status": c.status, "reason": c.reason} for c in parsed]
    if custom_xml is not None:
        writer.put_custom_xml(custom_xml(report) if callable(custom_xml) else custom_xml)
    return writer.save(), report


def _initials(author: str) -> str:
    parts = [p for p in re.split(r"\s+", author or "") if p]
    return "".join(p[0] for p in parts)[:8].upper() or "TS"


class _Writer:
    def __init__(self, pkg: DocxPackage, scan: Scan, author: str, date: str, initials: str):
        self.pkg = pkg
        self.scan = scan
        self.author = author or "TermScore"
        self.date = date
        self.initials = initials
        self.by_id = {sp.paragraph.id: sp for sp in scan.paragraphs}
        self.styles: Styles = scan.styles
        self.numbering = Numbering.load(pkg, self.styles)
        self.ids = _Ids(self._max_id() + 1)
        self.created: set = set()  # w:del elements this writer made (to find outermost wrappers)
        self.comments: list[tuple[str, str]] = []  # (id, text)
        self.threads = _Threads(pkg, scan.tree.getroot())
        self.replies: dict[str, str] = {}  # our reply's comment id -> the id of the comment it answers
        self.changed_parts: dict[str, bytes] = {}

    # -------------------------------------------------------------------------------- ids
    def _max_id(self) -> int:
        best = 0
        pat = re.compile(rb'w:id="(-?\d+)"')
        for name in self.pkg.names:
            if name.startswith("word/") and name.endswith(".xml"):
                for mo in pat.finditer(self.pkg.read(name)):
                    best = max(best, int(mo.group(1)))
        return best

    # -------------------------------------------------------------------------------- parsing
    def parse_change(self, index: int, raw) -> _Change:
        fid = str(_get(raw, "finding_id", None) or _get(raw, "id", None) or f"change-{index}")
        sug = _get(raw, "suggestion", None)
        if sug is None and _get(raw, "type", None) in ("edit", "insert"):
            sug = raw
        ch = _Change(index=index, finding_id=fid, comment=_comment_text(_get(raw, "comment")),
                     kind="comment")
        if sug is None:
            reply_to = _get(raw, "reply_to", None)
            if reply_to is not None:
                ch.kind, ch.reply_to = "reply", str(reply_to)
            ch.paragraph_id = _get(raw, "paragraph_id", None)
            return ch
        kind = _get(sug, "type", None)
        if kind == "edit":
            ch.kind = "edit"
            ch.paragraph_id = _get(sug, "paragraph_id", None) or _get(raw, "paragraph_id", None)
            ch.original = _get(sug, "original", None)
            ch.revised = _get(sug, "revised", None)
            try:
                ch.edits = [(int(_get(e, "start")), int(_get(e, "end")), str(_get(e, "text", "")
                             or "")) for e in (_get(sug, "edits", None) or [])]
            except (TypeError, ValueError):
                ch.status, ch.reason = SKIPPED, "invalid: edits need integer start/end"
        elif kind == "insert":
            ch.kind = "insert"
            ch.paragraph_id = _get(sug, "insert_after", None)
            ch.paragraphs = [
                {"text": str(_get(p, "text", "") or ""), "style": _get(p, "style", None),
                 "list_label": _get(p, "list_label", None)}
                for p in (_get(sug, "paragraphs", None) or [])
            ]
        else:
            ch.status, ch.reason = SKIPPED, f"invalid: unknown suggestion type {kind!r}"
        return ch

    # -------------------------------------------------------------------------------- apply
    def apply(self, changes: list[_Change]) -> None:
        per_para: dict[str, list[_Change]] = {}
        for ch in changes:
            if ch.status:
                continue
            if ch.kind == "edit":
                self._validate_edit(ch)
                if ch.status is None:
                    per_para.setdefault(ch.paragraph_id, []).append(ch)
            elif ch.kind == "insert":
                if ch.paragraph_id not in self.by_id:
                    ch.status, ch.reason = SKIPPED, "unknown_paragraph"
                elif not ch.paragraphs:
                    ch.status, ch.reason = SKIPPED, "invalid: no paragraphs to insert"
            elif ch.kind == "reply":
                if ch.comment is None:
                    ch.status, ch.reason = SKIPPED, "nothing to do"
                elif ch.reply_to not in self.threads.anchors:
                    ch.status, ch.reason = SKIPPED, "unknown_comment"
                else:
                    ch.status, ch.reason = COMMENTED, "reply"
            else:
                sp = self.by_id.get(ch.paragraph_id)
                if sp is None or ch.comment is None:
                    ch.status = SKIPPED
                    ch.reason = "unknown_paragraph" if sp is None else "nothing to do"
                elif self._comment_target(sp) is None:
                    ch.status, ch.reason = SKIPPED, "no paragraph outside the content control"
                else:
                    ch.status, ch.reason = COMMENTED, "comment only"
                    ch.comment_paragraph = self._comment_target(sp)

        for pid, group in per_para.items():
            self._apply_paragraph_edits(self.by_id[pid], group)

        last_inserted: dict[str, object] = {}
        for ch in changes:
            if ch.kind == "insert" and ch.status is None:
                self._apply_insert(ch, last_inserted)

        for ch in changes:
            if ch.kind == "reply" and ch.status == COMMENTED:
                self._attach_reply(ch)
            elif ch.comment is not None and ch.status in (APPLIED, COMMENTED):
                self._attach_comment(ch)

        self._set_track_revisions()

    def _validate_edit(self, ch: _Change) -> None:
        sp = self.by_id.get(ch.paragraph_id)
        if sp is None:
            ch.status, ch.reason = SKIPPED, "unknown_paragraph"
            return
        text = sp.paragraph.text
        if ch.original is not None and ch.original != text:
            ch.status, ch.reason = SKIPPED, "stale"
            return
        edits = sorted(ch.edits)
        prev_end = 0
        for start, end, _ in edits:
            if not (0 <= start <= end <= len(text)) or start < prev_end:
                ch.status, ch.reason = SKIPPED, "invalid: edits out of range or overlapping"
                return
            prev_end = end
        if not edits:
            ch.status, ch.reason = SKIPPED, "invalid: no edits"
            return
        revised = _apply_text(text, edits)
        if ch.revised is not None and ch.revised != revised:
            ch.status, ch.reason = SKIPPED, "invalid: edits do not produce revised"
            return
        ch.edits = edits

    # ----------------------------------------------------------------- edits in one paragraph
    def _apply_paragraph_edits(self, sp: ScannedParagraph, group: list[_Change]) -> None:
        text = sp.paragraph.text
        if sp.block_control is not None:
            # Tracked changes and comments inside block-level content controls are mangled by
            # LibreOffice (text lost, reject-all wrong): never edit there.
            for ch in group:
                self._fallback(ch, sp, "protected: the paragraph is inside a content control")
            return
        accepted: list[_Change] = []
        taken: list[tuple[int, int]] = []
        for ch in group:
            clash = any(_overlaps(s, e, a, b) for s, e, _ in ch.edits for a, b in taken)
            if clash:
                self._fallback(ch, sp, "overlap: another finding edits the same words")
                continue
            problem = None
            for s, e, _ in ch.edits:
                problem = _edit_problem(sp.pieces, text, s, e)
                if problem:
                    break
            if problem:
                self._fallback(ch, sp, f"protected: {_REASON_TEXT.get(problem, problem)}")
                continue
            accepted.append(ch)
            taken.extend((s, e) for s, e, _ in ch.edits)
        if not accepted:
            return

        # 1. split the runs the edits touch into one run per child, cut at every edit boundary
        bounds = sorted({b for ch in accepted for s, e, _ in ch.edits for b in (s, e)})
        touched_runs = []
        for piece in sp.pieces:
            if piece.run is None or not piece.editable:
                continue
            if any(piece.start <= b <= piece.end for b in bounds) or any(
                s < piece.end and piece.start < e for ch in accepted for s, e, _ in ch.edits
            ):
                if piece.run not in touched_runs:
                    touched_runs.append(piece.run)
        for run in touched_runs:
            _explode_run(run, sp.pieces, bounds)
        pieces = _rescan(sp)

        # 2. apply every edit right to left
        work = sorted(((s, e, t, ch) for ch in accepted for s, e, t in ch.edits),
                      key=lambda x: (x[0], x[1]), reverse=True)
        for s, e, t, ch in work:
            ch.touched.extend(self._apply_edit(sp.element, pieces, len(text), s, e, t))
        for ch in accepted:
            ch.status, ch.reason = APPLIED, None

    def _fallback(self, ch: _Change, sp: ScannedParagraph, reason: str) -> None:
        target = self._comment_target(sp)
        if ch.comment is not None and target is not None:
            ch.status, ch.reason = COMMENTED, reason
            ch.comment_paragraph = target
        else:
            ch.status, ch.reason = SKIPPED, reason

    def _comment_target(self, sp: ScannedParagraph):
        """The paragraph a comment about ``sp`` goes on: itself, or for a paragraph inside a
        block content control the nearest paragraph outside it (before, else after)."""
        if sp.block_control is None:
            return sp.element
        paras = self.scan.paragraphs
        i = paras.index(sp)
        for j in list(range(i - 1, -1, -1)) + list(range(i + 1, len(paras))):
            if paras[j].block_control is None:
                return paras[j].element
        return None

    def _outer(self, el):
        parent = el.getparent()
        while parent is not None and parent in self.created:
            el, parent = parent, parent.getparent()
        return el

    def _apply_edit(self, p_el, pieces: list[Piece], length: int, s: int, e: int, text: str):
        made = []
        dels = []
        if e > s:
            runs = []
            for pc in pieces:
                if pc.run is None:
                    continue
                inside = (s <= pc.start and pc.end <= e and pc.end > pc.start) or (
                    s < pc.start < e)
                if inside and pc.child.tag in _TEXTLIKE and pc.run not in runs:
                    runs.append(pc.run)
            current = None
            for run in runs:
                prev = run.getprevious()
                if current is not None and prev is current:
                    current.append(run)
                else:
                    current = self._make_mark("del")
                    run.addprevious(current)
                    current.append(run)
                    self.created.add(current)
                    dels.append(current)
                for t in run.iter(w("t")):
                    t.tag = w("delText")
            made.extend(dels)
        if not text:
            return made
        if dels:
            rpr_src = dels[0][0]
            ins = self._make_ins_run(text, _run_rpr(rpr_src))
            self._outer(dels[-1]).addnext(ins)
        else:
            before = next((pc for pc in reversed(pieces)
                           if pc.run is not None and pc.end == s and pc.end > pc.start), None)
            after = next((pc for pc in pieces
                          if pc.run is not None and pc.start == s and pc.end > pc.start), None)
            if before is not None and before.editable:
                ins = self._make_ins_run(text, _run_rpr(before.run))
                self._outer(before.run).addnext(ins)
            elif after is not None and after.editable:
                ins = self._make_ins_run(text, _run_rpr(after.run))
                self._outer(after.run).addprevious(ins)
            elif s == length:
                src = before.run if before is not None else None
                rpr = _run_rpr(src) if src is not None else _mark_rpr(p_el)
                ins = self._make_ins_run(text, rpr)
                p_el.append(ins)
            else:  # s == 0 (checked by _edit_problem)
                src = after.run if after is not None else None
                rpr = _run_rpr(src) if src is not None else _mark_rpr(p_el)
                ins = self._make_ins_run(text, rpr)
                ppr = p_el.find(w("pPr"))
                if ppr is not None:
                    ppr.addnext(ins)
                else:
                    p_el.insert(0, ins)
        made.append(ins)
        return made

    def _make_mark(self, kind: str):
        el = etree.Element(w(kind))
        el.set(w("id"), self.ids())
        el.set(w("author"), self.author)
        el.set(w("date"), self.date)
        return el

    def _make_ins_run(self, text: str, rpr):
        ins = self._make_mark("ins")
        ins.append(_make_run(text, rpr))
        return ins

    # ----------------------------------------------------------------- inserted paragraphs
    def _apply_insert(self, ch: _Change, last_inserted: dict) -> None:
        sp = self.by_id[ch.paragraph_id]
        anchor = sp.element
        after = last_inserted.get(ch.paragraph_id)
        if after is None:
            # after a paragraph inside a block content control: after the control instead
            after = sp.block_control if sp.block_control is not None else anchor
        start_after = after
        anchor_style = self.styles.paragraph_style_id(anchor)
        anchor_numbered = self.numbering.is_numbered(anchor, anchor_style)
        run_rpr = _last_text_rpr(sp.pieces)
        new_ps = []
        for spec in ch.paragraphs:
            style_id = self.styles.id_for(spec.get("style")) or anchor_style
            p = etree.Element(w("p"))
            ppr = _clean_ppr(anchor)
            _set_pstyle(ppr, style_id, self.styles.default_paragraph)
            numbered = bool(spec.get("list_label")) and anchor_numbered
            _set_numbering(ppr, numbered, anchor, anchor_style, style_id, self.numbering,
                           self.styles)
            mark = ppr.find(w("rPr"))
            if mark is None:
                mark = etree.SubElement(ppr, w("rPr"))
                _reorder_ppr(ppr)
            mark.insert(0, self._make_mark("ins"))
            if len(ppr):
                p.append(ppr)
            if spec["text"]:
                p.append(self._make_ins_run(spec["text"], copy.deepcopy(run_rpr)))
            after.addnext(p)
            after = p
            new_ps.append(p)
        last_inserted[ch.paragraph_id] = after
        # Reject-all removes an inserted paragraph mark by joining its paragraph with the next
        # one. When a paragraph follows the new ones, marking the new paragraphs' own marks is
        # clean (the empty remains join the following paragraph, which keeps its own mark).
        # When a table or the end of the container follows, nothing can be joined there: then do
        # what Word does and mark the mark *before* the new paragraphs instead, leaving the last
        # new paragraph the original mark, so reject joins the anchor's text into it.
        if not _followed_by_paragraph(after) and start_after.tag == w("p"):
            prev_mark = _ensure_mark_rpr(start_after)
            if prev_mark.find(w("ins")) is None:
                prev_mark.insert(0, self._make_mark("ins"))
            last_mark = new_ps[-1].find(f"{w('pPr')}/{w('rPr')}")
            ins_el = last_mark.find(w("ins")) if last_mark is not None else None
            if ins_el is not None:
                last_mark.remove(ins_el)
        ch.new_paragraphs = new_ps
        ch.status, ch.reason = APPLIED, None

    # ----------------------------------------------------------------- comments
    def _attach_comment(self, ch: _Change) -> None:
        cid = self.ids()
        self.comments.append((cid, ch.comment))
        start = etree.Element(w("commentRangeStart"))
        start.set(w("id"), cid)
        end = etree.Element(w("commentRangeEnd"))
        end.set(w("id"), cid)
        ref = _comment_ref_run(cid)
        if ch.new_paragraphs:
            first, last = ch.new_paragraphs[0], ch.new_paragraphs[-1]
            ppr = first.find(w("pPr"))
            if ppr is not None:
                ppr.addnext(start)
            else:
                first.insert(0, start)
            last.append(end)
            last.append(ref)
            return
        if ch.touched:
            p_el = _paragraph_of(ch.touched[0])
            tops = [_top_level(el, p_el) for el in ch.touched]
            order = {id(c): i for i, c in enumerate(p_el)}
            tops.sort(key=lambda el: order[id(el)])
            tops[0].addprevious(start)
            tops[-1].addnext(end)
            end.addnext(ref)
            return
        p_el = ch.comment_paragraph
        ppr = p_el.find(w("pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p_el.insert(0, start)
        p_el.append(end)
        p_el.append(ref)

    def _attach_reply(self, ch: _Change) -> None:
        """A reply in the thread of comment ``ch.reply_to``: a comment of its own over the same range
        (its marks beside the parent's, as Word writes a reply), tied to the parent in
        commentsExtended.xml when the comments are written."""
        cid = self.ids()
        self.comments.append((cid, ch.comment))
        self.replies[cid] = ch.reply_to
        start, end, ref = self.threads.anchors[ch.reply_to]
        if start is not None:
            mark = etree.Element(w("commentRangeStart"))
            mark.set(w("id"), cid)
            start.addnext(mark)
        end_mark = None
        if end is not None:
            end_mark = etree.Element(w("commentRangeEnd"))
            end_mark.set(w("id"), cid)
            end.addnext(end_mark)
        run = _comment_ref_run(cid)
        if ref is not None:
            ref.addnext(run)
        elif end_mark is not None:
            end_mark.addnext(run)
        else:  # the parent has no marks the writer can stand beside: the reply stays unanchored
            self.comments.pop()
            del self.replies[cid]
            ch.status, ch.reason = SKIPPED, "unknown_comment"

    # ----------------------------------------------------------------- package parts
    def _set_track_revisions(self) -> None:
        part = self._related(REL_SETTINGS)
        if part is None or not self.pkg.has(part):
            part = part or "word/settings.xml"
            root = etree.Element(w("settings"), nsmap={"w": W_NS})
            self._add_relationship(REL_SETTINGS, posixpath.relpath(part, "word"))
            self._add_override("/" + part, CT_SETTINGS)
        else:
            root = self.pkg.xml(part).getroot()
        if root.find(w("trackRevisions")) is None:
            el = etree.Element(w("trackRevisions"))
            anchor = None
            for child in root:
                if etree.QName(child).localname in _SETTINGS_BEFORE_TRACK:
                    anchor = child
            if anchor is not None:
                anchor.addnext(el)
            else:
                root.insert(0, el)
        self.changed_parts[part] = _serialize(root)

    def _related(self, rel_type: str) -> str | None:
        rels_name = self.pkg.rels_name(self.pkg.main_part)
        root = self._rels_root()
        folder = posixpath.dirname(self.pkg.main_part)
        del rels_name
        for rel in root:
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                if target.startswith("/"):
                    return target.lstrip("/")
                return posixpath.normpath(posixpath.join(folder, target))
        return None

    def _rels_root(self):
        if not hasattr(self, "_rels"):
            name = self.pkg.rels_name(self.pkg.main_part)
            if self.pkg.has(name):
                self._rels = self.pkg.xml(name).getroot()
            else:
                self._rels = etree.Element(f"{{{PKG_REL_NS}}}Relationships",
                                           nsmap={None: PKG_REL_NS})
        return self._rels

    def _add_relationship(self, rel_type: str, target: str) -> None:
        root = self._rels_root()
        used = {rel.get("Id") for rel in root}
        n = 1
        while f"rId{n}" in used:
            n += 1
        rel = etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship")
        rel.set("Id", f"rId{n}")
        rel.set("Type", rel_type)
        rel.set("Target", target)
        self.changed_parts[self.pkg.rels_name(self.pkg.main_part)] = _serialize(root)

    def _ct_root(self):
        if not hasattr(self, "_ct"):
            if self.pkg.has("[Content_Types].xml"):
                self._ct = self.pkg.xml("[Content_Types].xml").getroot()
            else:  # a package without one (Word refuses it): write the one it needs
                self._ct = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
                for ext, ctype in (("rels", "application/vnd.openxmlformats-package.relationships+xml"),
                                   ("xml", "application/xml")):
                    etree.SubElement(self._ct, f"{{{CT_NS}}}Default", Extension=ext, ContentType=ctype)
                etree.SubElement(self._ct, f"{{{CT_NS}}}Override", PartName="/" + self.pkg.main_part,
                                 ContentType=CT_MAIN_DOCUMENT)
                self.changed_parts["[Content_Types].xml"] = _serialize(self._ct)
        return self._ct

    def _add_override(self, part_name: str, content_type: str) -> None:
        root = self._ct_root()
        for el in root:
            if el.get("PartName") == part_name:
                return
        el = etree.SubElement(root, f"{{{CT_NS}}}Override")
        el.set("PartName", part_name)
        el.set("ContentType", content_type)
        self.changed_parts["[Content_Types].xml"] = _serialize(root)

    def _write_comments(self) -> None:
        if not self.comments:
            return
        part = self._related(REL_COMMENTS)
        if part is not None and self.pkg.has(part):
            root = self.pkg.xml(part).getroot()
        else:
            part = part or "word/comments.xml"
            root = etree.Element(w("comments"), nsmap={"w": W_NS})
            if self._related(REL_COMMENTS) is None:
                self._add_relationship(REL_COMMENTS, posixpath.relpath(part, "word"))
            self._add_override("/" + part, CT_COMMENTS)
        para_ids = _ParaIds(root, self.scan.tree.getroot())
        thread: list[tuple[str, str | None]] = []  # (paraId of one of our comments, its parent's)
        for cid, text in self.comments:
            c = etree.SubElement(root, w("comment"))
            c.set(w("id"), cid)
            c.set(w("author"), self.author)
            c.set(w("date"), self.date)
            c.set(w("initials"), self.initials)
            for i, line in enumerate(text.split("\n")):
                p = etree.SubElement(c, w("p"))
                if i == 0:
                    r = etree.SubElement(p, w("r"))
                    etree.SubElement(r, w("annotationRef"))
                r = etree.SubElement(p, w("r"))
                t = etree.SubElement(r, w("t"))
                t.text = _XML_BAD_CHARS.sub("", line.replace("\r", ""))
                t.set(XML_SPACE, "preserve")
            parent = self.replies.get(cid)
            if parent is not None or self.threads.extended is not None:
                # a thread entry for each comment of ours once the file keeps threads
                mine = para_ids.last_of(c)
                thread.append((mine, para_ids.last_of(para_ids.comment(parent)) if parent is not None else None))
        self.changed_parts[part] = _serialize(root)
        if thread:
            self._write_threads(thread)

    def _write_threads(self, thread: list[tuple[str, str | None]]) -> None:
        part = self.threads.extended
        if part is not None:
            root = self.pkg.xml(part).getroot()
        else:
            part = "word/commentsExtended.xml"
            n = 1
            while self.pkg.has(part):
                part, n = f"word/commentsExtended{n}.xml", n + 1
            root = etree.Element(w15("commentsEx"), nsmap={"w15": W15_NS})
            self._add_relationship(REL_COMMENTS_EXTENDED, posixpath.relpath(part, "word"))
            self._add_override("/" + part, CT_COMMENTS_EXTENDED)
        for mine, parent in thread:
            ex = etree.SubElement(root, w15("commentEx"))
            ex.set(w15("paraId"), mine)
            if parent is not None:
                ex.set(w15("paraIdParent"), parent)
            ex.set(w15("done"), "0")
        self.changed_parts[part] = _serialize(root)

    def put_custom_xml(self, data: bytes) -> None:
        namespace = etree.QName(etree.fromstring(data)).namespace
        part = customxml.find_part(self.pkg, namespace)
        if part is not None:
            self.changed_parts[part] = data
            return
        n = customxml.new_item_number(self.pkg)
        part = f"customXml/item{n}.xml"
        self.changed_parts[part] = data
        self.changed_parts[f"customXml/itemProps{n}.xml"] = customxml.item_props(namespace)
        self.changed_parts[f"customXml/_rels/item{n}.xml.rels"] = customxml.item_rels(n)
        self._add_relationship(customxml.REL_CUSTOM_XML, customxml.target_from_main(self.pkg, part))
        self._add_override(f"/customXml/itemProps{n}.xml", customxml.CT_CUSTOM_XML_PROPS)
        self._add_default("xml", "application/xml")

    def _add_default(self, extension: str, content_type: str) -> None:
        root = self._ct_root()
        if any(el.get("Extension", "").lower() == extension for el in root if el.tag == f"{{{CT_NS}}}Default"):
            return
        el = etree.Element(f"{{{CT_NS}}}Default")
        el.set("Extension", extension)
        el.set("ContentType", content_type)
        root.insert(0, el)  # Defaults come before Overrides
        self.changed_parts["[Content_Types].xml"] = _serialize(root)

    def save(self) -> bytes:
        self._write_comments()
        self.changed_parts[self.pkg.main_part] = _serialize(self.scan.tree.getroot())
        buf = io.BytesIO()
        existing = set(self.pkg.names)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self.pkg.infos:
                data = self.changed_parts.get(info.filename)
                if data is None:
                    data = self.pkg.read(info.filename)
                zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                zi.compress_type = info.compress_type
                zi.external_attr = info.external_attr
                out.writestr(zi, data)
            for name, data in self.changed_parts.items():
                if name not in existing:
                    out.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        return buf.getvalue()


_SETTINGS_BEFORE_TRACK = {
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle", "proofState",
    "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView",
}

# order of w:pPr children (CT_PPr); rPr, sectPr and pPrChange come last
_PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
]
_PPR_RANK = {name: i for i, name in enumerate(_PPR_ORDER)}


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _apply_text(text: str, edits) -> str:
    out = text
    for s, e, t in sorted(edits, reverse=True):
        out = out[:s] + t + out[e:]
    return out


def _overlaps(s, e, a, b) -> bool:
    if s == e or a == b:  # insertions clash only strictly inside another edit's range
        return (a < s < b) or (s < a < e) or (s == a and e == b)
    return s < b and a < e


def _edit_problem(pieces: list[Piece], text: str, s: int, e: int) -> str | None:
    for pc in pieces:
        if pc.end > pc.start and s < pc.end and pc.start < e and not pc.editable:
            return pc.reason or "revision"
    if e > s:
        return None
    # pure insertion: inside editable text, next to an editable neighbour, or at a paragraph edge
    for pc in pieces:
        if pc.start < s < pc.end:
            return None if (pc.editable and pc.run is not None) else (pc.reason or "revision")
    before = [pc for pc in pieces if pc.end == s and pc.end > pc.start]
    after = [pc for pc in pieces if pc.start == s and pc.end > pc.start]
    if (before and before[-1].editable and before[-1].run is not None) or (
            after and after[0].editable and after[0].run is not None):
        return None
    if s == 0 or s == len(text):
        return None
    return (before[-1].reason if before else None) or "no_anchor"


def _explode_run(run, pieces: list[Piece], bounds: list[int]) -> None:
    """Replace ``run`` by one run per content child, cutting w:t text at edit boundaries."""
    rpr = run.find(w("rPr"))
    starts = {id(pc.child): pc for pc in pieces if pc.run is run}
    new_runs = []
    for child in list(run):
        if child is rpr:
            continue
        chunks = [child]
        pc = starts.get(id(child))
        if child.tag == w("t") and pc is not None:
            cuts = [b - pc.start for b in bounds if pc.start < b < pc.end]
            if cuts:
                txt = child.text or ""
                chunks = []
                last = 0
                for cut in cuts + [len(txt)]:
                    t = etree.Element(w("t"))
                    t.text = txt[last:cut]
                    t.set(XML_SPACE, "preserve")
                    chunks.append(t)
                    last = cut
        for chunk in chunks:
            nr = etree.Element(w("r"), attrib=dict(run.attrib))
            if rpr is not None:
                nr.append(copy.deepcopy(rpr))
            nr.append(chunk)
            new_runs.append(nr)
    if not new_runs:
        return
    for nr in new_runs:
        run.addprevious(nr)
    run.getparent().remove(run)


def _rescan(sp: ScannedParagraph) -> list[Piece]:
    fresh = _scan_paragraph(sp.element, 0, (False, False), Styles(), Numbering())
    if fresh.paragraph.text != sp.paragraph.text:  # pragma: no cover - would be a bug
        raise DocxError("corrupt", "internal error: paragraph text changed while splitting runs")
    return fresh.pieces


def _run_rpr(run):
    rpr = run.find(w("rPr")) if run is not None else None
    if rpr is None:
        return None
    rpr = copy.deepcopy(rpr)
    for bad in rpr.findall(w("rPrChange")):
        rpr.remove(bad)
    return rpr


def _mark_rpr(p_el):
    """Run properties from the paragraph mark (for text typed into an empty paragraph)."""
    src = p_el.find(f"{w('pPr')}/{w('rPr')}")
    if src is None:
        return None
    rpr = etree.Element(w("rPr"))
    for child in src:
        if child.tag in (w("ins"), w("del"), w("moveFrom"), w("moveTo"), w("rPrChange")):
            continue
        rpr.append(copy.deepcopy(child))
    return rpr if len(rpr) else None


def _last_text_rpr(pieces: list[Piece]):
    for pc in reversed(pieces):
        if pc.run is not None and pc.end > pc.start and pc.child.tag == w("t"):
            return _run_rpr(pc.run)
    return None


def _make_run(text: str, rpr):
    r = etree.Element(w("r"))
    if rpr is not None and len(rpr):
        r.append(rpr)
    text = _XML_BAD_CHARS.sub("", text)
    buf: list[str] = []

    def flush():
        if buf:
            t = etree.SubElement(r, w("t"))
            t.text = "".join(buf)
            t.set(XML_SPACE, "preserve")
            buf.clear()

    for ch in text:
        if ch == "\t":
            flush()
            etree.SubElement(r, w("tab"))
        elif ch in ("\u000b", "\n", "\r", "\u2028"):
            flush()
            etree.SubElement(r, w("br"))
        elif ch == "\f":
            flush()
            etree.SubElement(r, w("br")).set(w("type"), "page")
        elif ch == "\u2011":
            flush()
            etree.SubElement(r, w("noBreakHyphen"))
        else:
            buf.append(ch)
    flush()
    return r


def _comment_ref_run(cid: str):
    r = etree.Element(w("r"))
    etree.SubElement(r, w("commentReference")).set(w("id"), cid)
    return r


def _paragraph_of(el):
    while el is not None and el.tag != w("p"):
        el = el.getparent()
    return el


def _top_level(el, p_el):
    while el.getparent() is not p_el:
        el = el.getparent()
    return el


def _clean_ppr(anchor):
    src = anchor.find(w("pPr"))
    ppr = copy.deepcopy(src) if src is not None else etree.Element(w("pPr"))
    for tag in ("sectPr", "pPrChange"):
        for el in ppr.findall(w(tag)):
            ppr.remove(el)
    rpr = ppr.find(w("rPr"))
    if rpr is not None:
        for el in list(rpr):
            if el.tag in (w("ins"), w("del"), w("moveFrom"), w("moveTo"), w("rPrChange")):
                rpr.remove(el)
    return ppr


def _reorder_ppr(ppr) -> None:
    children = sorted(list(ppr), key=lambda c: _PPR_RANK.get(etree.QName(c).localname, 32.5))
    for c in children:
        ppr.append(c)


def _set_pstyle(ppr, style_id, default_style) -> None:
    ps = ppr.find(w("pStyle"))
    if style_id is None or style_id == default_style:
        if ps is not None:
            ppr.remove(ps)
        return
    if ps is None:
        ps = etree.Element(w("pStyle"))
        ppr.insert(0, ps)
    ps.set(w("val"), style_id)


def _set_numbering(ppr, numbered: bool, anchor, anchor_style, style_id, numbering, styles):
    existing = ppr.find(w("numPr"))
    if existing is not None:
        ppr.remove(existing)
    if numbered:
        num_id, ilvl = numbering.num_pr_for(anchor, anchor_style)
        own_id, own_lvl = numbering.num_pr_for(etree.Element(w("p")), style_id)
        if (own_id, own_lvl) == (num_id, ilvl):
            return  # the style numbers it the same way
        numpr = etree.SubElement(ppr, w("numPr"))
        etree.SubElement(numpr, w("ilvl")).set(w("val"), str(ilvl))
        etree.SubElement(numpr, w("numId")).set(w("val"), str(num_id))
        _reorder_ppr(ppr)
        return
    own_id, _ = numbering.num_pr_for(etree.Element(w("p")), style_id)
    if own_id is not None:  # the style would number it: the text carries its own number
        numpr = etree.SubElement(ppr, w("numPr"))
        etree.SubElement(numpr, w("numId")).set(w("val"), "0")
        _reorder_ppr(ppr)


def _ensure_mark_rpr(p_el):
    ppr = p_el.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p_el.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(ppr, w("rPr"))
        _reorder_ppr(ppr)
    return rpr


def _followed_by_paragraph(p_el) -> bool:
    nxt = p_el.getnext()
    while nxt is not None:
        if nxt.tag in (w("p"), w("sdt"), w("customXml")):
            return True  # a block content control / custom XML starts with a paragraph
        if nxt.tag == w("tbl"):
            return False
        nxt = nxt.getnext()
    return False
