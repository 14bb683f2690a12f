"""Negation scope (engine/polarity.py) and the modality lexicon it reads (playbook/lexicon/modality.toml)."""

import re
from pathlib import Path

import pytest

from addin_server.engine.polarity import cues, negated, polarity
from addin_server.playbook import PlaybookError, default_modality, load_modality

LEX = default_modality()
ENTRIES = [*LEX.negators, *LEX.not_negators, *LEX.scope_breaks]


def _marked(example: str):
    """(plain text, [in-scope spans], [out-of-scope spans]) of a lexicon example."""
    plain, inside, outside, k = "", [], [], 0
    for m in re.finditer(r"\[\[(.*?)\]\]|\{\{(.*?)\}\}|([^\[\{]+|[\[\{])", example):
        if m.group(1) is not None:
            inside.append((len(plain), len(plain) + len(m.group(1))))
            plain += m.group(1)
        elif m.group(2) is not None:
            outside.append((len(plain), len(plain) + len(m.group(2))))
            plain += m.group(2)
        else:
            plain += m.group(3)
    return plain, inside, outside


@pytest.mark.parametrize("entry,example", [(e, x) for e in ENTRIES for x in e.examples],
                         ids=lambda v: getattr(v, "id", None) or v[:40])
def test_every_lexicon_example_holds(entry, example):
    text, inside, outside = _marked(example)
    for a, b in inside:
        assert polarity(text, a, b) is not None, f"{entry.id}: {text[a:b]!r} should be in scope in {text!r}"
    for a, b in outside:
        assert polarity(text, a, b) is None, f"{entry.id}: {text[a:b]!r} should be outside scope in {text!r}"


def _p(sentence: str, span: str, lead_in: str | None = None):
    start = sentence.index(span)
    return polarity(sentence, start, start + len(span), lead_in)


@pytest.mark.parametrize("sentence,span,kind", [
    # plain negation, in several shapes
    ("The Deliverables shall not be deemed a work made for hire.", "work made for hire", "negation"),
    ("Nothing in this Agreement grants the Client a perpetual licence to the Designs.", "perpetual", "negation"),
    ("No part of the Artwork may be used in all media.", "in all media", "negation"),
    ("The licence is neither sublicensable nor transferable.", "transferable", "negation"),
    ("Any exploitation of the Photos throughout the universe is strictly prohibited.", "throughout the universe", "negation"),
    # said plainly
    ("The Designer grants the Client a perpetual licence.", "perpetual", None),
    ("The Client may use the Designs in all media, including but not limited to print.", "in all media", None),
    ("The Client shall pay no later than 30 days after invoice and may use the Designs for any purpose.", "for any purpose", None),
    # "shall not ... other than": a limit
    ("The Designer shall not use the Client's trade secrets for any purpose other than the Project.", "for any purpose", "restriction"),
    ("The Recipient will not use the Information for any purpose whatsoever except to perform the Services.", "for any purpose", "restriction"),
    # "for any purpose other than X" with no negation: still a limit, not a grant of everything
    ("Each party may use the feedback for any purpose other than to compete.", "for any purpose", "restriction"),
    ("The Client may use the Designs for any purpose, other than training AI systems.", "for any purpose", "restriction"),
    # "not ... unless", "without the prior written consent": conditional
    ("The Client shall not create derivative works unless the Designer agrees in writing.", "derivative works", "conditional"),
    ("The Client may not, without the Designer's prior written consent, sublicense the Designs.", "sublicense", "conditional"),
    ("Use of the Designs in all media without the prior written consent of the Designer is a material breach.", "in all media", "conditional"),
    # double negation: a verb of forbidding inside a negation permits
    ("Nothing in this Agreement prevents the Client from using the Designs for any purpose.", "for any purpose", None),
    ("The Client shall not be prohibited from using the Designs in all media.", "in all media", None),
])
def test_polarity_of_a_span(sentence, span, kind):
    p = _p(sentence, span)
    assert (p.kind if p else None) == kind, (sentence, span, p)


@pytest.mark.parametrize("sentence,span", [
    ("The Client shall not sublicense the Designs; the Client may use them for any purpose.", "for any purpose"),
    ("The Designer shall not disclose the brief, provided that the Client may use it in all media.", "in all media"),
    ("The Designer shall not disclose the brief, provided, however, that the Client may use it in all media.", "in all media"),
    ("The Designer shall not assign the Designs, and the Client may use them for any purpose.", "for any purpose"),
    ("The Client may not sublicense the Designs, but it holds a perpetual licence.", "perpetual"),
    ("The Client shall not use the Designs in print unless the Designer is credited in all media.", "in all media"),
    ("The Designer shall not use materials provided by the Client, and the Client may use the Designs for any purpose.", "for any purpose"),
])
def test_scope_ends_at_a_break(sentence, span):
    assert _p(sentence, span) is None


def test_a_negation_in_the_lead_in_reaches_every_item_of_its_list():
    s = "The Client shall not: (a) sublicense the Designs; (b) use them in all media; (c) create derivative works."
    for span in ("sublicense", "in all media", "derivative works"):
        assert _p(s, span).kind == "negation", span


