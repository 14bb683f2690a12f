"""Build small .docx files with unusual structure for the docx tests.

Documents start from python-docx's default template (so styles, settings, theme and a numbering
part exist), get a header, a footer, an image and an existing comment through python-docx's API,
and then have their body replaced by hand-written WordprocessingML.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
NSDECL = f'xmlns:w="{W}" xmlns:r="{R}" xmlns:m="{M}"'
DATE = "2023-05-06T07:08:09Z"


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"\x00\xff\x00\x00"  # one red pixel, filter byte 0
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def r(text: str, rpr: str = "") -> str:
    """A run with text; leading/trailing spaces preserved."""
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def p(*runs: str, ppr: str = "") -> str:
    return f'<w:p>{f"<w:pPr>{ppr}</w:pPr>" if ppr else ""}{"".join(runs)}</w:p>'


def ins(*runs: str, rid: int = 9001) -> str:
    return f'<w:ins w:id="{rid}" w:author="Agency" w:date="{DATE}">{"".join(runs)}</w:ins>'


def dele(text: str, rid: int = 9002) -> str:
    return (f'<w:del w:id="{rid}" w:author="Agency" w:date="{DATE}"><w:r>'
            f'<w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>')


def cell(*paras: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>{"".join(paras)}</w:tc>'


def table(*rows: list[str]) -> str:
    ncols = max(len(row) for row in rows)
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(ncols))
    body = "".join(f"<w:tr>{''.join(row)}</w:tr>" for row in rows)
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            f'</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>')


NUMBERING_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {NSDECL}>
  <w:abstractNum w:abstractNumId="10">
    <w:multiLevelType w:val="multilevel"/>
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>
      <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/>
      <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/>
      <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1080" w:hanging="360"/></w:pPr></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/>
      <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="11">
    <w:multiLevelType w:val="multilevel"/>
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="Article %1"/>
      <w:lvlJc w:val="left"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%2"/>
      <w:lvlJc w:val="left"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="10"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="11"/></w:num>
</w:numbering>
"""


def numbered(level: int, num_id: int = 1) -> str:
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


def build_docx(body_xml: str, *, numbering_xml: str | None = NUMBERING_XML,
               header: str = "Header text", footer: str = "Footer text",
               with_image: bool = True, with_comment: bool = True) -> bytes:
    d = docx.Document()
    sec = d.sections[0]
    sec.header.paragraphs[0].text = header
    sec.footer.paragraphs[0].text = footer
    url_rid = d.part.relate_to("https://example.com/terms", RT.HYPERLINK, is_external=True)
    if with_image:
        d.add_paragraph().add_run().add_picture(io.BytesIO(tiny_png()))
    if with_comment:
        para = d.add_paragraph("Existing commented paragraph.")
        d.add_comment(para.runs, text="An earlier reviewer's comment.", author="Agency",
                      initials="AG")
    body = d.element.body
    sect = body.find(f"{{{W}}}sectPr")
    fragment = etree.fromstring(
        f"<w:body {NSDECL}>{body_xml.replace('{URL_RID}', url_rid)}</w:body>".encode())
    for child in list(fragment):
        sect.addprevious(child)
    buf = io.BytesIO()
    d.save(buf)
    data = buf.getvalue()
    if numbering_xml is not None:
        data = replace_part(data, "word/numbering.xml", numbering_xml.encode())
    return data


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, content if info.filename == name else src.read(info))
        if name not in src.namelist():
            z.writestr(name, content)
    return out.getvalue()


def with_duplicate_entry(data: bytes, name: str, as_name: str | None = None) -> bytes:
    """The package with a second entry holding part ``name`` again, under ``as_name`` (default: the
    same name; OPC compares names ignoring case, so "Word/Document.xml" is a duplicate too)."""
    import warnings

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        with zipfile.ZipFile(out, "w") as z:
            for info in src.infolist():
                z.writestr(info.filename, src.read(info))
            z.writestr(as_name or name, src.read(name))
    return out.getvalue()


