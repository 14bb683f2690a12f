"""Every rule's embedded examples: flagged where they should be, silent where not, fixed by the fix."""

import pytest

from addin_server.engine.apply import apply_all
from addin_server.playbook import PlaybookError, default_playbook, load_playbook
from tests.helpers import paras, run

PLAYBOOK = default_playbook()
CASES = [(rule, ex) for rule in PLAYBOOK.rules for ex in rule.examples]


def _id(case):
    rule, ex = case
    return f"{rule.id}:{'flag' if ex.flag else 'pass'}:{ex.text[:30]}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_rule_example(case):
    rule, ex = case
    doc = paras(ex.text)
    result = run(doc)
    mine = [f for f in result["findings"] if f["rule_id"] == rule.id]
    if not ex.flag:
        assert not mine, f"{rule.id} fired on a 'pass' example: {ex.text!r}"
        return
    assert mine, f"{rule.id} did not fire on its 'flag' example: {ex.text!r}"
    if ex.span:
        spans = [(f["span"]["start"], f["span"]["end"]) for f in mine]
        assert ex.span in spans, f"{rule.id}: expected span {ex.span} ({ex.text[ex.span[0]:ex.span[1]]!r}), got {spans}"
    # The fix clears the finding (LanguageTool's check): apply this rule's suggestions, review again.
    fixed = apply_all(doc, result["findings"], {f["id"] for f in mine} | {f["covered_by"] for f in mine if f.get("covered_by")})
    again = run(fixed)
    assert not [f for f in again["findings"] if f["rule_id"] == rule.id], (
        f"{rule.id}: applying the suggestion did not clear the finding: {[p.text for p in fixed]}")


@pytest.mark.parametrize("rule", PLAYBOOK.rules, ids=[r.id for r in PLAYBOOK.rules])
def test_fallbacks_clear_their_finding_too(rule):
    """The one-click fallback position is also a fix, not just an alternative wording."""
    for ex in [e for e in rule.examples if e.flag]:
        doc = paras(ex.text)
        result = run(doc)
        for f in [f for f in result["findings"] if f["rule_id"] == rule.id and f["alternatives"]]:
            alt = f["alternatives"][0]
            again = run(apply_all(doc, [{**f, "suggestion": alt, "covered_by": None}]))
            assert not [g for g in again["findings"] if g["rule_id"] == rule.id], (rule.id, alt)


def test_every_rule_has_flag_and_pass_examples():
    for rule in PLAYBOOK.rules:
        assert any(e.flag for e in rule.examples) and any(not e.flag for e in rule.examples), rule.id


def test_every_seed_clause_and_remedy_is_covered():
    types = {r.clause_type for r in PLAYBOOK.rules}
    for needed in ["ai-training-prohibition", "ai-training-permission", "purpose-limitation", "retained-rights",
                   "injunctive-relief", "liquidated-damages", "audit-rights", "perpetual-or-irrevocable",
                   "all-media", "any-purpose", "work-made-for-hire", "derivative-works", "ip-assignment",
                   "sublicensable-or-transferable", "confidentiality"]:
        assert needed in types, needed


def _write(tmp_path, **fields):
    """A one-rule family file: a valid risky rule, with ``fields`` replacing or adding keys."""
    rule = {"id": '"x.rule"', "kind": '"risky"', "category": '"usage-rights"', "clause_type": '"all-media"',
            "title": '"t"', "message": '"m"', "comment_counterparty": '"c"', "comment_internal": '"i"',
            "pattern": "'(?P<span>x)'", "fix": '{ action = "delete" }',
            "profiles": '{ high = { severity = "high", points = 1 } }'}
    rule.update(fields)
    examples = rule.pop("examples", '[[rule.example]]\nflag = "a"\n[[rule.example]]\npass = "b"')
    body = "[[rule]]\n" + "".join(f"{k} = {v}\n" for k, v in rule.items() if v is not None) + examples + "\n"
    (tmp_path / "family.toml").write_text(body)
    return tmp_path


def test_loader_names_file_and_rule_on_bad_regex(tmp_path):
    bad = _write(tmp_path, id='"x.broken"', pattern="'(?P<span>unclosed'")
    with pytest.raises(PlaybookError, match=r"family\.toml: rule x\.broken: bad regular expression"):
        load_playbook(bad)


def test_loader_rejects_rule_without_examples(tmp_path):
    bad = _write(tmp_path, id='"x.noexamples"', examples="")
    with pytest.raises(PlaybookError, match="x.noexamples: needs at least one 'flag' and one 'pass' example"):
        load_playbook(bad)


def test_loader_rejects_unknown_placeholder(tmp_path):
    bad = _write(tmp_path, id='"x.placeholder"', message='"m {clinet}"')
    with pytest.raises(PlaybookError, match=r"x\.placeholder: unknown placeholder \{clinet\}"):
        load_playbook(bad)


def test_loader_rejects_unknown_kind_and_category(tmp_path):
    with pytest.raises(PlaybookError, match="x.rule: kind must be one of"):
        load_playbook(_write(tmp_path, kind='"maybe"'))
    with pytest.raises(PlaybookError, match="x.rule: unknown category 'vibes'"):
        load_playbook(_write(tmp_path, category='"vibes"'))


def test_loader_accepts_the_minimal_valid_rule(tmp_path):
    assert load_playbook(_write(tmp_path)).by_id["x.rule"].kind == "risky"


def test_markdown_catalog_is_generated_from_the_rules():
    from addin_server.playbook.catalog import render
    from tests.helpers import ROOT

    page = (ROOT / "docs" / "playbook.md").read_text()
    assert page == render(), "docs/playbook.md is stale: run python -m addin_server.playbook.catalog > docs/playbook.md"


def test_keyword_scan_finds_exactly_the_keywords_that_occur():
    """The one-pass trie scan (with the keywords a match can hide tested one by one) must equal
    testing every keyword, for overlapping, nested and adjacent keywords alike."""
    import random

    playbook = default_playbook()
    keywords = [k for k, _ in playbook.keyword_index]
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice(keywords + [" ", "a", "s", "-", "\n"]) for _ in range(rng.randint(1, 8)))
        norm = " ".join(text.lower().split())
        want = sorted(k for k in keywords if k in norm)
        assert sorted(k for k, _ in playbook.keyword_hits(text)) == want, repr(text)
