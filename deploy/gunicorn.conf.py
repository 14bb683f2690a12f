"""gunicorn settings for TermScore: ``gunicorn -c deploy/gunicorn.conf.py`` (the app is named here).

Every value can be overridden by an environment variable (``TERMSCORE_<NAME>``); the defaults suit one
machine behind nginx. Why each value is what it is:

- **Workers, not threads.** A review is pure-Python CPU work, so concurrency comes from processes:
  one sync worker per CPU plus one to cover the moments a worker spends reading a request or writing
  its response (measured in docs/performance-service.md). Sync workers also make ``timeout`` mean what
  it says: the master kills a worker whose request runs past it (a threaded worker keeps heart-beating
  while a thread is stuck).
- **A slow client cannot pin a worker.** Each sync worker runs as ``deploy/buffered_worker.py``'s
  BufferedSyncWorker: the sync worker, except that its main loop reads every connection's request
  without blocking and serves it only once it is complete, in ``TERMSCORE_READ_TIMEOUT`` seconds at most (else a JSON
  408). Without nginx in front (``make run``, a single machine), clients that send slowly or never
  finish cost a buffer, not a worker; the review itself still runs in the worker's main thread, so
  both deadlines below keep their meaning. ``TERMSCORE_BUFFERED_READS=0`` restores gunicorn's own.
- **A soft deadline before the hard one.** ``TERMSCORE_REQUEST_DEADLINE`` seconds into a request
  (default: ``timeout`` minus 5 s) the worker interrupts it and answers 503 in the API's JSON error
  envelope, and lives on; a request stuck where Python cannot interrupt it is killed by the master at
  ``timeout`` and the worker replaced (nginx then answers a JSON 502).
- **Recycling.** ``max_requests`` with jitter, so workers restart one at a time, never all at once.
- **Logs.** One JSON object per line on stdout, for gunicorn's own messages, the app's loggers and the
  access log. The access log has method, path without the query string, status, bytes and duration:
  never a body, a header or the client's query (request bodies are contracts).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import tempfile
import time
from importlib import util as _importlib_util
from pathlib import Path

from gunicorn import glogging


def _env(name: str, default: str) -> str:
    value = os.environ.get(f"TERMSCORE_{name}", "").strip()
    return value or default


def _env_int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _env_float(name: str, default: float) -> float:
    return float(_env(name, str(default)))


def _read(path: str) -> str:
    with open(path, encoding="ascii") as f:
        return f.read()


def cpu_count() -> int:
    """CPUs this process may really use: the cgroup quota (containers), else the affinity mask."""
    try:
        quota, period = _read("/sys/fs/cgroup/cpu.max").split()[:2]  # cgroup v2
        if quota != "max":
            return max(1, -(-int(quota) // int(period)))  # ceil
    except (OSError, ValueError):
        pass
    try:
        quota = int(_read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))  # cgroup v1
        period = int(_read("/sys/fs/cgroup/cpu/cpu.cfs_period_us"))
        if quota > 0 and period > 0:
            return max(1, -(-quota // period))
    except (OSError, ValueError):
        pass
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# --- what to serve, where -------------------------------------------------------------------------
wsgi_app = "addin_server:create_app()"
bind = [b.strip() for b in _env("BIND", "127.0.0.1:8000").split(",") if b.strip()]
# Load the app (and validate the playbook) once in the master: a bad rule file stops the start, and
# the workers share the loaded playbook's memory copy-on-write.
preload_app = _env("PRELOAD", "1") not in {"0", "false", "no"}


def _buffered_worker():
    """deploy/buffered_worker.py's class, loaded by path (deploy/ is not a package)."""
    spec = _importlib_util.spec_from_file_location("termscore_buffered_worker",
                                                   Path(__file__).with_name("buffered_worker.py"))
    module = _importlib_util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.BufferedSyncWorker


# --- processes ------------------------------------------------------------------------------------
# A review is CPU-bound pure Python: one sync worker per core serves the most reviews a second
# (measured: 2 workers on 2 cores 209/s of capacity, 3 workers 184/s); never fewer than two, so a
# health check is answered while a long review runs.
workers = _env_int("WORKERS", max(2, cpu_count()))
threads = _env_int("THREADS", 1)
_requested_class = _env("WORKER_CLASS", "sync" if threads == 1 else "gthread")
# A sync worker is served as deploy/buffered_worker.py's BufferedSyncWorker: the sync worker with its
# request reading made non-blocking and time-bounded. TERMSCORE_BUFFERED_READS=0: gunicorn's own.
buffered_reads = _requested_class == "sync" and _env("BUFFERED_READS", "1") not in {"0", "false", "no", "off"}
worker_class = _buffered_worker() if buffered_reads else _requested_class  # loaded here: errors stop the start
# The soft deadline needs the request in the main thread, where SIGALRM lands: sync or buffered sync.
_main_thread_requests = _requested_class == "sync"
# at most this many connections per worker are held while their requests are read
worker_connections = _env_int("WORKER_CONNECTIONS", 1000)
backlog = _env_int("BACKLOG", 2048)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # heartbeat file off the disk

# --- time -----------------------------------------------------------------------------------------
timeout = _env_int("TIMEOUT", 30)                  # hard: the master kills the worker
graceful_timeout = _env_int("GRACEFUL_TIMEOUT", 30)  # on SIGTERM/HUP, in-flight requests may finish
keepalive = _env_int("KEEPALIVE", 5)
request_deadline = _env_float("REQUEST_DEADLINE", max(0.0, timeout - 5.0))  # soft; 0 disables

