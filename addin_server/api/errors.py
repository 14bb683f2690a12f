"""One JSON error envelope for every error the app can return."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from ..engine.budget import ReviewTooLarge

log = logging.getLogger("addin_server.errors")

_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 408: "request_timeout", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited",
    500: "internal_error", 503: "unavailable",
}


class ApiError(Exception):
    """An error the API reports on purpose, with its status and a stable code."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or {}


#: An error echoes field names the client sent; a longer one is cut to this many characters.
_MAX_ECHO = 200


def _printable(value, limit: int = _MAX_ECHO):
    """``value`` safe to send back as JSON: a lone UTF-16 surrogate (which cannot be encoded) becomes
    its ``\\udXXX`` escape and strings over ``limit`` are cut, in keys and values alike (a client may
    send an unknown field named with one; the 422 naming it must not itself fail)."""
    if isinstance(value, str):
        text = value.encode("utf-8", "backslashreplace").decode("utf-8")
        return text if len(text) <= limit else text[:limit] + "…"
    if isinstance(value, dict):
        return {(_printable(k, limit) if isinstance(k, str) else k): _printable(v, limit) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable(v, limit) for v in value]
    return value


def error_response(status: int, code: str, message: str, details: dict | None = None):
    body = {"error": {"status": status, "code": code, "message": _printable(message, 5 * _MAX_ECHO)}}
    if details:
        body["error"]["details"] = _printable(details)
    response = jsonify(body)
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.errorhandler(ReviewTooLarge)
    def _too_large(exc: ReviewTooLarge):
        return error_response(413, "review_too_large",
                              f"This document is too large to review in one request: {exc}. "
                              "Review it in parts, for example one section at a time.",
                              {"limit_cpu_seconds": exc.seconds})

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        details = None
        message = exc.description or exc.name
        data = getattr(exc, "data", None)  # webargs / flask-smorest validation messages
        if isinstance(data, dict) and "messages" in data:
            details = data["messages"]
            message = "Request body is not valid: " + _first_message(details)
        code = _CODES.get(status, "error")
        if status == 400 and "json" in (message or "").lower():
            code = "bad_json"
        if status == 413:
            message = "Request body is too large."
        response = error_response(status, code, message, details)
        for key, value in (exc.get_headers() if hasattr(exc, "get_headers") else []):
            if key.lower() in {"allow", "retry-after", "www-authenticate"}:
                response.headers[key] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # Never echo the exception text: it may quote the contract.
        log.error("unhandled error type=%s", type(exc).__name__)
        return error_response(500, "internal_error", "The server could not complete the review.")


def _first_message(messages) -> str:
    """The first leaf message of a nested marshmallow error dict, with its path."""
    path = []
    node = messages
    while isinstance(node, dict) and node:
        key = sorted(node, key=str)[0]
        path.append(str(key))
        node = node[key]
    if isinstance(node, list) and node:
        node = node[0]
    where = ".".join(_printable(p) for p in path if p not in {"json", "_schema"})
    return f"{where}: {node}" if where else str(node)
