"""Read the paragraphs of a .docx as Word shows them with all tracked changes accepted.

Paragraph ids are ``"p-<n>"``: n counts every paragraph of the main document story in document
order, body paragraphs and table-cell paragraphs alike (nested tables depth-first, cells row by
row), including paragraphs inside block-level content controls. The same bytes always give the
same ids, and :func:`addin_server.docx.writer.redline_docx` resolves ids with the same walk.
Headers, footers, footnotes, comments and text boxes are not part of the story and are not read;
the comments are read beside it (``DocxDocument.comments``, comments.py), with their reply threads
and the paragraphs their ranges cover.

Accepted view (what ``text`` holds):
- text in ``w:ins`` and ``w:moveTo`` counts; ``w:del``, ``w:moveFrom``, ``w:instrText`` do not;
- hyperlinks, smart tags, custom XML and content controls (``w:sdt``) are read through;
- complex fields (``w:fldChar``) contribute their result (between ``separate`` and ``end``), simple
  fields (``w:fldSimple``) their content;
- ``w:tab``/``w:ptab`` -> ``"\\t"``; ``w:br`` (text wrapping) and ``w:cr`` -> ``"\\u000b"``;
  ``w:br w:type="page"|"column"`` -> ``"\\f"``; ``w:noBreakHyphen`` -> ``"\\u2011"``;
  ``w:softHyphen`` is skipped; ``w:sym`` -> the character of its ``w:char`` code (best effort);
- Office Math (``m:t``) text counts; drawings, text boxes and note references do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from lxml import etree

from . import customxml
from .comments import REL_COMMENTS_EXTENDED, Comment, place_comments, read_comment_parts
from .errors import DocxError
from .ooxml import W_NS, m, w
from .package import DEFAULT_LIMITS, DocxPackage, Limits, open_package

# --------------------------------------------------------------------------------------------
# public model


@dataclass(frozen=True)
class Revision:
    """A tracked change in a paragraph, by its author: where it sits in the paragraph's text (the
    text with every tracked change accepted, as ``DocxParagraph.text``), and what it changed.

    ``kind``: ``insertion`` / ``move_to`` (``text`` is ``DocxParagraph.text[start:end]``),
    ``deletion`` / ``move_from`` (``start == end``, where the deleted ``text`` stood), or ``format``
    (a run whose formatting was changed; ``text`` is that run's text)."""

    kind: str
    author: str | None
    date: str | None
    start: int
    end: int
    text: str

    def to_wire(self) -> dict:
        return {"kind": self.kind, "author": self.author, "date": self.date, "start": self.start,
                "end": self.end, "text": self.text}


@dataclass(frozen=True)
class DocxParagraph:
    id: str
    text: str
    style: str | None = None
    list_label: str | None = None
    in_table: bool = False
    has_revisions: bool = False
    has_fields: bool = False
    has_content_controls: bool = False
    has_comments: bool = False
    section_break: bool = False  # the paragraph mark carries a w:sectPr (ends a section)
    revisions: tuple[Revision, ...] = ()  # its tracked changes, with their authors, in document order

    def to_request(self) -> dict:
        """The paragraph in the shape of ``POST /api/v1/review``'s ``paragraphs`` items."""
        out: dict = {"id": self.id, "text": self.text}
        if self.style:
            out["style"] = self.style
        if self.list_label:
            out["list_label"] = self.list_label
        return out

    def __getitem__(self, key: str):  # dict-like read access
        return getattr(self, key)


@dataclass(frozen=True)
class DocxDocument:
    paragraphs: tuple[DocxParagraph, ...]
    main_part: str = "word/document.xml"
    #: the file's custom XML parts by the namespace of their root element (customxml.py)
    custom_xml: dict[str, bytes] = field(default_factory=dict, compare=False)
    #: the comments and replies, in the comments part's order, each with its thread and anchor
    comments: tuple[Comment, ...] = field(default=(), compare=False)
    _by_id: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        if not self._by_id:
            object.__setattr__(self, "_by_id", {p.id: p for p in self.paragraphs})

    def __iter__(self) -> Iterator[DocxParagraph]:
        return iter(self.paragraphs)

    def __len__(self) -> int:
        return len(self.paragraphs)

    def get(self, pid: str) -> DocxParagraph | None:
        return self._by_id.get(pid)

    def __getitem__(self, pid: str) -> DocxParagraph:
        return self._by_id[pid]

    def to_request(self) -> list[dict]:
        return [p.to_request() for p in self.paragraphs]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


def read_docx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> DocxDocument:
    """Open an uploaded .docx safely and return its paragraphs (accepted view) in order.

    Raises :class:`DocxError` for anything that is not a readable, macro-free .docx.
    """
    pkg = open_package(data, limits)
    scan = scan_package(pkg)
    custom: dict[str, bytes] = {}
    for part in customxml.item_parts(pkg):
        namespace = customxml.root_namespace(pkg, part)
        if namespace and namespace not in custom:
            custom[namespace] = pkg.read(part)
    return DocxDocument(
        paragraphs=tuple(s.paragraph for s in scan.paragraphs), main_part=pkg.main_part, custom_xml=custom,
        comments=read_comments(scan),
    )


def comment_part_names(pkg: DocxPackage) -> tuple[str | None, str | None]:
    """The file's comments part and its thread part (commentsExtended.xml), each None when absent."""
    names = (_related_part(pkg, "comments"), _related_part(pkg, REL_COMMENTS_EXTENDED.rsplit("/", 1)[1]))
    return tuple(n if n and pkg.has(n) else None for n in names)


def read_comments(scan: "Scan") -> tuple[Comment, ...]:
    """The file's comments with their threads, placed on the story paragraphs they cover."""
    parts, threads = read_comment_parts(scan.pkg, *comment_part_names(scan.pkg))
    if not parts:
        return ()
    return place_comments(parts, threads, [(s.paragraph.id, s.comment_marks) for s in scan.paragraphs])


# --------------------------------------------------------------------------------------------
# internal model shared with the writer


@dataclass
class Piece:
    """One text-bearing child of a run, and where its text sits in the accepted text."""

    start: int
    end: int
    run: etree._Element  # the w:r
    child: etree._Element  # w:t, w:tab, w:br, ...
    editable: bool
    reason: str | None  # why not editable: revision | field | content_control | math | ...


@dataclass
class ScannedParagraph:
    paragraph: DocxParagraph
    element: etree._Element
    pieces: list[Piece]
    block_control: etree._Element | None = None  # outermost block-level w:sdt around it
    # (start | end | reference, comment id, offset in the paragraph's text)
    comment_marks: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class Scan:
    pkg: DocxPackage
    tree: etree._ElementTree
    styles: "Styles"
    paragraphs: list[ScannedParagraph]


def scan_package(pkg: DocxPackage) -> Scan:
    tree = pkg.xml(pkg.main_part)
    root = tree.getroot()
    if root.tag != w("document"):
        raise DocxError("not_docx", "The main part is not a WordprocessingML document.")
    styles = Styles.load(pkg)
    numbering = Numbering.load(pkg, styles)
    body = root.find(w("body"))
    out: list[ScannedParagraph] = []
    if body is not None:
        for p_el, ctx in _iter_block(body, in_table=False, in_cc=False):
            out.append(_scan_paragraph(p_el, len(out), ctx, styles, numbering))
    return Scan(pkg=pkg, tree=tree, styles=styles, paragraphs=out)


# --------------------------------------------------------------------------------------------
# block walk

_BLOCK_TRANSPARENT = {w("customXml"), w("ins"), w("moveTo")}
_BLOCK_SKIP = {w("sectPr"), w("tblPr"), w("tblGrid"), w("trPr"), w("tcPr"), w("sdtPr"),
               w("sdtEndPr"), w("tblPrEx"), w("del"), w("moveFrom")}


def _iter_block(container, in_table: bool, in_cc: bool):
    for child in container:
        tag = child.tag
        if tag == w("p"):
            yield child, (in_table, in_cc)
        elif tag == w("tbl"):
            yield from _iter_block(child, True, in_cc)
        elif tag == w("tr"):
            trpr = child.find(w("trPr"))
            if trpr is not None and trpr.find(w("del")) is not None:
                continue  # a tracked-deleted row is gone in the accepted view
            yield from _iter_block(child, True, in_cc)
        elif tag == w("tc"):
            yield from _iter_block(child, True, in_cc)
        elif tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _iter_block(content, in_table, True)
        elif tag in _BLOCK_TRANSPARENT:
            yield from _iter_block(child, in_table, in_cc)
        elif tag == f"{{{_MC}}}AlternateContent":
            choice = child.find(f"{{{_MC}}}Fallback")
            if choice is not None:
                yield from _iter_block(choice, in_table, in_cc)
        # everything else (sectPr, bookmarks, tblPr, ...) holds no story paragraphs


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


# --------------------------------------------------------------------------------------------
# inline walk

class _Flags:
    __slots__ = ("revisions", "fields", "cc", "comments")

    def __init__(self):
        self.revisions = self.fields = self.cc = self.comments = False


_INLINE_TRANSPARENT = {w("hyperlink"), w("smartTag"), w("customXml"), w("dir"), w("bdo")}
_REVISION_MARKS = {w("ins"), w("del"), w("moveFrom"), w("moveTo")}


def _scan_paragraph(p_el, index: int, ctx, styles: "Styles", numbering: "Numbering"):
    in_table, in_cc = ctx
    flags = _Flags()
    flags.cc = in_cc
    parts: list[str] = []
    pieces: list[Piece] = []
    pos = [0]
    fields: list[str] = []  # stack of "instr" | "result"
    # tracked changes: (kind, author, date, start, end, deleted text or None: filled from the text)
    marks: list[tuple[str, str | None, str | None, int, int, str | None]] = []
    comment_marks: list[tuple[str, str, int]] = []

    def emit(run, child, text: str, editable: bool, reason):
        start = pos[0]
        pos[0] += len(text)
        parts.append(text)
        pieces.append(Piece(start, pos[0], run, child, editable, reason))

    def walk(el, editable: bool, reason):
        for child in el:
            tag = child.tag
            if tag == w("r"):
                run(child, editable, reason)
            elif tag in _INLINE_TRANSPARENT:
                walk(child, editable, reason)
            elif tag == w("ins") or tag == w("moveTo"):
                flags.revisions = True
                start = pos[0]
                walk(child, False, "revision")
                marks.append(("insertion" if tag == w("ins") else "move_to", child.get(w("author")),
                              child.get(w("date")), start, pos[0], None))
            elif tag == w("del") or tag == w("moveFrom"):
                flags.revisions = True
                gone = "".join(t.text or "" for t in child.iter(w("delText"), w("t")))
                marks.append(("deletion" if tag == w("del") else "move_from", child.get(w("author")),
                              child.get(w("date")), pos[0], pos[0], gone))
            elif tag == w("sdt"):
                flags.cc = True
                content = child.find(w("sdtContent"))
                if content is not None:
                    walk(content, False, "content_control")
            elif tag == w("fldSimple"):
                flags.fields = True
                walk(child, False, "field")
            elif tag in (m("oMath"), m("oMathPara")):
                for t in child.iter(m("t")):
                    emit(None, t, t.text or "", False, "math")
            elif tag in (w("commentRangeStart"), w("commentRangeEnd")):
                flags.comments = True
                comment_marks.append(("start" if tag == w("commentRangeStart") else "end", child.get(w("id")) or "",
                                      pos[0]))
            elif tag == w("pPr"):
                if child.find(w("pPrChange")) is not None:
                    flags.revisions = True
                rpr = child.find(w("rPr"))
                if rpr is not None and any(
                    c.tag in _REVISION_MARKS for c in rpr
                ):
                    flags.revisions = True
            # bookmarks, proofErr, permStart, AlternateContent, ... carry no story text

    def run(r, editable: bool, reason):
        rpr = r.find(w("rPr"))
        change = rpr.find(w("rPrChange")) if rpr is not None else None
        started = pos[0]
        if change is not None:
            flags.revisions = True
            if editable:
                editable, reason = False, "revision"
        for c in r:
            tag = c.tag
            if tag == w("fldChar"):
                flags.fields = True
                kind = c.get(w("fldCharType"))
                if kind == "begin":
                    fields.append("instr")
                elif kind == "separate" and fields:
                    fields[-1] = "result"
                elif kind == "end" and fields:
                    fields.pop()
                continue
            if fields:
                if any(state != "result" for state in fields):
                    continue  # instruction text
                ed, why = False, "field"
            else:
                ed, why = editable, reason
            if tag == w("t"):
                emit(r, c, c.text or "", ed, why)
            elif tag in (w("tab"), w("ptab")):
                emit(r, c, "\t", ed, why)
            elif tag == w("br"):
                kind = c.get(w("type"))
                emit(r, c, "\f" if kind in ("page", "column") else "\u000b", ed, why)
            elif tag == w("cr"):
                emit(r, c, "\u000b", ed, why)
            elif tag == w("noBreakHyphen"):
                emit(r, c, "\u2011", ed, why)
            elif tag == w("softHyphen"):
                emit(r, c, "", ed, why)
            elif tag == w("sym"):
                emit(r, c, _sym_char(c), ed, why)
            elif tag == w("commentReference"):
                flags.comments = True
                comment_marks.append(("reference", c.get(w("id")) or "", pos[0]))
            # rPr, instrText, delText, drawing, footnoteReference, ... : no accepted text
        if change is not None:  # the run's formatting was changed: the mark covers its text
            marks.append(("format", change.get(w("author")), change.get(w("date")), started, pos[0], None))

    walk(p_el, True, None)
    text = "".join(parts)
    revisions = tuple(Revision(kind, author, date, start, end, text[start:end] if gone is None else gone)
                      for kind, author, date, start, end, gone in marks)
    style_id = styles.paragraph_style_id(p_el)
    para = DocxParagraph(
        id=f"p-{index}",
        text=text,
        style=styles.name(style_id),
        list_label=numbering.label_for(p_el, style_id),
        in_table=in_table,
        has_revisions=flags.revisions,
        has_fields=flags.fields,
        has_content_controls=flags.cc,
        has_comments=flags.comments,
        section_break=p_el.find(f"{w('pPr')}/{w('sectPr')}") is not None,
        revisions=revisions,
    )
    return ScannedParagraph(para, p_el, pieces, _outer_block_sdt(p_el) if in_cc else None, comment_marks)


def _outer_block_sdt(p_el):
    found = None
    el = p_el.getparent()
    while el is not None:
        if el.tag == w("sdt"):
            found = el
        el = el.getparent()
    return found


def _sym_char(el) -> str:
    code = el.get(w("char")) or ""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF020 <= value <= 0xF0FF:  # symbol fonts address their glyphs in the private-use F0xx page
        value -= 0xF000
    # only characters XML (and so JSON, and Word) can hold: no controls, surrogates, U+FFFE/FFFF
    if value < 0x20 or 0xD800 <= value <= 0xDFFF or value in (0xFFFE, 0xFFFF) or value > 0x10FFFF:
        return ""
    return chr(value)


# --------------------------------------------------------------------------------------------
# styles

# Word stores built-in style names in lower case ("heading 1") and shows them capitalised.
_BUILTIN_UI_NAMES = {
    "normal": "Normal", "title": "Title", "subtitle": "Subtitle", "caption": "Caption",
    "header": "Header", "footer": "Footer", "body text": "Body Text", "list paragraph":
    "List Paragraph", "no spacing": "No Spacing", "quote": "Quote", "intense quote":
    "Intense Quote", "list bullet": "List Bullet", "list number": "List Number",
    "annotation text": "Comment Text", "footnote text": "Footnote Text",
}


def _ui_name(name: str) -> str:
    low = name.lower()
    if low in _BUILTIN_UI_NAMES:
        return _BUILTIN_UI_NAMES[low]
    if low.startswith("heading ") and low[8:].isdigit():
        return "Heading " + low[8:]
    if low.startswith("toc ") and low[4:].isdigit():
        return "TOC " + low[4:]
    return name


class Styles:
    def __init__(self, root=None):
        self.names: dict[str, str] = {}
        self.based_on: dict[str, str] = {}
        self.num_pr: dict[str, tuple[str | None, int | None]] = {}
        self.ids_by_name: dict[str, str] = {}
        self.default_paragraph: str | None = None
        if root is None:
            return
        for st in root.iter(w("style")):
            if st.get(w("type")) not in (None, "paragraph"):
                continue
            sid = st.get(w("styleId"))
            if not sid:
                continue
            name_el = st.find(w("name"))
            name = _ui_name(name_el.get(w("val"))) if name_el is not None and name_el.get(
                w("val")) else sid
            self.names[sid] = name
            self.ids_by_name.setdefault(name, sid)
            self.ids_by_name.setdefault(name.lower(), sid)
            based = st.find(w("basedOn"))
            if based is not None and based.get(w("val")):
                self.based_on[sid] = based.get(w("val"))
            numpr = st.find(f"{w('pPr')}/{w('numPr')}")
            if numpr is not None:
                self.num_pr[sid] = _num_pr_values(numpr)
            if st.get(w("default")) in ("1", "true", "on"):
                self.default_paragraph = sid

    @classmethod
    def load(cls, pkg: DocxPackage) -> "Styles":
        part = _related_part(pkg, "styles") or "word/styles.xml"
        if not pkg.has(part):
            return cls()
        return cls(pkg.xml(part).getroot())

    def paragraph_style_id(self, p_el) -> str | None:
        ps = p_el.find(f"{w('pPr')}/{w('pStyle')}")
        if ps is not None and ps.get(w("val")):
            return ps.get(w("val"))
        return self.default_paragraph

    def name(self, sid: str | None) -> str | None:
        if sid is None:
            return None
        return self.names.get(sid, sid)

    def id_for(self, name_or_id: str | None) -> str | None:
        if not name_or_id:
            return None
        if name_or_id in self.names:
            return name_or_id
        return self.ids_by_name.get(name_or_id) or self.ids_by_name.get(name_or_id.lower())

    def style_num_pr(self, sid: str | None):
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            if sid in self.num_pr:
                return self.num_pr[sid], sid
            sid = self.based_on.get(sid)
        return None, None


def _num_pr_values(numpr) -> tuple[str | None, int | None]:
    nid = numpr.find(w("numId"))
    ilvl = numpr.find(w("ilvl"))
    num_id = nid.get(w("val")) if nid is not None else None
    level = None
    if ilvl is not None:
        level = _int(ilvl.get(w("val")), None)
    return num_id, level


def _related_part(pkg: DocxPackage, kind: str) -> str | None:
    import posixpath

    rels_name = pkg.rels_name(pkg.main_part)
    if not pkg.has(rels_name):
        return None
    folder = posixpath.dirname(pkg.main_part)
    for rel in pkg.xml(rels_name).getroot():
        if (rel.get("Type") or "").endswith("/" + kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join(folder, target))
    return None


# --------------------------------------------------------------------------------------------
# numbering

#: Word's list levels are 0..8; a level outside them gets no label.
LIST_LEVELS = 9
#: The largest list number Word keeps (its "Start at" box stops at 32767); larger values, from a
#: start, a start override or counting past it, are clamped here, never expanded.
MAX_LIST_NUMBER = 32767
#: Word requires a level's text to be at most 31 characters once its %1..%9 are replaced
#: ([MS-OI29500] 2.1.283); a longer label is dropped.
MAX_LABEL_CHARS = 31


def _clamp(n: int) -> int:
    return max(0, min(n, MAX_LIST_NUMBER))


def _to_roman(n: int) -> str:
    if n <= 0:
        return str(n)
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = []
    for v, s in vals:
        count, n = divmod(n, v)
        out.append(s * count)
    return "".join(out)


def _to_letter(n: int) -> str | None:
    if n <= 0:
        return str(n)
    # Word: a..z, then aa..zz, aaa..zzz
    repeat = (n - 1) // 26 + 1
    if repeat > MAX_LABEL_CHARS:
        return None
    return chr(ord("a") + (n - 1) % 26) * repeat


def format_number(n: int, fmt: str | None) -> str | None:
    """The number ``n`` in a list format; ``None`` when it cannot fit a label. ``n`` is first
    clamped to Word's range (0..32767), so no format can expand a huge value."""
    n = _clamp(n)
    fmt = fmt or "decimal"
    if fmt == "lowerLetter":
        return _to_letter(n)
    if fmt == "upperLetter":
        letters = _to_letter(n)
        return letters.upper() if letters is not None else None
    if fmt == "lowerRoman":
        return _to_roman(n)
    if fmt == "upperRoman":
        return _to_roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    is_lgl: bool = False
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    pstyle: str | None = None


class Numbering:
    """Computes list labels the way Word does for the common cases (decimal, letters, roman,
    multi-level "1.1", legal numbering), counting per abstract list."""

    def __init__(self, root=None, styles: Styles | None = None):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.abstract_style_link: dict[str, str] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.styles = styles or Styles()
        self.counters: dict[str, list[int | None]] = {}
        self.seen_nums: set[str] = set()
        if root is None:
            return
        for an in root.findall(w("abstractNum")):
            aid = an.get(w("abstractNumId"))
            self.abstract[aid] = {lvl_i: lvl for lvl_i, lvl in _levels(an)}
            link = an.find(w("numStyleLink"))
            if link is not None and link.get(w("val")):
                self.abstract_style_link[aid] = link.get(w("val"))
        for num in root.findall(w("num")):
            nid = num.get(w("numId"))
            an = num.find(w("abstractNumId"))
            if nid is None or an is None:
                continue
            starts: dict[int, int] = {}
            overrides: dict[int, _Level] = {}
            for ov in num.findall(w("lvlOverride")):
                ilvl = _level_index(ov.get(w("ilvl")))
                if ilvl is None:
                    continue
                so = ov.find(w("startOverride"))
                if so is not None:
                    starts[ilvl] = _clamp(_int(so.get(w("val")), 1))
                lvl_el = ov.find(w("lvl"))
                if lvl_el is not None:
                    overrides[ilvl] = _level(lvl_el)
            self.nums[nid] = (an.get(w("val")), starts, overrides)

    @classmethod
    def load(cls, pkg: DocxPackage, styles: Styles) -> "Numbering":
        part = _related_part(pkg, "numbering") or "word/numbering.xml"
        if not pkg.has(part):
            return cls(None, styles)
        return cls(pkg.xml(part).getroot(), styles)

    def _resolve_abstract(self, aid: str, depth: int = 0) -> str:
        # numStyleLink -> a style whose numPr points at the num that holds the real definition
        link = self.abstract_style_link.get(aid)
        if link and depth < 5:
            values, _sid = self.styles.style_num_pr(link)  # (None, None) when the style has no numPr
            num_id = values[0] if values else None
            if num_id and num_id in self.nums:
                return self._resolve_abstract(self.nums[num_id][0], depth + 1)
        return aid

    def num_pr_for(self, p_el, style_id):
        numpr = p_el.find(f"{w('pPr')}/{w('numPr')}")
        num_id = level = None
        if numpr is not None:
            num_id, level = _num_pr_values(numpr)
            if numpr.find(w("ins")) is not None:
                pass
        if num_id is None:
            values, sid = self.styles.style_num_pr(style_id)
            if values:
                num_id = values[0]
                if level is None:
                    level = values[1]
                if level is None and num_id in self.nums:
                    # the level whose pStyle is this style
                    aid = self._resolve_abstract(self.nums[num_id][0])
                    for i, lvl in self.abstract.get(aid, {}).items():
                        if lvl.pstyle == sid:
                            level = i
                            break
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None, None
        return num_id, (level or 0)

    def is_numbered(self, p_el, style_id) -> bool:
        return self.num_pr_for(p_el, style_id)[0] is not None

    def label_for(self, p_el, style_id) -> str | None:
        num_id, ilvl = self.num_pr_for(p_el, style_id)
        if num_id is None:
            return None
        aid, starts, overrides = self.nums[num_id]
        aid = self._resolve_abstract(aid)
        levels = dict(self.abstract.get(aid, {}))
        levels.update(overrides)
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(aid, [None] * LIST_LEVELS)
        if num_id not in self.seen_nums:
            self.seen_nums.add(num_id)
            for lv, start in starts.items():
                counters[lv] = start - 1
                for deeper in range(lv + 1, LIST_LEVELS):
                    counters[deeper] = None
        lvl = levels[ilvl]
        counters[ilvl] = lvl.start if counters[ilvl] is None else _clamp(counters[ilvl] + 1)
        for deeper in range(ilvl + 1, LIST_LEVELS):
            dl = levels.get(deeper)
            if dl is not None and dl.restart == 0:
                continue
            if dl is not None and dl.restart is not None and dl.restart - 1 < ilvl:
                continue
            counters[deeper] = None
        if lvl.fmt == "bullet":
            return lvl.text if lvl.text and len(lvl.text) <= MAX_LABEL_CHARS else None
        if lvl.text is None:
            return None

        def repl(k: int) -> str | None:
            ref = levels.get(k)
            value = counters[k]
            if value is None:
                value = ref.start if ref else 1
            fmt = ref.fmt if ref else "decimal"
            if lvl.is_lgl and fmt != "decimalZero":
                fmt = "decimal"
            return format_number(value, fmt)

        out = []
        size = 0
        text = lvl.text
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and "1" <= text[i + 1] <= "9":
                piece = repl(ord(text[i + 1]) - ord("1"))
                i += 2
            else:
                piece = ch
                i += 1
            if piece is None:
                return None
            size += len(piece)
            if size > MAX_LABEL_CHARS:  # Word refuses such a level text; never build it
                return None
            out.append(piece)
        label = "".join(out)
        return label or None


def _level_index(value) -> int | None:
    """A w:ilvl value, if it names one of Word's levels (0..8)."""
    try:
        i = int(value)
    except (TypeError, ValueError):
        return None
    return i if 0 <= i < LIST_LEVELS else None


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _level(lvl_el) -> _Level:
    lvl = _Level()
    st = lvl_el.find(w("start"))
    if st is not None:
        lvl.start = _clamp(_int(st.get(w("val")), 1))
    fmt = lvl_el.find(w("numFmt"))
    if fmt is not None and fmt.get(w("val")):
        lvl.fmt = fmt.get(w("val"))
    txt = lvl_el.find(w("lvlText"))
    if txt is not None:
        lvl.text = txt.get(w("val"), "")
    lgl = lvl_el.find(w("isLgl"))
    if lgl is not None and lgl.get(w("val"), "1") not in ("0", "false", "off"):
        lvl.is_lgl = True
    rs = lvl_el.find(w("lvlRestart"))
    if rs is not None:
        lvl.restart = _int(rs.get(w("val")), None)
    ps = lvl_el.find(w("pStyle"))
    if ps is not None:
        lvl.pstyle = ps.get(w("val"))
    return lvl


def _levels(an):
    for lvl_el in an.findall(w("lvl")):
        i = _level_index(lvl_el.get(w("ilvl")))
        if i is not None:
            yield i, _level(lvl_el)


__all__ = ["DocxDocument", "DocxParagraph", "read_docx", "W_NS"]