def test_a_list_item_given_with_its_lead_in():
    lead = "The Client is prohibited from:"
    assert _p("(b) using the Designs in all media;", "in all media", lead).kind == "negation"
    assert _p("(b) using the Designs in all media;", "in all media") is None
    # the item's own exception limits only that item
    lead = "The Recipient shall not:"
    item = "(a) use the Information for any purpose other than the Project; or"
    assert _p(item, "for any purpose", lead).kind == "restriction"


def test_an_exception_in_one_item_leaves_the_next_item_negated():
    s = "The Client shall not: (a) copy the Designs other than for backup; (b) use them in all media."
    assert _p(s, "in all media").kind == "negation"


def test_cues_report_the_lexicon_entry_and_its_reach():
    (cue,) = cues("The Client shall not sublicense the Designs; it may copy them.")
    assert cue.id == "modal-not" and cue.kind == "negation"
    text = "The Client shall not sublicense the Designs; it may copy them."
    assert cue.covers(text.index("sublicense")) and not cue.covers(text.index("copy"))


def test_negated_filters_by_kind():
    s = "The Designer shall not use the Client's secrets for any purpose other than the Project."
    a = s.index("for any purpose")
    assert negated(s, a, a + 15)
    assert not negated(s, a, a + 15, kinds=("negation",))


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "modality.toml"
    p.write_text(body)
    return p


GOOD = '''
[[negator]]
id = "not"
kind = "negation"
scope = "forward"
pattern = "\\\\bnot\\\\b"
examples = ["It is not [[perpetual]]."]
[[not_negator]]
id = "whether-or-not"
pattern = "\\\\bwhether\\\\s+or\\\\s+not\\\\b"
examples = ["whether or not {{published}}"]
[[scope_break]]
id = "semicolon"
kind = "end"
pattern = ";"
examples = ["It is not [[perpetual]]; {{it is good}}."]
'''


def test_the_loader_accepts_a_good_lexicon(tmp_path):
    lex = load_modality(_write(tmp_path, GOOD))
    assert [e.id for e in lex.negators] == ["not"]


@pytest.mark.parametrize("change,message", [
    (('kind = "negation"', 'kind = "maybe"'), "negator not: kind must be one of"),
    (('scope = "forward"', 'scope = "backward"'), "negator not: scope must be one of"),
    (('pattern = "\\\\bnot\\\\b"', 'pattern = "(not"'), "negator not: bad regular expression"),
    (('examples = ["It is not [[perpetual]]."]', 'examples = []'), "negator not: needs at least one example"),
    (('examples = ["It is not [[perpetual]]."]', 'examples = ["It is never so."]'), "does not match its example"),
    (('id = "semicolon"', 'id = "not"'), "scope_break not: duplicate id"),
    (('pattern = ";"', 'pattern = "(?P<x>;)"'), "named groups are not allowed"),
])
def test_a_bad_lexicon_stops_loading_with_the_file_and_entry_named(tmp_path, change, message):
    body = GOOD.replace(*change)
    assert body != GOOD
    with pytest.raises(PlaybookError, match=r"^modality\.toml: ") as exc:
        load_modality(_write(tmp_path, body))
    assert message in str(exc.value)


def test_the_playbook_carries_the_lexicon():
    from addin_server.playbook import default_playbook
    assert default_playbook().modality is LEX


def test_a_negation_inside_brackets_ends_with_them():
    s = "After the Term (but not after a termination for breach) the licence becomes perpetual."
    assert _p(s, "perpetual") is None
    assert _p(s, "termination").kind == "negation"


def test_a_subordinate_negation_does_not_reach_the_main_clause():
    s = "If the Designs are not accepted, the Agency may use them in all media."
    assert _p(s, "in all media") is None
    assert _p(s, "accepted").kind == "negation"


def test_a_negation_in_an_opening_clause_ends_at_its_comma_and_does_not_cancel_the_main_clause():
    # the main clause's verb of forbidding stands: the supposition's "not" does not undo it
    s = "When the Designer does not agree to such use, other users are prohibited from using the Designs in all media."
    assert _p(s, "in all media").kind == "negation"
    assert _p(s, "agree").kind == "negation"
    s = "Once the Client has not paid, the licence is terminated and the Client may use the Designs in all media."
    assert _p(s, "in all media") is None


@pytest.mark.parametrize("sentence,match,expected", [
    ("The Client shall not assign any rights in the Designs.", "shall not assign any rights", True),
    ("Nothing in this Agreement grants the Client a licence.", "grants the Client a licence", True),
    ("The Designer hereby assigns, and agrees never to contest, all rights in the Designs.",
     "hereby assigns, and agrees never to contest, all rights", False),
    ("Improvements that do not relate to the Software will be owned by the Client.",
     "Improvements that do not relate to the Software will be owned by", False),
    ("The Client may use the Designs for any purpose other than resale.", "for any purpose", True),
])
def test_match_negated_reads_the_start_and_the_head_of_a_match(sentence, match, expected):
    from addin_server.engine.polarity import match_negated
    a = sentence.index(match)
    assert match_negated(sentence, a, a + len(match)) is expected
