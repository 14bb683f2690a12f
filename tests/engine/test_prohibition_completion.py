"""Completing a contract's own AI clause (ai.prohibition-incomplete): the missing words go into the
clause where they read, or into one sentence after it; never into a label, a compound noun or
"the permission of you". Our own clauses, in the styles of the held-out agreements that broke it."""

import pytest

from addin_server.evaluation.redline_quality import Document, check_findings
from addin_server.engine.document import Options
from addin_server.playbook import default_playbook
from tests.helpers import apply_and_rerun, paras, run

CASES = {
    "a label before the clause, first person": (
        "I draw every commission by hand, and I deliver the files once you have paid me in full.\n"
        "I retain the copyright in the artwork. You receive a non-exclusive licence to use the artwork for personal purposes.\n"
        "No AI: You are strictly prohibited from feeding my artwork into AI training models.",
        "No AI: You are strictly prohibited from feeding my artwork into AI training models, including any machine "
        "learning model or generative AI. This restriction also applies to any third party acting for you or with "
        "your permission, and includes fine-tuning or developing any such system."),
    "clipped, no verb": (
        'This licence is between Harbour Sound ("Studio") and the Client named in the quote (the "Client").\n'
        "The Client may use the recording in paid online advertising campaigns.\n"
        "AI training prohibited without written permission.",
        None),
}


@pytest.mark.parametrize("style", sorted(CASES))
def test_the_completed_clause_reads_and_clears_its_finding(style):
    text, expected = CASES[style]
    doc = paras(text)
    first = run(doc)
    fix = next(f for f in first["findings"] if f["rule_id"] == "ai.prohibition-incomplete")
    revised = fix["suggestion"]["revised"]
    if expected is not None:
        assert revised == expected
    label = doc[-1].text.split(":")[0] + ":" if ":" in doc[-1].text else ""
    assert revised.startswith(label)  # nothing written into the label
    assert "permission of you" not in revised and "AI, including" not in revised
    assert revised.count("This restriction") <= 1  # one sentence after the clause, at most
    _, again = apply_and_rerun(doc, first)
    assert "ai.prohibition-incomplete" not in {f["rule_id"] for f in again["findings"]}


def test_completing_the_clause_is_not_a_second_ai_restriction():
    text, _ = CASES["a label before the clause, first person"]
    doc = paras(text)
    findings = run(doc)["findings"]
    assert "ai.prohibition-incomplete" in {f["rule_id"] for f in findings}
    found = check_findings(Document("ours", tuple(doc)), findings, Options(), default_playbook())
    assert not [v for v in found if v.check.startswith("ai-")], found
