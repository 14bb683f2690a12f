"""A sync gunicorn worker that a slow client cannot pin: requests are read whole before a worker serves them.

gunicorn's sync worker reads a request with blocking calls and no time limit, so a client that sends
its request slowly (a byte a second, or headers and never the body) holds a worker until the master's
``timeout`` kills it; a handful of such clients takes a two-worker service down. gthread only bounds
the wait for the *first* byte (5 s), then reads the rest blocking in a pool thread, so the same
clients pin its threads; and threads lose the hard timeout (the main thread keeps heart-beating while
a request thread is stuck) and the SIGALRM soft deadline (signals reach the main thread only).

``deploy/gunicorn.conf.py`` names this class as its ``worker_class`` whenever a sync worker is asked
for (the default); ``TERMSCORE_BUFFERED_READS=0`` leaves gunicorn's own.

This worker does what nginx does in front of a sync worker, inside the worker:

- Its main loop multiplexes every connection (``selectors``, non-blocking, TLS handshake included)
  and buffers each request until it is complete: the header block, then the body by
  ``Content-Length`` or by its chunked framing. A slow client costs a buffer, not a worker.
- ``TERMSCORE_READ_TIMEOUT`` (default 30 s) bounds the whole read of one request, handshake to last
  byte; past it the client gets a 408 in the API's JSON error envelope and the connection is closed.
  At most ``worker_connections`` connections are held per worker, and at most
  ``TERMSCORE_READ_BUFFER_BYTES`` are buffered in all (a 503 envelope beyond).
- A complete request is served exactly as the sync worker serves it, in the main thread and one at a
  time: the review is CPU-bound pure Python, so a second concurrent review in the same process would
  only share the CPU. The SIGALRM soft deadline (gunicorn.conf.py) therefore still interrupts it, and
  as the loop does not heart-beat while a request runs, the master's ``timeout`` still kills a stuck
  worker and starts a new one.
- A worker that holds a complete request stops accepting, so idle workers take the next connections
  (the sync worker's balancing).
- The response is written with a bounded time per write (``TERMSCORE_WRITE_TIMEOUT``, 10 s).

If the framing is one this loop does not recognise (a bad chunk size, conflicting lengths), it hands
the request over as soon as it sees the problem and gunicorn's own parser answers it (400 and the
like); any byte the parser still needs is read from the socket within what remains of the read timeout.
"""

from __future__ import annotations

import errno
import os
import re
import selectors
import socket
import ssl
import time
from collections import deque

from gunicorn import http, sock as gsock, util
from gunicorn.workers.sync import SyncWorker

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_MAX_HEADER_BYTES = 4096 + 100 * 8192 + 4  # gunicorn's request line and header limits, and slack
STOP_LINGER = 3.0  # seconds a stopping worker still gives the requests it is receiving


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(f"TERMSCORE_{name}", "").strip()
    return float(value) if value else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(f"TERMSCORE_{name}", "").strip()
    return int(value) if value else default


def _envelope(status: int, reason: str, code: str, message: str) -> bytes:
    body = ('{"error": {"status": %d, "code": "%s", "message": "%s"}}' % (status, code, message)).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\nCache-Control: no-store\r\n"
            "X-Content-Type-Options: nosniff\r\n\r\n").encode()
    return head + body


class _Conn:
    """One connection while its request is read: the socket, the bytes so far, the framing found."""

    __slots__ = ("sock", "addr", "listener", "deadline", "buf", "handshaking", "header_end",
                 "length", "chunk_pos", "continue_sent", "complete", "events")

    def __init__(self, sock, addr, listener, deadline, handshaking):
        self.sock, self.addr, self.listener, self.deadline = sock, addr, listener, deadline
        self.buf = bytearray()
        self.handshaking = handshaking
        self.header_end = -1      # index just past the blank line ending the headers
        self.length = None        # body length, or -1 for chunked
        self.chunk_pos = 0        # where the next chunk-size line starts (chunked)
        self.continue_sent = False
        self.complete = False
        self.events = selectors.EVENT_READ


