"""The redline as the review makes it: word edits and the anchors that find them in Word, their CPU
time counted when the caller asks for the review's phases (``review(phases=...)``, the bench's
breakdown). The one place the engine diffs a fix and anchors its edits.
"""

from __future__ import annotations

import threading
import time

from ..redline.diff import Edit, edits_with_anchors, word_edits as _word_edits

_clock = threading.local()  # .seconds: CPU time in the redline so far, or None when nobody asks


def start(timing: bool) -> None:
    """Begin a review: count the redline's CPU time from zero when ``timing``, else not at all."""
    _clock.seconds = 0.0 if timing else None


def stop() -> float | None:
    """End a review: the redline's CPU seconds since :func:`start` (None when not timing)."""
    seconds, _clock.seconds = getattr(_clock, "seconds", None), None
    return seconds


def _timed(step, *args):
    """``step(*args)``, its CPU time added to the redline's when the caller asks for phases."""
    if getattr(_clock, "seconds", None) is None:
        return step(*args)
    t = time.thread_time()
    try:
        return step(*args)
    finally:
        _clock.seconds += time.thread_time() - t


def word_edits(original: str, revised: str) -> list[Edit]:
    """The minimal word-level edits from ``original`` to ``revised`` (redline/diff.py)."""
    return _timed(_word_edits, original, revised)


def anchors(original: str, edits: tuple[Edit, ...] | list[Edit]) -> list[dict]:
    """Each edit as the wire gives it: offsets, new text and the anchor that finds it in Word."""
    return _timed(edits_with_anchors, original, edits)


__all__ = ["start", "stop", "word_edits", "anchors"]
