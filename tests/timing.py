"""A bound on wall-clock time for code that must never hang: past it the test fails, never waits."""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager


@contextmanager
def within(seconds: float, what: str = "the call"):
    """Fail with TimeoutError when the block runs longer than ``seconds`` (main thread, Unix)."""

    def _expired(signum, frame):
        raise TimeoutError(f"{what} took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.perf_counter()
    try:
        yield lambda: time.perf_counter() - started
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
