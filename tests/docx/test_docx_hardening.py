"""Issue 10 reproducers at the package/reader/writer depth: bounded list labels, out-of-range
numbering levels, unsupported or ambiguous ZIP structure, the text limits of a .docx, and a
redline output with every ZIP entry once."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile

import pytest

from addin_server.config import Settings
from addin_server.docx import DocxError, read_docx
from addin_server.docx.reader import MAX_LABEL_CHARS, MAX_LIST_NUMBER, format_number
from addin_server.docx.writer import redline_docx
from addin_server.docx_service import check_text_limits, review_docx_bytes
from addin_server.engine.review import Options
from docx_factory import NSDECL, build_docx, numbered, p, r, with_duplicate_entry

TEXT = "The Designer grants to the Agency a perpetual, irrevocable, worldwide license."


def numbering(*levels: str, overrides: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {NSDECL}>'
            f'<w:abstractNum w:abstractNumId="1">{"".join(levels)}</w:abstractNum>'
            f'<w:num w:numId="1"><w:abstractNumId w:val="1"/>{overrides}</w:num></w:numbering>')


def lvl(ilvl: int, start: str, fmt: str, text: str) -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def labels(data: bytes) -> list[str | None]:
    return [para.list_label for para in read_docx(data)]


# ------------------------------------------------------------------------------ item 4: labels

@pytest.mark.parametrize("fmt", ["lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "decimal",
                                 "decimalZero", "ordinal", "cardinalText", "chicago"])
@pytest.mark.parametrize("start", ["2147483647", "100000000", "-2147483648", "9" * 30])
def test_absurd_start_values_give_bounded_labels(fmt, start):
    data = build_docx(p(r(TEXT), ppr=numbered(0)) * 3,
                      numbering_xml=numbering(lvl(0, start, fmt, "%1.")))
    tracemalloc.start()
    began = time.perf_counter()
    got = labels(data)
    elapsed = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 2 and peak < 50_000_000
    assert all(label is None or len(label) <= MAX_LABEL_CHARS for label in got), got


def test_start_override_is_bounded_too():
    data = build_docx(p(r(TEXT), ppr=numbered(0)),
                      numbering_xml=numbering(lvl(0, "1", "lowerLetter", "(%1)"), overrides=(
                          '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="2147483647"/></w:lvlOverride>')))
    assert all(label is None or len(label) <= MAX_LABEL_CHARS for label in labels(data))


def test_numbers_are_clamped_at_words_cap_and_labels_stay_right_below_it():
    assert format_number(MAX_LIST_NUMBER + 10**9, "decimal") == str(MAX_LIST_NUMBER)
    assert format_number(3, "lowerLetter") == "c" and format_number(28, "upperLetter") == "BB"
    assert format_number(14, "lowerRoman") == "xiv" and format_number(1994, "upperRoman") == "MCMXCIV"
    assert format_number(7, "decimalZero") == "07"
    # a letter label that would repeat past the label cap is dropped, never built
    assert format_number(26 * 40, "lowerLetter") is None
    data = build_docx(p(r(TEXT), ppr=numbered(0)) * 2,
                      numbering_xml=numbering(lvl(0, "2147483647", "decimal", "%1.")))
    assert labels(data)[-2:] == [f"{MAX_LIST_NUMBER}.", f"{MAX_LIST_NUMBER}."]


def test_a_long_level_text_is_dropped_not_repeated():
    data = build_docx(p(r(TEXT), ppr=numbered(0)),
                      numbering_xml=numbering(lvl(0, "1", "decimal", "%1" + "x" * 5000)))
    assert labels(data)[-1] is None


def test_unicode_digit_after_percent_is_not_a_level_reference():
    data = build_docx(p(r(TEXT), ppr=numbered(0)),
                      numbering_xml=numbering(lvl(0, "1", "decimal", "%1.%\u00b2")))
    assert labels(data)[-1] == "1.%\u00b2"


# ------------------------------------------------------------------------------ item 8: levels

@pytest.mark.parametrize("ilvl", [9, 10, 12, 99, -1])
def test_numbering_level_outside_words_0_to_8_is_not_a_500(ilvl):
    data = build_docx(p(r(TEXT), ppr=numbered(ilvl)),
                      numbering_xml=numbering(lvl(0, "1", "decimal", "%1."), lvl(ilvl, "1", "decimal", "%1.")))
    assert labels(data)[-1] is None
    out, _ = redline_docx(data, [])
    assert read_docx(out)[f"p-{len(labels(data)) - 1}"].text == TEXT


# ------------------------------------------------------------------------------ item 8: zip

GOOD = build_docx(p(r(TEXT)))


def _central_entries(data: bytes):
    at = data.find(b"PK\x01\x02")
    while at != -1:
        n, m, k = struct.unpack("<HHH", data[at + 28: at + 34])
        yield at, data[at + 46: at + 46 + n].decode()
        at = data.find(b"PK\x01\x02", at + 46 + n + m + k)


def _patch_central(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    for at, entry in _central_entries(data):
        if entry == name:
            struct.pack_into(fmt, out, at + offset, value)
    return bytes(out)


def _refused(data: bytes) -> DocxError:
    with pytest.raises(DocxError) as info:
        read_docx(data)
    assert 400 <= info.value.http_status < 500 and info.value.message
    with pytest.raises(DocxError):
        redline_docx(data, [])
    return info.value


def test_unsupported_version_needed_to_extract_is_named():
    err = _refused(_patch_central(GOOD, "word/document.xml", 6, "<H", 99))  # version needed: 9.9
    assert err.code == "unsupported_zip" and "version" in err.message


def test_unsupported_compression_method_is_named():
    err = _refused(_patch_central(GOOD, "word/document.xml", 10, "<H", 97))  # method 97
    assert err.code == "unsupported_zip" and "word/document.xml" in err.message


def test_duplicate_entry_names_are_refused():
    err = _refused(with_duplicate_entry(GOOD, "word/document.xml", "Word/Document.xml"))  # OPC names ignore case
    assert err.code == "corrupt" and "document.xml" in err.message.lower()


def test_redline_output_has_every_entry_once():
    out, _ = redline_docx(GOOD, [{"finding_id": "f-1", "comment": "c", "paragraph_id": "p-2"}])
    names = zipfile.ZipFile(io.BytesIO(out)).namelist()
    assert len(names) == len({n.lower() for n in names})


# ------------------------------------------------------------------------------ item 3: text limits

def test_a_long_paragraph_in_a_docx_hits_the_json_limit():
    data = build_docx(p(r("x" * 60_000)))
    with pytest.raises(DocxError) as info:
        review_docx_bytes(data, Options(), Settings())
    assert info.value.code == "text_limit" and info.value.http_status == 413
    assert "50000" in info.value.message and "p-2" in info.value.message
    assert "xxx" not in info.value.message


@pytest.mark.parametrize("settings,what", [
    (Settings(max_paragraphs=3), "paragraphs"),
    (Settings(max_total_chars=100), "characters"),
    (Settings(max_paragraph_chars=40), "longer"),
])
def test_every_json_text_limit_applies_to_a_docx(settings, what):
    doc = read_docx(build_docx(p(r(TEXT)) * 3))
    with pytest.raises(DocxError) as info:
        check_text_limits(doc, settings)
    assert what in info.value.message
    check_text_limits(doc, Settings())  # within the defaults: no error


# ------------------------------------------------------------------------------ item 11: author

def test_author_with_a_control_character_is_named_by_the_writer():
    with pytest.raises(ValueError, match="author"):
        redline_docx(GOOD, [], author="Bob\x07")


# ------------------------------------------------------------------------------ found by the fuzz

@pytest.mark.parametrize("code", ["FFFFFFFFFFFF", "D800", "DFFF", "110000", "1", "FFFE"])
def test_symbol_codes_outside_xml_characters_are_skipped(code):
    data = build_docx(p(r("Sign "), f'<w:r><w:sym w:font="Symbol" w:char="{code}"/></w:r>', r("here.")))
    assert read_docx(data).paragraphs[-1].text == "Sign here."


def test_a_style_link_to_a_style_without_numbering_is_not_a_500():
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {NSDECL}>'
           f'<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="NoSuchStyle"/>{lvl(0, "1", "decimal", "%1.")}'
           f'</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>')
    assert labels(build_docx(p(r(TEXT), ppr=numbered(0)), numbering_xml=xml))[-1] == "1."
