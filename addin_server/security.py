"""What stands between the internet and the review engine.

``init_app(app)`` installs, from the app's ``Settings`` (``app.config["TERMSCORE"]``):

- **CORS** for the configured origins only (``TERMSCORE_ALLOWED_ORIGINS``); preflight answered here;
  never a wildcard. With no origins configured the API is same-origin only, which is what the pane
  needs when the server also serves it.
- **Security headers** on every response: a content security policy (the pane's policy on HTML, a
  deny-everything policy on everything else), ``X-Content-Type-Options``, ``Referrer-Policy``,
  ``Permissions-Policy``, ``Cache-Control: no-store`` on the API (a review is confidential: no cache
  writes it to disk), HSTS on HTTPS. No ``X-Frame-Options``: Office on the web shows the pane in an
  iframe, so framing is governed by CSP ``frame-ancestors`` instead.
- **Body-size limit before parsing**: a declared ``Content-Length`` over the limit gets a 413
  envelope before a byte of the body is read; an undeclared (chunked) body is capped while it is read.
- **Rate limiting per client** (flask-limiter): ``TERMSCORE_RATE_LIMIT`` over all routes together,
  stored in ``TERMSCORE_RATE_LIMIT_STORAGE`` (``memory://`` per process by default; under gunicorn
  the config shares a ``sqlite://`` file (``ratelimit_store.py``) between the workers of one machine; ``redis://…`` for
  several instances). ``/healthz`` and ``/readyz`` are exempt. ``off``
  disables it.
- **Optional authentication** (``TERMSCORE_API_KEYS``, comma-separated): every ``/api/`` request then
  needs ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``; keys are compared in constant time
  against every configured key. Off when no key is configured (localhost development).
- **A request log** with method, path (never the query string), status, response size and duration:
  never a header value, never a body.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

from flask import Flask, Response, g, request
from flask_limiter import Limiter, RateLimitExceeded
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from .api.errors import ApiError, error_response
from . import ratelimit_store  # noqa: F401  (registers the sqlite:// rate-limit storage with limits)
from .config import Settings

log = logging.getLogger("addin_server.request")

#: Where Office on the web shows the pane (the pane's iframe and every page framing it). Word on the
#: web runs in an officeapps.live.com frame inside OneDrive, SharePoint, office.com, microsoft365.com
#: or the cloud.microsoft domains, and CSP checks every ancestor, not only the parent.
OFFICE_FRAME_ANCESTORS = (
    "https://*.officeapps.live.com",
    "https://*.office.com",
    "https://*.office365.com",
    "https://*.microsoft365.com",
    "https://*.cloud.microsoft",
    "https://*.microsoft.com",
    "https://*.sharepoint.com",
    "https://onedrive.live.com",
    "https://*.onedrive.live.com",
)

#: Office.js is loaded from Microsoft's CDN, and loads its host-specific parts from the same host.
OFFICE_JS_ORIGIN = "https://appsforoffice.microsoft.com"

#: The pane's policy: its own files, Office.js from the CDN, calls to its own API; nothing inline,
#: no eval, no plugins, no other origin.
PANE_CSP = "; ".join([
    "default-src 'self'",
    f"script-src 'self' {OFFICE_JS_ORIGIN}",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self' " + " ".join(OFFICE_FRAME_ANCESTORS),
])

#: JSON and everything else that is not a page: nothing to load, nothing may frame it.
API_CSP = "default-src 'none'; frame-ancestors 'none'"

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin-allow-popups",
}

CORS_ALLOW_METHODS = "GET, POST, OPTIONS"
CORS_ALLOW_HEADERS = "Authorization, Content-Type, X-API-Key"
CORS_MAX_AGE = "600"

#: Paths that carry no contract and must answer probes however busy or locked-down the service is.
PROBE_PATHS = frozenset({"/healthz", "/readyz"})

try:  # what gunicorn raises while reading a malformed chunked body (absent under other servers)
    from gunicorn.http.errors import ParseException as _GunicornParseError
    _CHUNK_ERRORS: tuple[type[BaseException], ...] = (_GunicornParseError,)
except ImportError:  # pragma: no cover
    _CHUNK_ERRORS = ()

_RATE_LIMIT_OFF = {"", "0", "off", "none", "false", "disabled"}
_UPLOAD_TYPES = ("multipart/form-data", "application/vnd.openxmlformats-officedocument", "application/octet-stream")


def init_app(app: Flask) -> None:
    settings: Settings = app.config["TERMSCORE"]
    origins = frozenset(o.rstrip("/") for o in settings.allowed_origins if o.strip() and o.strip() != "*")
    keys = tuple(hashlib.sha256(k.encode("utf-8")).digest() for k in settings.api_keys if k)

    hops = _proxy_hops(settings)
    if hops:
        # Behind nginx or an ingress: the client's address and scheme come from X-Forwarded-*,
        # trusted for exactly that many proxies, so the rate limit counts clients, not the proxy.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0)

    @app.before_request
    def _start_clock():
        g.termscore_started = time.perf_counter()

    # 1. The rate limit runs first, so that failed authentication attempts are counted too.
    limit = (settings.rate_limit or "").strip()
    limiter = Limiter(
        _client_key,
        app=app,
        application_limits=[limit] if limit.lower() not in _RATE_LIMIT_OFF else [],
        storage_uri=settings.rate_limit_storage or "memory://",
        strategy="moving-window",
        headers_enabled=True,
        key_prefix="termscore",
        # A shared store that is down must not take the service down: count in memory meanwhile.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        enabled=limit.lower() not in _RATE_LIMIT_OFF,
    )
    limiter.request_filter(lambda: request.path in PROBE_PATHS)
    app.extensions["termscore_limiter"] = limiter

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(exc: RateLimitExceeded):
        return error_response(429, "rate_limited",
                              f"Too many requests from this client (limit: {exc.description}). Try again shortly.")

    @app.before_request
    def _guard():
        # 2. CORS preflight: answered here, before auth (browsers send no credentials on preflight).
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return _preflight(origins)
        # 3. Body size, before anything reads or parses the body.
        _check_body_size(settings)
        # 4. Authentication for the API, when keys are configured.
        if keys and request.path.startswith("/api/"):
            _authenticate(keys)
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        _cors_headers(response, origins)
        _security_headers(response)
        _log_request(response)
        return response


def _proxy_hops(settings: Settings) -> int:
    """How many reverse proxies to trust for X-Forwarded-For/-Proto (0: none, the default)."""
    return max(0, settings.proxy_hops)


def _client_key() -> str:
    """The rate-limit bucket: the client's address (after ProxyFix, the real client's)."""
    return request.remote_addr or "unknown"


#: What a multipart upload may add to its file: boundaries, part headers and the small form fields
#: (options, findings, author, ...). ``max_upload_bytes`` is the file's own limit, applied exactly
#: to the file's bytes by the route; the body may be this much larger.
MULTIPART_MARGIN_BYTES = 256 * 1024


def _check_body_size(settings: Settings) -> None:
    content_type = (request.mimetype or "").lower()
    is_upload = content_type.startswith(_UPLOAD_TYPES)
    limit = settings.max_upload_bytes if is_upload else settings.max_body_bytes
    if content_type.startswith("multipart/form-data"):
        limit += MULTIPART_MARGIN_BYTES
    # Caps a chunked body while it is read; a declared length is refused right away.
    request.max_content_length = limit
    length = request.content_length
    if length is not None and length > limit:
        raise ApiError(413, "payload_too_large",
                       f"Request body is too large: {length} bytes (limit {limit} bytes).",
                       {"limit_bytes": limit})
    if length is None and request.environ.get("wsgi.input_terminated"):
        # A chunked body has no declared length: read it here, capped, so that going over the
        # limit is a 413 and not whatever the JSON parser makes of a truncated stream.
        try:
            data = request.get_data(cache=True)  # stops at the limit
            over = len(data) >= limit and bool(request.environ["wsgi.input"].read(1))
        except RequestEntityTooLarge:
            over = True
        except _CHUNK_ERRORS:
            # The server parses the chunked framing as the body is read (gunicorn's InvalidChunkSize,
            # ChunkMissingTerminator...). Not the exception's text: it quotes the body.
            raise ApiError(400, "bad_request", "The request body's chunked transfer encoding is invalid "
                           "(a malformed chunk size, chunk terminator or chunk extension).") from None
        if over:
            raise ApiError(413, "payload_too_large", f"Request body is too large (limit {limit} bytes).",
                           {"limit_bytes": limit})


def _presented_key() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    key = request.headers.get("X-API-Key", "").strip()
    return key or None


def key_matches(presented: str, keys: tuple[bytes, ...]) -> bool:
    """Constant time in the key's content: hash to a fixed length, compare with every key, no early exit."""
    digest = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).digest()
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(digest, key)
    return matched