# --- recycling ------------------------------------------------------------------------------------
max_requests = _env_int("MAX_REQUESTS", 5000)
max_requests_jitter = _env_int("MAX_REQUESTS_JITTER", max(1, max_requests // 10))

# --- HTTP hygiene ---------------------------------------------------------------------------------
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# TLS, when gunicorn itself terminates it (``make run``: the development certificate; nginx otherwise).
certfile = _env("CERTFILE", "") or None
keyfile = _env("KEYFILE", "") or None
# X-Forwarded-Proto is believed from these addresses only (nginx on the same machine by default).
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "termscore"

# --- the rate limit's counts ----------------------------------------------------------------------
# memory:// would count per worker (N workers: N times the limit). Unless a store is configured
# (redis:// for several machines), the workers of this master share a SQLite file on /dev/shm
# (addin_server/ratelimit_store.py's SqliteStorage), so the documented limit holds for the machine. gunicorn
# sets raw_env in the master before it loads the app; on_exit removes the file.
_rate_limit_file = None
if not _env("RATE_LIMIT_STORAGE", ""):
    _rate_limit_file = os.path.join("/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir(),
                                    f"termscore-ratelimit-{os.getpid()}.sqlite3")
    raw_env = [f"TERMSCORE_RATE_LIMIT_STORAGE=sqlite://{_rate_limit_file}"]

# --- logs -----------------------------------------------------------------------------------------
loglevel = _env("LOG_LEVEL", "info").lower()
accesslog = "-" if _env("ACCESS_LOG", "1") not in {"0", "false", "no", "off"} else None
errorlog = "-"
capture_output = False


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, pid, message and structured extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "msg": record.getMessage(),
        }
        http = getattr(record, "http", None)
        if http:
            entry.update(http)
        if record.exc_info:
            # The exception type and where it happened; its message could quote a request.
            entry["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(entry, ensure_ascii=False, default=str)


class JsonLogger(glogging.Logger):
    """gunicorn's logger, writing JSON lines to stdout for every logger in the process."""

    def setup(self, cfg):
        self.cfg = cfg
        self._access_log_enabled = cfg.accesslog is not None
        level = self.LOG_LEVELS.get(cfg.loglevel.lower(), logging.INFO)
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonFormatter())
        handler._termscore = True
        root = logging.getLogger()
        for old in [h for h in root.handlers if getattr(h, "_termscore", False)]:
            root.removeHandler(old)
        root.addHandler(handler)
        root.setLevel(level)
        for log in (self.error_log, self.access_log):
            for old in list(log.handlers):
                log.removeHandler(old)
            log.propagate = True
        self.error_log.setLevel(level)
        self.access_log.setLevel(logging.INFO)
        if self._access_log_enabled:
            # gunicorn's access line carries what the app's request log would: keep one of the two.
            logging.getLogger("addin_server.request").setLevel(logging.WARNING)

    def access(self, resp, req, environ, request_time):
        if not self._access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        self.access_log.info("access", extra={"http": {
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),  # no query string, ever
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
        }})


logger_class = JsonLogger


# --- hooks ----------------------------------------------------------------------------------------

def _deadline_reached(signum, frame):
    from werkzeug.exceptions import ServiceUnavailable

    raise ServiceUnavailable(
        f"The request took longer than {request_deadline:g} s and was stopped. "
        "Try again, or send a shorter document."
    )


def post_worker_init(worker):
    if request_deadline > 0 and _main_thread_requests:
        signal.signal(signal.SIGALRM, _deadline_reached)


def pre_request(worker, req):
    # Sync and buffered workers run the request in the main thread, where SIGALRM is delivered.
    if request_deadline > 0 and _main_thread_requests:
        signal.setitimer(signal.ITIMER_REAL, request_deadline)


def post_request(worker, req, environ, resp):
    if request_deadline > 0 and _main_thread_requests:
        signal.setitimer(signal.ITIMER_REAL, 0)


def worker_abort(worker):
    # SIGABRT from the master: the request ran past `timeout`. Say so, without the request.
    worker.log.error("worker timeout: request cut off after %ss", timeout)


def on_starting(server):
    server.log.info("starting termscore workers=%s threads=%s class=%s timeout=%ss deadline=%ss cpus=%s tls=%s",
                    workers, threads, "buffered sync" if buffered_reads else _requested_class, timeout,
                    request_deadline, cpu_count(), bool(certfile))
    store = os.environ.get("TERMSCORE_RATE_LIMIT_STORAGE") or "memory://"
    # a redis:// address may carry a password: its scheme only
    server.log.info("rate-limit store %s", store if store.startswith("sqlite://") else store.split(":", 1)[0])


def on_exit(server):
    if _rate_limit_file:
        for path in (_rate_limit_file, _rate_limit_file + "-journal"):
            try:
                os.remove(path)
            except OSError:
                pass


# gunicorn's control socket (gunicorn >= 24) is off unless asked for: several instances on one
# machine would otherwise share $HOME/.gunicorn/gunicorn.ctl, and the container's user has no home.
_control = _env("CONTROL_SOCKET", "")
control_socket_disable = not _control
if _control:
    control_socket = _control
