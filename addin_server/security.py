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
  the config shares a ``sqlite://`` file between the workers of one machine; ``redis://…`` for
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
import os
import sqlite3
import threading
import time
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from flask_limiter import Limiter, RateLimitExceeded
from limits.storage import MovingWindowSupport, Storage
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from .api.errors import ApiError, error_response
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


class SqliteStorage(Storage, MovingWindowSupport):
    """Rate-limit counts in a SQLite file, shared by every process that opens it: ``sqlite:///path``.

    ``memory://`` counts per process, so gunicorn's N workers would allow N times the limit. The
    workers of one machine share this file instead (deploy/gunicorn.conf.py puts it on /dev/shm); each
    process opens its own connection after the fork, and a write transaction makes the check and the
    count one step. Several machines still need Redis.
    """

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._path = urlsplit(uri or "").path
        if not self._path:
            raise ValueError("the sqlite rate-limit storage needs a file: sqlite:///path/to/file")
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._pid = -1

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _conn(self) -> sqlite3.Connection:
        if self._pid != os.getpid():  # a connection must not cross a fork
            db = sqlite3.connect(self._path, timeout=2.0, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA synchronous=OFF")  # counts are worth nothing after a crash
            db.execute("CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, at REAL NOT NULL, until REAL NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS hits_key_at ON hits (key, at)")
            # hits per key, kept with the rows so that a check costs O(1), not a count of the window
            db.execute("CREATE TABLE IF NOT EXISTS counts (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
            self._db, self._pid, self._writes = db, os.getpid(), 0
        return self._db

    def _write(self, fn):
        with self._lock:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            try:
                now = time.time()
                self._writes += 1
                if self._writes % 1000 == 0:  # now and then, drop every key's expired hits
                    db.execute("DELETE FROM hits WHERE until <= ?", (now,))
                    db.execute("DELETE FROM counts WHERE key NOT IN (SELECT key FROM hits)")
                    db.execute("UPDATE counts SET n = (SELECT COUNT(*) FROM hits WHERE hits.key = counts.key)")
                result = fn(db, now)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return result

    @staticmethod
    def _add(db, key: str, n: int) -> None:
        db.execute("INSERT INTO counts VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET n = n + excluded.n", (key, n))

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False

        def acquire(db, now):
            expired = db.execute("DELETE FROM hits WHERE key = ? AND at <= ?", (key, now - expiry)).rowcount
            if expired:
                self._add(db, key, -expired)
            row = db.execute("SELECT n FROM counts WHERE key = ?", (key,)).fetchone()
            if (row[0] if row else 0) + amount > limit:
                return False
            db.executemany("INSERT INTO hits VALUES (?, ?, ?)", [(key, now, now + expiry)] * amount)
            self._add(db, key, amount)
            return True

        return self._write(acquire)

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        with self._lock:
            db = self._conn()
            row = db.execute("SELECT n FROM counts WHERE key = ?", (key,)).fetchone()
            (expired,) = db.execute("SELECT COUNT(*) FROM hits WHERE key = ? AND at <= ?", (key, now - expiry)).fetchone()
            (oldest,) = db.execute("SELECT MIN(at) FROM hits WHERE key = ? AND at > ?", (key, now - expiry)).fetchone()
        count = (row[0] if row else 0) - expired
        return (oldest, count) if count > 0 and oldest is not None else (now, 0)

    # Fixed windows (not the strategy used here, but part of the storage interface): one row per hit.
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        def incr(db, now):
            row = db.execute("SELECT MIN(until) FROM hits WHERE key = ? AND until > ?", (key, now)).fetchone()
            until = row[0] or now + expiry
            db.executemany("INSERT INTO hits VALUES (?, ?, ?)", [(key, now, until)] * amount)
            self._add(db, key, amount)
            return db.execute("SELECT COUNT(*) FROM hits WHERE key = ? AND until > ?", (key, now)).fetchone()[0]

        return self._write(incr)

    def get(self, key: str) -> int:
        with self._lock:
            return self._conn().execute("SELECT COUNT(*) FROM hits WHERE key = ? AND until > ?",
                                        (key, time.time())).fetchone()[0]

    def get_expiry(self, key: str) -> float:
        now = time.time()
        with self._lock:
            row = self._conn().execute("SELECT MIN(until) FROM hits WHERE key = ? AND until > ?", (key, now)).fetchone()
        return row[0] or now

    def check(self) -> bool:
        try:
            with self._lock:
                self._conn().execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        def reset(db, now):
            db.execute("DELETE FROM counts")
            return db.execute("DELETE FROM hits").rowcount

        return self._write(reset)

    def clear(self, key: str) -> None:
        def clear(db, now):
            db.execute("DELETE FROM counts WHERE key = ?", (key,))
            db.execute("DELETE FROM hits WHERE key = ?", (key,))

        self._write(clear)


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