def _authenticate(keys: tuple[bytes, ...]) -> None:
    presented = _presented_key()
    if presented is None or not key_matches(presented, keys):
        raise _Unauthorized()


class _Unauthorized(ApiError):
    def __init__(self):
        super().__init__(401, "unauthorized",
                         "This server requires an API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.")


def _origin_allowed(origins: frozenset[str]) -> str | None:
    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/") in origins:
        return origin
    return None


def _preflight(origins: frozenset[str]):
    origin = _origin_allowed(origins)
    if origin is None:
        return error_response(403, "forbidden", "Cross-origin requests from this origin are not allowed.")
    method = request.headers.get("Access-Control-Request-Method", "").upper()
    if method not in {"GET", "POST"}:
        return error_response(403, "forbidden", "This cross-origin method is not allowed.")
    response = Response(status=204)
    del response.headers["Content-Type"]
    response.headers["Access-Control-Allow-Methods"] = CORS_ALLOW_METHODS
    response.headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
    response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
    return response


def _cors_headers(response: Response, origins: frozenset[str]) -> None:
    response.vary.add("Origin")
    origin = _origin_allowed(origins)
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"


def _security_headers(response: Response) -> None:
    for name, value in COMMON_HEADERS.items():
        response.headers.setdefault(name, value)
    is_page = response.mimetype == "text/html"
    response.headers["Content-Security-Policy"] = PANE_CSP if is_page else API_CSP
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _log_request(response: Response) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    started = g.get("termscore_started")
    elapsed_ms = (time.perf_counter() - started) * 1000 if started is not None else -1.0
    # Method, path (no query string), status, size, duration: never a header, never a body.
    log.info("request method=%s path=%s status=%d bytes=%s ms=%.1f",
             request.method, request.path, response.status_code,
             response.calculate_content_length() if not response.is_streamed else "-", elapsed_ms)
