"""Safe opening of an uploaded .docx: size/zip-bomb/format checks and hardened XML parsing.

Every check that can be done on the ZIP central directory is done *before* anything is
decompressed, so a bomb is refused in microseconds. Reads are capped again while decompressing,
in case a member's declared size lies.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from .errors import DocxError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

MACRO_CONTENT_TYPES = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-office.vbaProject",
)
MAIN_CONTENT_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
REL_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)


@dataclass(frozen=True)
class Limits:
    """Input limits. Defaults suit contracts: a 100-page .docx is well under 1 MB."""

    max_upload_bytes: int = 25 * 1024 * 1024
    max_members: int = 2000
    max_total_uncompressed: int = 200 * 1024 * 1024
    max_member_uncompressed: int = 100 * 1024 * 1024
    max_ratio: float = 100.0
    ratio_applies_above: int = 1024 * 1024  # small members may compress very well (runs of spaces)


DEFAULT_LIMITS = Limits()

#: What :mod:`zipfile` raises on a damaged package, besides its own ``BadZipFile``: inflate errors,
#: short reads, short or absurd header fields (``struct``, negative seeks), undecodable UTF-8 entry
#: names (a ``ValueError``), offsets past the end. Each is a corrupt upload, never a 500.
_ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, struct.error, OSError, ValueError,
                    OverflowError, KeyError, IndexError)


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        strip_cdata=False,
    )


def parse_xml(data: bytes, part: str) -> etree._ElementTree:
    """Parse one part; refuse any DOCTYPE (entities are never resolved)."""
    # A DOCTYPE can only appear in the prolog, but scan everything: it is cheap and also catches
    # UTF-8 parts whose declaration hides behind a BOM or comments.
    head = data.lstrip(b"\xef\xbb\xbf")
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise DocxError("xml_entities", f"Part {part} declares a DOCTYPE or entities; refused.")
    try:
        tree = etree.parse(io.BytesIO(data), _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise DocxError("corrupt", f"Part {part} is not well-formed XML ({exc.msg}).") from None
    except (etree.LxmlError, ValueError, LookupError) as exc:  # e.g. an unknown encoding name
        raise DocxError("corrupt", f"Part {part} cannot be parsed ({type(exc).__name__}).") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        # e.g. a UTF-16 encoded part, which the byte scan above cannot see.
        raise DocxError("xml_entities", f"Part {part} declares a DOCTYPE or entities; refused.")
    return tree


@dataclass
class DocxPackage:
    """The members of a checked .docx. Raw bytes are read lazily and capped."""

    zf: zipfile.ZipFile
    infos: list[zipfile.ZipInfo]
    main_part: str  # e.g. "word/document.xml"
    limits: Limits = DEFAULT_LIMITS
    _cache: dict[str, bytes] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [i.filename for i in self.infos]

    def has(self, name: str) -> bool:
        return name in self._by_name()

    def _by_name(self) -> dict[str, zipfile.ZipInfo]:
        return {i.filename: i for i in self.infos}

    def read(self, name: str) -> bytes:
        if name in self._cache:
            return self._cache[name]
        info = self._by_name().get(name)
        if info is None:
            raise KeyError(name)
        cap = min(self.limits.max_member_uncompressed, info.file_size)
        try:
            with self.zf.open(info) as fh:
                data = fh.read(cap + 1)
        except NotImplementedError as exc:  # compression method, patched data, strong encryption
            raise DocxError("unsupported_zip",
                            f"Member {name} uses a ZIP feature that cannot be read ({exc}).") from None
        except RuntimeError as exc:  # encrypted ZIP member ("password required")
            raise DocxError("encrypted", f"Member {name} is encrypted ({exc}).") from None
        except _ZIP_READ_ERRORS as exc:
            raise DocxError("corrupt", f"Member {name} cannot be decompressed ({exc}).") from None
        if len(data) > cap:
            raise DocxError("zip_bomb", f"Member {name} decompresses past its declared size.")
        self._cache[name] = data
        return data

    def xml(self, name: str) -> etree._ElementTree:
        return parse_xml(self.read(name), name)

    def rels_name(self, part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")


def open_package(data: bytes, limits: Limits = DEFAULT_LIMITS) -> DocxPackage:
    if data is None or len(data) == 0:
        raise DocxError("empty", "The upload is empty.")
    if len(data) > limits.max_upload_bytes:
        raise DocxError(
            "too_large",
            f"The file is {len(data)} bytes; the limit is {limits.max_upload_bytes} bytes.",
        )
    if data.startswith(OLE2_MAGIC) or data[:4] == OLE2_MAGIC[:4]:
        # A password-protected .docx is an OLE2 compound file with an EncryptedPackage stream
        # (and EncryptionInfo). Directory entry names are UTF-16LE.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise DocxError(
                "encrypted", "The file is password-protected; save it without a password."
            )
        raise DocxError(
            "legacy_doc",
            "This is a legacy binary Office file (.doc); save it as .docx (Word 2007 or later).",
        )
    if not data.startswith(ZIP_MAGICS):
        raise DocxError("not_a_zip", "The file is not a .docx (it is not a ZIP package).")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        if b"PK\x05\x06" not in data[-(65536 + 22):]:
            raise DocxError(
                "truncated", "The file is incomplete (the ZIP directory is missing)."
            ) from None
        raise DocxError("corrupt", f"The ZIP package cannot be read ({exc}).") from None
    except NotImplementedError as exc:  # e.g. "zip file version 9.9" (version needed to extract)
        raise DocxError(
            "unsupported_zip", f"The ZIP package uses a feature that cannot be read ({exc})."
        ) from None
    except _ZIP_READ_ERRORS as exc:
        raise DocxError("corrupt", f"The ZIP package cannot be read ({exc}).") from None

    infos = zf.infolist()
    _refuse_duplicate_names(infos)
    if len(infos) > limits.max_members:
        raise DocxError(
            "zip_bomb", f"The package has {len(infos)} members; the limit is {limits.max_members}."
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise DocxError("encrypted", "The package's members are encrypted.")
        total += info.file_size
        if info.file_size > limits.max_member_uncompressed:
            raise DocxError("zip_bomb", "A package member is too large when decompressed.")
        if info.file_size > limits.ratio_applies_above:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise DocxError(
                    "zip_bomb",
                    f"A package member expands {ratio:.0f}x (limit {limits.max_ratio:.0f}x).",
                )
    if total > limits.max_total_uncompressed:
        raise DocxError(
            "zip_bomb",
            f"The package decompresses to {total} bytes; the limit is "
            f"{limits.max_total_uncompressed}.",
        )

    names = {i.filename for i in infos}
    pkg = DocxPackage(zf=zf, infos=infos, main_part="", limits=limits)

    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise DocxError("macro_enabled", "Macro-enabled documents (.docm) are not accepted.")
    content_types = None
    if "[Content_Types].xml" in names:
        content_types = pkg.xml("[Content_Types].xml").getroot()
        for el in content_types:
            ct = (el.get("ContentType") or "").strip()
            if ct in MACRO_CONTENT_TYPES:
                raise DocxError(
                    "macro_enabled", "Macro-enabled documents (.docm) are not accepted."
                )

    main = _find_main_part(pkg, names)
    if main is None:
        raise DocxError("not_docx", "The ZIP package is not a Word document (no word/document.xml).")
    if content_types is not None:
        overrides = {
            (el.get("PartName") or "").lstrip("/"): (el.get("ContentType") or "")
            for el in content_types
            if el.tag.endswith("}Override")
        }
        ct = overrides.get(main)
        if ct is not None and ct not in MAIN_CONTENT_TYPES:
            raise DocxError("not_docx", f"The main part has content type {ct!r}; not a .docx.")
    pkg.main_part = main
    return pkg


def _refuse_duplicate_names(infos: list[zipfile.ZipInfo]) -> None:
    """Each part once. OPC part names compare case-insensitively; with two entries of one name,
    readers disagree on which is the part (zipfile takes the last, others the first), so the review
    could read one text and Word show another, and a rewrite would keep both."""
    seen: set[str] = set()
    for info in infos:
        key = info.filename.casefold()
        if key in seen:
            raise DocxError(
                "corrupt", f"The package has more than one entry named {info.filename}; refused."
            )
        seen.add(key)


def _find_main_part(pkg: DocxPackage, names: set[str]) -> str | None:
    if "_rels/.rels" in names:
        rels = pkg.xml("_rels/.rels").getroot()
        for rel in rels:
            if rel.get("Type") in REL_OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
                target = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
                if target in names:
                    return target
    return "word/document.xml" if "word/document.xml" in names else None