class _Prefetched:
    """The socket as gunicorn's parser and response see it: the buffered request first, then the socket.

    A byte beyond the buffer (only when the framing was not recognised) is read from the socket within
    what remains of the read timeout; writes have their own bounded timeout.
    """

    def __init__(self, conn: _Conn, write_timeout: float):
        self._sock = conn.sock
        self._data = bytes(conn.buf)
        self._pos = 0
        self._deadline = conn.deadline
        self._write_timeout = write_timeout
        self._continue_sent = conn.continue_sent

    def recv(self, size, *flags):
        if self._pos < len(self._data):
            chunk = self._data[self._pos:self._pos + size]
            self._pos += len(chunk)
            return chunk
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request was not received within the read timeout")
        self._sock.settimeout(remaining)
        try:
            return self._sock.recv(size, *flags)
        finally:
            self._sock.settimeout(self._write_timeout)

    def send(self, data, *flags):
        if self._continue_sent and bytes(data) == CONTINUE:
            return len(data)  # already sent while the body was awaited
        return self._sock.send(data, *flags)

    def sendall(self, data, *flags):
        return self._sock.sendall(data, *flags)

    def __getattr__(self, name):
        return getattr(self._sock, name)


class BufferedSyncWorker(SyncWorker):
    """Sync worker whose request reading is multiplexed and time-bounded (see the module docstring)."""

    # the settings are read in run(), in the worker process, once gunicorn has set the worker up
    def _setup_buffering(self) -> None:
        self.read_timeout = _env_float("READ_TIMEOUT", 30.0)
        self.write_timeout = _env_float("WRITE_TIMEOUT", 10.0)
        largest = max(_env_int("MAX_BODY_BYTES", 8 * 1024 * 1024), _env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
        # A body beyond this is not buffered: the app refuses a declared length over its limit (413)
        # before reading it; the rest is read from the socket, within the read timeout.
        self.body_cap = largest + 64 * 1024
        self.buffer_budget = _env_int("READ_BUFFER_BYTES", 4 * self.body_cap)
        self.max_conns = max(1, self.cfg.worker_connections)
        self.ssl_context = gsock.ssl_context(self.cfg) if self.cfg.is_ssl else None  # once, not per connection

    # --- the loop ---------------------------------------------------------------------------------

    def run(self):
        self._setup_buffering()
        for s in self.sockets:
            s.setblocking(False)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.PIPE[0], selectors.EVENT_READ, "pipe")
        self.conns: dict[int, _Conn] = {}
        self.ready: deque[_Conn] = deque()
        self.buffered = 0
        self.accepting = False
        tick = min(1.0, self.timeout or 0.5)
        linger_end = None
        try:
            while True:
                if not self.alive:
                    # Stopping (SIGTERM, max_requests): accept nothing more, but finish the requests
                    # already arriving for a moment rather than cut them off; then drop the rest.
                    if linger_end is None:
                        linger_end = time.monotonic() + min(STOP_LINGER, self.read_timeout)
                    if not (self.ready or self.conns) or time.monotonic() >= linger_end:
                        break
                self.notify()
                if not self.is_parent_alive():
                    break
                self._set_accepting(self.alive and not self.ready and len(self.conns) < self.max_conns)
                timeout = 0 if self.ready else tick
                if self.conns and not self.ready:
                    soonest = min(c.deadline for c in self.conns.values())
                    if linger_end is not None:
                        soonest = min(soonest, linger_end)
                    timeout = max(0.0, min(timeout, soonest - time.monotonic()))
                try:
                    events = self.sel.select(timeout)
                except OSError as e:
                    if e.errno != errno.EINTR:
                        raise
                    events = []
                for key, _ in events:
                    if key.data == "pipe":
                        try:
                            os.read(self.PIPE[0], 4096)
                        except OSError:
                            pass
                    elif isinstance(key.data, _Conn):
                        self._on_event(key.data)
                    else:
                        self._accept(key.data)
                self._expire()
                if self.ready:
                    self._serve(self.ready.popleft())
        finally:
            for conn in list(self.conns.values()):
                self._drop(conn)
            for conn in self.ready:
                self._drop(conn)

    def _set_accepting(self, enabled: bool) -> None:
        if enabled == self.accepting:
            return
        for listener in self.sockets:
            if enabled:
                self.sel.register(listener, selectors.EVENT_READ, listener)
            else:
                self.sel.unregister(listener)
        self.accepting = enabled

    def _accept(self, listener) -> None:
        try:
            client, addr = listener.accept()
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                return
            raise
        util.close_on_exec(client)
        client.setblocking(False)
        handshaking = False
        if self.cfg.is_ssl:
            try:
                client = self.ssl_context.wrap_socket(
                    client, server_side=True, do_handshake_on_connect=False,
                    suppress_ragged_eofs=self.cfg.suppress_ragged_eofs)
            except (OSError, ssl.SSLError):
                util.close(client)
                return
            handshaking = True
        conn = _Conn(client, addr, listener, time.monotonic() + self.read_timeout, handshaking)
        self.conns[client.fileno()] = conn
        self.sel.register(client, selectors.EVENT_READ, conn)
        self._on_event(conn)  # the request is often there already

    def _on_event(self, conn: _Conn) -> None:
        if conn.handshaking:
            try:
                conn.sock.do_handshake()
                conn.handshaking = False
                self._want(conn, selectors.EVENT_READ)
            except ssl.SSLWantReadError:
                self._want(conn, selectors.EVENT_READ)
                return
            except ssl.SSLWantWriteError:
                self._want(conn, selectors.EVENT_WRITE)
                return
            except (OSError, ssl.SSLError, ValueError):
                self._drop(conn)
                return
        while not conn.complete:
            try:
                data = conn.sock.recv(65536)
            except (BlockingIOError, ssl.SSLWantReadError, InterruptedError):
                break
            except ssl.SSLWantWriteError:
                self._want(conn, selectors.EVENT_WRITE)
                return
            except (OSError, ssl.SSLError, ValueError):
                self._drop(conn)
                return
            if not data:  # the client went away before finishing its request
                self._drop(conn)
                return
            conn.buf += data
            self.buffered += len(data)
            if self.buffered > self.buffer_budget:
                self._refuse(conn, 503, "Service Unavailable", "unavailable",
                             "The server is receiving too many requests at once. Try again shortly.")
                return
            self._frame(conn)
        if conn.complete:
            self.sel.unregister(conn.sock)
            del self.conns[conn.sock.fileno()]
            self.ready.append(conn)

    def _want(self, conn: _Conn, events: int) -> None:
        if conn.events != events:
            self.sel.modify(conn.sock, events, conn)
            conn.events = events

    def _frame(self, conn: _Conn) -> None:
        """Is the request in ``conn.buf`` complete? Sets ``conn.complete``; unknown framing counts as complete."""
        buf = conn.buf
        if conn.header_end < 0:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                if len(buf) > _MAX_HEADER_BYTES or b"\n\n" in buf:
                    conn.complete = True  # gunicorn's parser refuses it
                return
            conn.header_end = end + 4
            self._read_headers(conn, bytes(buf[:end]))
            if conn.complete:
                return
        if conn.length is None:
            conn.complete = True
        elif conn.length >= 0:
            if len(buf) - conn.header_end >= conn.length or conn.length > self.body_cap:
                conn.complete = True
        else:
            self._chunks(conn)
            if not conn.complete and len(buf) - conn.header_end > self.body_cap:
                conn.complete = True

    def _read_headers(self, conn: _Conn, block: bytes) -> None:
        lengths, chunked, expect = set(), False, False
        for line in block.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                lengths.add(value.strip())
            elif name == b"transfer-encoding":
                chunked = chunked or b"chunked" in value.lower()
            elif name == b"expect":
                expect = value.strip().lower() == b"100-continue"
        if chunked:
            if lengths:
                conn.complete = True  # both framings: gunicorn's parser refuses it
                return
            conn.length = -1
            conn.chunk_pos = conn.header_end
        elif lengths:
            value = lengths.pop()
            if lengths or not value.isdigit():
                conn.complete = True
                return
            conn.length = int(value)
            if conn.length == 0:
                conn.length = None
        # (not for a body over the cap: the app refuses its declared length unread, 413)
        body_missing = conn.length is not None and (
            conn.length < 0 or len(conn.buf) - conn.header_end < conn.length <= self.body_cap)
        if expect and body_missing and b"HTTP/1.1" in block[:block.find(b"\r\n") if b"\r\n" in block else len(block)]:
            try:  # the client waits for this before sending its body
                conn.sock.send(CONTINUE)
                conn.continue_sent = True
            except (OSError, ssl.SSLError):
                pass

    def _chunks(self, conn: _Conn) -> None:
        buf, pos = conn.buf, conn.chunk_pos
        while True:
            eol = buf.find(b"\r\n", pos)
            if eol < 0:
                if len(buf) - pos > 4096:
                    conn.complete = True  # an endless chunk-size line: the parser refuses it
                return
            size_field = bytes(buf[pos:eol]).split(b";", 1)[0].strip()
            if not _HEX.fullmatch(size_field):
                conn.complete = True  # an invalid chunk size: the parser answers 400
                return
            size = int(size_field, 16)
            if size == 0:
                # The last chunk, then optional trailer fields and a blank line.
                if buf[eol + 2:eol + 4] == b"\r\n" or buf.find(b"\r\n\r\n", eol) >= 0:
                    conn.complete = True
                return
            nxt = eol + 2 + size + 2
            if nxt > len(buf):
                conn.chunk_pos = pos
                return
            pos = nxt
            conn.chunk_pos = pos

    def _expire(self) -> None:
        now = time.monotonic()
        for conn in [c for c in self.conns.values() if c.deadline <= now]:
            self.log.info("request not received within %gs: connection closed", self.read_timeout)
            if conn.handshaking:
                self._drop(conn)
            else:
                self._refuse(conn, 408, "Request Timeout", "request_timeout",
                             f"The request was not received within {self.read_timeout:g} s.")

    def _refuse(self, conn: _Conn, status: int, reason: str, code: str, message: str) -> None:
        try:
            conn.sock.send(_envelope(status, reason, code, message))
        except (OSError, ssl.SSLError, ValueError):
            pass
        self._drop(conn)

    def _drop(self, conn: _Conn) -> None:
        self.buffered -= len(conn.buf)
        conn.buf = bytearray()
        try:
            fd = conn.sock.fileno()
        except (OSError, ValueError):
            fd = -1
        if self.conns.get(fd) is conn:
            del self.conns[fd]
            try:
                self.sel.unregister(conn.sock)
            except (KeyError, ValueError, OSError):
                pass
        util.close(conn.sock)

    # --- serving a complete request: what SyncWorker.handle does, on the buffered bytes ---------------

    def _serve(self, conn: _Conn) -> None:
        self.buffered -= len(conn.buf)
        real = conn.sock
        client = _Prefetched(conn, self.write_timeout)
        conn.buf = bytearray()
        req = None
        try:
            real.setblocking(True)
            real.settimeout(self.write_timeout)
            parser = http.get_parser(self.cfg, client, conn.addr)
            req = next(parser)
            self.handle_request(conn.listener, req, client, conn.addr)
        except http.errors.NoMoreData as e:
            self.log.debug("Ignored premature client disconnection. %s", e)
        except StopIteration as e:
            self.log.debug("Closing connection. %s", e)
        except TimeoutError:
            self.log.info("request or response not transferred in time: connection closed")
        except ssl.SSLError as e:
            if e.args[0] != ssl.SSL_ERROR_EOF:
                self.handle_error(req, client, conn.addr, e)
        except OSError as e:
            if e.errno not in (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN):
                self.log.exception("Socket error processing request.")
        except BaseException as e:
            self.handle_error(req, client, conn.addr, e)
        finally:
            try:
                util.close_graceful(real)
            except (OSError, ValueError):
                util.close(real)