def read_part(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


# ------------------------------------------------------------------------------------------
# the fixture documents: name -> (body xml, expected accepted texts *of the body xml only*)

BOLD = "<w:b/>"
ITAL = "<w:i/>"


def fixtures() -> dict[str, tuple[str, list[str]]]:
    fx: dict[str, tuple[str, list[str]]] = {}
    fx["mixed_runs"] = (
        p(r("The Designer grants the "), r("Agency", BOLD), r(" a "), r("perpetual, ", ITAL),
          r("irrevocable", BOLD + ITAL), r(" licence to use the Work Product.")) +
        p(r("Tab\there"), '<w:r><w:br/><w:t>after soft break</w:t></w:r>',
          '<w:r><w:t>e</w:t><w:noBreakHyphen/><w:t>mail and co</w:t><w:softHyphen/>'
          '<w:t>operate</w:t></w:r>') +
        p(r("Symbol "), '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>', r(" done.")) +
        p(),
        ["The Designer grants the Agency a perpetual, irrevocable licence to use the Work Product.",
         "Tab\there\u000bafter soft break e\u2011mail and cooperate".replace(" e", "e", 1)
         .replace("breake", "break e", 0),
         "Symbol \u00b7 done.", ""],
    )
    fx["existing_revisions"] = (
        p(r("The Agency may "), dele("not ", 9101), ins(r("freely "), rid=9102),
          r("use the deliverables for any purpose including training."))
        + p(r("Plain second paragraph with words to edit."))
        + p(r("Moved "), f'<w:moveFrom w:id="9103" w:author="A" w:date="{DATE}">'
            f'<w:r><w:t>old</w:t></w:r></w:moveFrom>',
            f'<w:moveTo w:id="9104" w:author="A" w:date="{DATE}"><w:r><w:t>new</w:t></w:r>'
            f'</w:moveTo>', r(" text here.")),
        ["The Agency may freely use the deliverables for any purpose including training.",
         "Plain second paragraph with words to edit.",
         "Moved new text here."],
    )
    fx["fields_links_controls"] = (
        p(r("See page "),
          '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
          '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', r("3"),
          '<w:r><w:fldChar w:fldCharType="end"/></w:r>', r(" of this agreement for details."))
        + p(r("Visit "), '<w:hyperlink r:id="{URL_RID}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>'
            '</w:rPr><w:t>our terms page</w:t></w:r></w:hyperlink>', r(" before signing."))
        + p(r("Client name: "), '<w:sdt><w:sdtPr><w:alias w:val="Client"/></w:sdtPr><w:sdtContent>'
            + r("Acme Studios Ltd") + '</w:sdtContent></w:sdt>', r(" shall pay all fees."))
        + '<w:sdt><w:sdtPr><w:alias w:val="Block"/></w:sdtPr><w:sdtContent>'
        + p(r("A paragraph inside a block content control.")) + '</w:sdtContent></w:sdt>'
        + p(r("Simple field: "), '<w:fldSimple w:instr=" DATE "><w:r><w:t>1 May 2024</w:t></w:r>'
            '</w:fldSimple>', r(" is the date.")),
        ["See page 3 of this agreement for details.",
         "Visit our terms page before signing.",
         "Client name: Acme Studios Ltd shall pay all fees.",
         "A paragraph inside a block content control.",
         "Simple field: 1 May 2024 is the date."],
    )
    fx["tables_nested"] = (
        p(r("Before the table."))
        + table([cell(p(r("Term")), p(r("Second para in cell"))),
                 cell(p(r("Definition of the term in cell B1.")))],
                [cell(p(r("Nested:"))
                      + table([cell(p(r("inner A1 text"))), cell(p(r("inner B1 text")))])
                      + p(r("after inner table"))),
                 cell(p(r("Last cell of outer table.")))])
        + p(r("After the table.")),
        ["Before the table.", "Term", "Second para in cell", "Definition of the term in cell B1.",
         "Nested:", "inner A1 text", "inner B1 text", "after inner table",
         "Last cell of outer table.", "After the table."],
    )
    fx["numbering"] = (
        p(r("Services"), ppr=numbered(0))
        + p(r("The Designer will perform the services."), ppr=numbered(1))
        + p(r("Deliverables are described in the SOW."), ppr=numbered(1))
        + p(r("on time"), ppr=numbered(2))
        + p(r("in full"), ppr=numbered(2))
        + p(r("first roman"), ppr=numbered(3))
        + p(r("second roman"), ppr=numbered(3))
        + p(r("Ownership"), ppr=numbered(0))
        + p(r("All rights remain with the Designer."), ppr=numbered(1))
        + p(r("Restarted list at seven"), ppr=numbered(0, 2))
        + p(r("General provisions"), ppr=numbered(0, 3))
        + p(r("Legal numbering sub clause"), ppr=numbered(1, 3)),
        ["Services", "The Designer will perform the services.",
         "Deliverables are described in the SOW.", "on time", "in full", "first roman",
         "second roman", "Ownership", "All rights remain with the Designer.",
         "Restarted list at seven", "General provisions", "Legal numbering sub clause"],
    )
    fx["unicode"] = (
        p(r("Der Auftragnehmer überträgt alle Rechte – „unwiderruflich“ – an den Kunden."))
        + p(r("يمنح المصمم الوكالة ترخيصًا دائمًا لاستخدام العمل."), ppr="<w:bidi/>")
        + p(r("Emoji 😀 and 👍🏽 in the Work Product 作品 clause."))
        + p(r("Non\u00a0breaking space and “curly quotes” and ‘single’ ones.")),
        ["Der Auftragnehmer überträgt alle Rechte – „unwiderruflich“ – an den Kunden.",
         "يمنح المصمم الوكالة ترخيصًا دائمًا لاستخدام العمل.",
         "Emoji 😀 and 👍🏽 in the Work Product 作品 clause.",
         "Non\u00a0breaking space and “curly quotes” and ‘single’ ones."],
    )
    # fix up the one expectation that is easier to state literally
    body, texts = fx["mixed_runs"]
    texts[1] = "Tab\there\u000bafter soft breake\u2011mail and cooperate"
    return fx


# the paragraphs python-docx's template and build_docx add before the body xml
PREFIX_TEXTS = ["", "Existing commented paragraph."]
