"""Read uploaded .docx files and write redlined ones (real tracked changes and comments).

No Flask here: the API layer maps :class:`DocxError` codes to HTTP errors.
"""

from .errors import ERROR_CODES, DocxError
from .package import Limits
from .reader import DocxDocument, DocxParagraph, read_docx

__all__ = ["DocxError", "ERROR_CODES", "Limits", "DocxDocument", "DocxParagraph", "read_docx"]
