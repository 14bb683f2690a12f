"""The one exception this package raises for input it will not process."""

from __future__ import annotations

# Every code DocxError can carry, with the HTTP status the API layer should map it to.
# All are client errors: a bad upload is never a 500.
ERROR_CODES: dict[str, int] = {
    "empty": 400,            # zero-byte upload
    "too_large": 413,        # compressed upload over the byte limit
    "not_a_zip": 415,        # not a ZIP container at all (e.g. PDF, text, RTF)
    "legacy_doc": 415,       # OLE2 compound file that is not encrypted: Word 97-2003 .doc (or .xls/.ppt)
    "encrypted": 415,        # OLE2 compound file holding an EncryptedPackage: password-protected .docx
    "truncated": 400,        # starts like a ZIP but the central directory is missing (cut-off upload)
    "corrupt": 400,          # ZIP or XML that cannot be read (bad CRC, bad deflate data, broken XML)
    "zip_bomb": 413,         # declared uncompressed size / ratio / member count over the limits
    "not_docx": 415,         # a ZIP, but no WordprocessingML main document part
    "macro_enabled": 415,    # .docm / vbaProject.bin present
    "xml_entities": 400,     # a part has a DOCTYPE / ENTITY declaration (never resolved)
    "unsupported_zip": 415,  # a ZIP feature this reader cannot read (ZIP version, compression method)
    "text_limit": 413,       # more paragraphs or characters than the review's text limits
}


class DocxError(ValueError):
    """A .docx upload that this package refuses, with a stable machine-readable ``code``.

    ``str(err)`` is the human message; it never contains document text.
    """

    def __init__(self, code: str, message: str):
        if code not in ERROR_CODES:  # pragma: no cover - programming error
            raise AssertionError(f"unknown DocxError code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def http_status(self) -> int:
        return ERROR_CODES[self.code]

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}

    def __repr__(self) -> str:
        return f"DocxError({self.code!r}, {self.message!r})"
