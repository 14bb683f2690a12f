"""A long paragraph costs what its sentences cost: no step of the review is quadratic in its length."""

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from addin_server.engine.review import Paragraph, _touch
from bench.bench_review import RISKY_SENTENCES, _paragraph_of
from tests.helpers import run


def _best_cpu(text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.thread_time()
        run([Paragraph("p-1", text)])
        best = min(best, time.thread_time() - started)
    return best


def test_five_times_the_paragraph_costs_about_five_times_the_time():
    """Found by fuzzing: 20,000 characters of risky sentences took 1 s and 50,000 took 6 s (the word diff,
    the paragraph-wide exception tests, the trailing-article search and the edit overlap test each
    scanned the whole paragraph once per sentence). Linear is 5x; quadratic would be 25x."""
    small, large = _paragraph_of(RISKY_SENTENCES, 10_000), _paragraph_of(RISKY_SENTENCES, 50_000)
    run([Paragraph("p-1", small)])  # warm
    ratio = _best_cpu(large) / _best_cpu(small)
    assert ratio < 9, f"{ratio:.1f}x the time for 5x the text"


SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 5)).map(lambda t: (t[0], t[0] + t[1])), max_size=8)


@settings(max_examples=500, deadline=None)
@given(SPANS, SPANS)
def test_touch_is_every_pair_in_one_walk(a, b):
    assert _touch(a, b) == any(s1 <= e2 and s2 <= e1 for s1, e1 in a for s2, e2 in b)
