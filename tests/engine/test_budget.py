"""The review's CPU budget: spent, it stops the review; unset (the command line), nothing stops it."""

import pytest

from addin_server.engine import budget
from addin_server.engine.budget import Budget, ReviewTooLarge
from tests.helpers import SAMPLE, paras, run


def test_a_spent_budget_stops_the_review_and_no_budget_does_not():
    doc = paras(SAMPLE.read_text())
    with pytest.raises(ReviewTooLarge) as raised:
        from addin_server.engine.review import Options, review
        from addin_server.playbook import default_playbook

        review(doc, Options(), default_playbook(), Budget(1e-9))
    assert "more than 1e-09 s" in str(raised.value)
    assert run(doc)["findings"]  # no budget given, none set: the review runs to the end


def test_the_request_budget_applies_to_reviews_started_under_it_only():
    doc = paras(SAMPLE.read_text())
    token = budget.start(1e-9)
    try:
        with pytest.raises(ReviewTooLarge):
            run(doc)
    finally:
        budget.stop(token)
    assert run(doc)["findings"]
    token = budget.start(0)  # 0 means no bound
    try:
        assert run(doc)["findings"]
    finally:
        budget.stop(token)
