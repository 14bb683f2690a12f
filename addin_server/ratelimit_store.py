"""A rate-limit storage shared by the worker processes of one machine: ``sqlite:///path``.

``limits``' ``memory://`` storage counts in each process, so gunicorn's N workers would allow N times
the documented rate, and its shared storages (Redis, Memcached, MongoDB) need a server. This one keeps
the moving window in a SQLite file that every worker opens (deploy/gunicorn.conf.py puts it on
/dev/shm when no store is configured). Defining the class registers the ``sqlite`` scheme with
``limits``; ``addin_server.security`` imports this module for that.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from urllib.parse import urlsplit

from limits.storage import MovingWindowSupport, Storage


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
