"""A bound on the CPU time one review may use, so no request within the limits can run long.

The size limits bound the text, but not what it costs: a paragraph of ordinary boilerplate costs
about 0.4 µs a character, a paragraph where every sentence is a risky grant about 6 µs. A request
made entirely of such paragraphs, within the character limits, would take tens of seconds. The
review checks its budget between paragraphs and rules (each step is at most a few tens of
milliseconds, a 50,000-character paragraph included) and stops with ``ReviewTooLarge`` when it is
spent, which the API reports as a 413 that says so. Real contracts of a thousand pages use a
fraction of it. CPU time of the calling thread, so other requests on the machine do not count.
"""

from __future__ import annotations

import time
from contextvars import ContextVar, Token
from dataclasses import dataclass, field


class ReviewTooLarge(Exception):
    """The review needed more CPU time than its budget."""

    def __init__(self, seconds: float):
        super().__init__(f"reviewing this document needs more than {seconds:g} s of server time")
        self.seconds = seconds


@dataclass
class Budget:
    """``seconds`` of CPU time from creation; ``None`` is no bound (the command line)."""

    seconds: float | None = None
    _deadline: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.thread_time() + self.seconds if self.seconds else float("inf")

    def check(self) -> None:
        if time.thread_time() > self._deadline:
            raise ReviewTooLarge(self.seconds or 0.0)


_CURRENT: ContextVar[Budget | None] = ContextVar("termscore_review_budget", default=None)


def current() -> Budget:
    """The budget of the request being served (set by the API for each request), else no bound."""
    return _CURRENT.get() or Budget()


def start(seconds: float | None) -> Token:
    """Start a request's budget now: parsing and validating the body count against it too."""
    return _CURRENT.set(Budget(seconds if seconds and seconds > 0 else None))


def stop(token: Token) -> None:
    _CURRENT.reset(token)
