"""The clause model: its features, how it overrides or completes the patterns, and its file format."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from addin_server.engine.review import Options, Paragraph, analyse, review
from addin_server.engine.terms import find_terms
from addin_server.evaluation.cuad import CORPUS_DIR
from addin_server.playbook import PlaybookError, default_playbook, load_playbook
from addin_server.playbook.model import MODEL_PATH, ClauseModel, TypeModel, features

CORPUS = CORPUS_DIR / "contracts"


def _model(weights: dict[str, float], bias: float = 0.0, lo: float = 0.05, hi: float = 0.5) -> ClauseModel:
    return ClauseModel({"audit-rights": TypeModel("audit-rights", bias, weights, lo, hi)}, {})


def test_features_are_words_pairs_and_neighbouring_tags():
    f = features("Licensee shall keep Records for 3 years.", {"audit-rights"}, {"license-grant"}, None)
    assert {"licensee", "keep", "records", "0", "keep_records", "for_0", "T:audit-rights", "P:license-grant"} <= f
    assert not any(x.startswith("N:") for x in f)  # last sentence: nothing after it
    assert "len0" in f


def test_a_confident_model_withdraws_a_pattern_tag_and_a_doubtful_one_keeps_it():
    texts = ["The Company may audit the Contractor's books."]
    tags, maybe = [{"audit-rights"}], [frozenset({"audit-rights"})]
    assert _model({"audit": -10.0}).refine(texts, tags, maybe) == [set()]
    assert _model({"audit": -1.0}).refine(texts, tags, maybe) == [{"audit-rights"}]  # p = 0.27 > lo
    assert tags == [{"audit-rights"}]  # the patterns' tags are not mutated


def test_the_model_adds_a_type_only_to_plausible_sentences_and_only_when_sure():
    texts = ["The audit shall take place on five days' notice.", "The costs are borne by the Agency.",
             "Payment is due in thirty days."]
    tags = [{"audit-rights"}, set(), set()]
    maybe = [frozenset({"audit-rights"}), frozenset(), frozenset()]
    sure = _model({"P:audit-rights": 3.0, "due": 5.0}, bias=-1.0)
    # sentence 2 follows a tagged one (a candidate) and scores 0.88; sentence 3 would score higher
    # but is no candidate: no keyword of the type, no tagged neighbour
    assert sure.refine(texts, tags, maybe) == [{"audit-rights"}, {"audit-rights"}, set()]
    unsure = _model({"P:audit-rights": 0.5}, bias=-1.0)
    assert unsure.refine(texts, tags, maybe) == [{"audit-rights"}, set(), set()]


def test_a_withdrawn_tag_changes_what_is_reported_not_what_the_findings_see():
    playbook = replace(default_playbook(), model=_model({"audit": -10.0}))
    paras = [Paragraph("p1", "The Agency may audit the Designer's records once a year.")]
    info = analyse(paras, playbook, find_terms([(p.id, p.text) for p in paras]))[0]
    assert "audit-rights" not in info.reported  # clauses[] reports the model's verdict
    assert "audit-rights" in info.types  # the findings still see the protection the patterns found
    assert info.sentences[0].beneficiary is not None
    rules_only = analyse(paras, replace(playbook, model=None), find_terms([(p.id, p.text) for p in paras]))[0]
    assert "audit-rights" in rules_only.reported and "audit-rights" in rules_only.types


def test_the_shipped_model_keeps_the_freelance_grants_and_protections_the_patterns_find():
    playbook = default_playbook()
    assert playbook.model is not None and set(playbook.model.types) == {"license-grant", "ip-assignment", "audit-rights"}
    texts = [
        "Designer hereby grants to Agency a non-exclusive license to use the Deliverables solely for the Project.",
        "Writer hereby assigns to the Publisher all right, title and interest in and to the Work.",
        "The Illustrator may audit the Agency's records relating to the use of the Artwork once a year.",
    ]
    expected = ["license-grant", "ip-assignment", "audit-rights"]
    paras = [Paragraph(f"p{i}", t) for i, t in enumerate(texts)]
    terms = find_terms([(p.id, p.text) for p in paras])
    for info, t in zip(analyse(paras, playbook, terms), expected):
        assert t in info.types, (t, sorted(info.types))


def test_a_review_runs_without_any_model():
    playbook = load_playbook(model_path=None)
    assert playbook.model is None
    body = review([Paragraph("p1", "The Designer grants the Agency a perpetual, irrevocable licence to the Work.")],
                  Options(), playbook)
    assert any(f["rule_id"] for f in body["findings"])


def test_a_broken_model_file_stops_start_up_with_a_named_error(tmp_path):
    good = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    cases = {
        "not json": "{",
        "old features": json.dumps({**good, "meta": {**good["meta"], "feature_version": 0}}),
        "bad thresholds": json.dumps({**good, "types": {"audit-rights": {"bias": 0, "lo": 0.9, "hi": 0.1, "weights": {}}}}),
        "unknown type": json.dumps({**good, "types": {"no-such-type": {"bias": 0, "lo": 0.1, "hi": 0.5, "weights": {}}}}),
        "missing key": json.dumps({"meta": good["meta"], "types": {"audit-rights": {"bias": 0}}}),
    }
    messages = {
        "not json": "cannot read the clause model",
        "old features": "feature_version 0",
        "bad thresholds": "thresholds need 0 < lo <= hi < 1",
        "unknown type": "models unknown clause type 'no-such-type'",
        "missing key": "malformed clause model",
    }
    for name, text in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(PlaybookError, match=messages[name]):
            load_playbook(model_path=path)


def test_the_model_file_round_trips():
    model = ClauseModel.load()
    again = ClauseModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.types == model.types


def test_operative_words_of_grant_keep_a_pattern_tag_whatever_the_model_says():
    lg = ClauseModel({"license-grant": TypeModel("license-grant", -10.0, {}, 0.05, 0.5)}, {})
    texts = ["Such Reserved Materials are hereby licensed by Provider to Customer under Section 6.2(a).",
             "Contractor hereby irrevocably assigns to Company all right, title and interest in the Work.",
             "The licenses granted to Customer in Section 6.2 survive termination."]
    tags = [{"license-grant"}] * 3
    maybe = [frozenset({"license-grant"})] * 3
    assert lg.refine(texts, tags, maybe) == [{"license-grant"}, {"license-grant"}, set()]


def test_a_grant_by_reference_in_a_real_agreement_stays_a_licence_grant():
    # Bonterms PSA 6.3(c)/(d): materials "are hereby licensed by Provider to Customer under the
    # license for Licensed Deliverables": sentences with no tagged neighbour, which the model alone
    # scores below its threshold
    text = (CORPUS / "bonterms-professional-services-agreement.txt").read_text(encoding="utf-8")
    paras = [Paragraph(f"p{i}", t) for i, t in enumerate(line for line in text.splitlines() if line.strip())]
    infos = analyse(paras, default_playbook(), find_terms([(p.id, p.text) for p in paras]))
    by_reference = [i for i in infos if "are hereby licensed by Provider to Customer" in i.para.text]
    assert len(by_reference) == 2
    assert all("license-grant" in i.types for i in by_reference)
