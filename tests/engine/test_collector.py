"""The cyclic collector is paused while a review runs, and only then (engine/review.py)."""

import gc
import threading

import pytest

from addin_server.engine import review as engine
from addin_server.engine.budget import Budget, ReviewTooLarge
from addin_server.engine.review import Options, review
from addin_server.playbook import default_playbook
from tests.helpers import SAMPLE, paras


def test_the_collector_runs_again_after_a_review_even_one_that_fails():
    doc = paras(SAMPLE.read_text())
    seen = []
    real = engine._review

    def spy(*args):
        seen.append(gc.isenabled())
        return real(*args)

    engine._review = spy
    try:
        assert gc.isenabled()
        review(doc, Options(), default_playbook())
        assert gc.isenabled()
        with pytest.raises(ReviewTooLarge):
            review(doc, Options(), default_playbook(), Budget(1e-9))
        assert gc.isenabled()
        gc.disable()  # a caller that keeps it off finds it off
        try:
            review(doc, Options(), default_playbook())
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        engine._review = real
    assert seen[:2] == [False, False]


def test_overlapping_reviews_resume_it_when_the_last_returns():
    doc = paras(SAMPLE.read_text())
    inside, release = threading.Event(), threading.Event()
    real = engine._review

    def slow(*args):
        inside.set()
        release.wait(10)
        return real(*args)

    engine._review = slow
    try:
        t = threading.Thread(target=review, args=(doc, Options(), default_playbook()))
        t.start()
        inside.wait(10)
        engine._review = real
        review(doc, Options(), default_playbook())
        assert not gc.isenabled()  # the other review still runs
        release.set()
        t.join(10)
        assert gc.isenabled()
    finally:
        engine._review = real
        release.set()
