"""Every DocxError code, from inputs built to trigger it. None of these may hang or resolve an
entity; all are refused before (or while) decompressing, with bounded work."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from addin_server.docx import ERROR_CODES, DocxError, Limits, read_docx
from addin_server.docx.writer import redline_docx
from docx_factory import build_docx, p, r, replace_part

GOOD = build_docx(p(r("A small valid contract paragraph.")))


def zip_of(members: dict[str, bytes], compress=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def ole2(*stream_names: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3)
    header += b"\x00" * (512 - len(header))
    directory = b"".join(n.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
                         for n in ("Root Entry",) + stream_names)
    return header + directory + b"\x00" * 1024


def expect(code: str, data: bytes, **kw):
    with pytest.raises(DocxError) as info:
        read_docx(data, **kw)
    assert info.value.code == code, info.value
    assert info.value.message and 400 <= info.value.http_status < 500
    with pytest.raises(DocxError) as info2:
        redline_docx(data, [], **kw)
    assert info2.value.code == code
    return info.value


def test_good_file_reads():
    assert read_docx(GOOD)["p-2"].text == "A small valid contract paragraph."


def test_empty():
    expect("empty", b"")


def test_too_large():
    expect("too_large", GOOD, limits=Limits(max_upload_bytes=len(GOOD) - 1))


def test_too_large_default_limit_without_parsing():
    expect("too_large", b"PK\x03\x04" + b"\x00" * (26 * 1024 * 1024))


@pytest.mark.parametrize("data", [b"%PDF-1.7\n%...", b"{\\rtf1\\ansi hello}", b"plain text",
                                  b"\x00\x01\x02"])
def test_not_a_zip(data):
    expect("not_a_zip", data)


def test_legacy_doc():
    expect("legacy_doc", ole2("WordDocument", "1Table", "\x05SummaryInformation"))


def test_encrypted_docx():
    expect("encrypted", ole2("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"))


def test_truncated():
    expect("truncated", GOOD[: len(GOOD) // 2])


def test_corrupt_member_data():
    data = bytearray(zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml":
                             b"<w:document>" + b"x" * 5000 + b"</w:document>"}))
    at = data.index(b"word/document.xml") + len("word/document.xml") + 10
    for i in range(at, at + 20):
        data[i] ^= 0xFF
    err = expect("corrupt", bytes(data))
    assert "document.xml" in err.message or "ZIP" in err.message


def test_corrupt_xml():
    expect("corrupt", replace_part(GOOD, "word/document.xml", b"<w:document><unclosed>"))


def test_zip_bomb_by_ratio():
    expect("zip_bomb", zip_of({"word/document.xml": b"0" * (3 * 1024 * 1024)}))


def test_zip_bomb_by_total_size():
    expect("zip_bomb", GOOD, limits=Limits(max_total_uncompressed=1000))


def test_zip_bomb_by_member_count():
    expect("zip_bomb", zip_of({f"word/m{i}.xml": b"" for i in range(2001)},
                              compress=zipfile.ZIP_STORED))


def test_lying_declared_size_is_caught_at_the_declared_size():
    """The central directory claims a tiny size: decompression stops there (the CRC then fails),
    it never runs on to the real size."""
    payload = b"<w:document/>" + b" " * 500_000
    data = bytearray(replace_part(GOOD, "word/document.xml", payload))
    name = b"word/document.xml"
    cd = data.rindex(b"PK\x01\x02", 0, data.rindex(name))
    assert data[cd + 46: cd + 46 + len(name)] == name
    data[cd + 24: cd + 28] = struct.pack("<I", 100)  # uncompressed size in the central directory
    expect("corrupt", bytes(data))


def test_not_docx():
    expect("not_docx", zip_of({"hello.txt": b"hello", "[Content_Types].xml": b"<Types/>"}))


def test_xlsx_is_not_docx():
    expect("not_docx", zip_of({"xl/workbook.xml": b"<workbook/>"}))


def test_macro_enabled_by_content_type():
    ct = zipfile.ZipFile(io.BytesIO(GOOD)).read("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    expect("macro_enabled", replace_part(GOOD, "[Content_Types].xml", ct))


def test_macro_enabled_by_vba_project():
    expect("macro_enabled", replace_part(GOOD, "word/vbaProject.bin", b"\xd0\xcf\x11\xe0"))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE], ids=["billion_laughs", "xxe"])
def test_xml_entities(xml):
    err = expect("xml_entities", replace_part(GOOD, "word/document.xml", xml))
    assert "root:" not in err.message


def test_xml_entities_in_utf16_part():
    xml = XXE.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    expect("xml_entities", replace_part(GOOD, "word/document.xml", xml.encode("utf-16")))


def test_xml_entities_in_another_part():
    styles = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "b">]><w:styles ' \
             b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    expect("xml_entities", replace_part(GOOD, "word/styles.xml", styles))


def test_every_code_is_tested():
    tested = {"empty", "too_large", "not_a_zip", "legacy_doc", "encrypted", "truncated", "corrupt",
              "zip_bomb", "not_docx", "macro_enabled", "xml_entities",
              "unsupported_zip", "text_limit"}  # the last two: test_docx_hardening.py
    assert tested == set(ERROR_CODES)
