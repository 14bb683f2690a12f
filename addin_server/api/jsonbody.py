"""Request JSON, parsed once for the whole API with the limits it promises.

Python's own parser fails in ways that are not JSON syntax errors: nesting deeper than the
interpreter's recursion limit raises ``RecursionError`` (about 1,000 levels) and an integer of more
than 4,300 digits raises a bare ``ValueError``. Both came back as 500s. Here every failure is a
``JsonError`` that says what is wrong, never quoting the body: the routes turn it into a 400 (the
request body) or a 422 (a JSON form field of the .docx routes).
"""

from __future__ import annotations

import json
import sys
from typing import Any

#: The longest integer literal accepted (Python's own limit for turning a string into an int).
MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300


class JsonError(ValueError):
    """The text is not JSON the API can accept; ``message`` names the problem, not the content."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _int(literal: str) -> int:
    digits = len(literal.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise JsonError(f"a number has {digits} digits (limit {MAX_INT_DIGITS})")
    return int(literal)


def loads(raw: bytes | str) -> Any:
    """Parse JSON text (UTF-8, -16 or -32 bytes, or str), or raise ``JsonError``."""
    try:
        return json.loads(raw, parse_int=_int)
    except JsonError:
        raise
    except RecursionError:
        raise JsonError("arrays and objects are nested too deeply, one inside another") from None
    except json.JSONDecodeError as exc:
        raise JsonError(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except UnicodeDecodeError as exc:
        raise JsonError(f"it is not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except ValueError:  # any other refusal of the parser
        raise JsonError("it is not valid JSON") from None
