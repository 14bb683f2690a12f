"""Lists: an item means what its lead-in makes it (engine/lists.py and its users).

Our own contract text, one drafting pattern per test: labelled and bulleted items, short lines that
are no sentence, a label read as a sentence of its own, a lead-in that only introduces a list."""

from addin_server.engine import frames
from addin_server.engine.document import Paragraph
from addin_server.engine.lists import item_like
from tests.helpers import apply_and_rerun, paras, run

GRANT_LIST = ("This Agreement is between Northwind Audio Inc. (\"Northwind\") and Sam Lee (\"Narrator\").\n"
              "The Narrator will record the scripts and Northwind will pay the session fee.\n"
              "The Narrator hereby assigns to Northwind:\n"
              "✅ All copyrights in the Recordings\n"
              "✅ All AI training rights (the right to use the Recordings to train machine learning models)\n"
              "Northwind owns perpetual, worldwide rights to:\n"
              "1. Use Recordings to Train AI Models\n"
              "Generate synthetic speech from the trained models")


def test_bullets_labels_and_short_lines_after_a_lead_in_are_items():
    assert item_like(Paragraph("p", "✅ Train voice models"), listed=False)
    assert item_like(Paragraph("p", "(b) display the Work"), listed=False)
    assert item_like(Paragraph("p", "Generate synthetic speech from the models"), listed=True)
    assert not item_like(Paragraph("p", "Generate synthetic speech from the models"), listed=False)
    assert not item_like(Paragraph("p", "The Narrator will deliver the files by Friday."), listed=True)


def test_an_item_of_a_grant_is_a_permission_and_a_label_is_not_its_first_sentence():
    stances = frames.paragraph_stances(["1.", "Use Recordings to Train AI Models"],
                                       "Northwind owns perpetual, worldwide rights to:")
    assert stances == [None, "permitted"]
    # the same item with no lead-in at all is read as a conduct list's item
    assert frames.paragraph_stances(["Use Recordings to Train AI Models"]) == ["prohibited"]


def test_a_lead_in_that_only_introduces_a_list_gives_its_items_no_stance():
    assert frames.paragraph_stances(["Recording specifications and AI training methodologies"],
                                    "The Narrator acknowledges receiving confidential information including:") == [None]


def test_a_permission_word_the_act_qualifies_grants_nothing():
    assert frames.paragraph_stances(["Voice rights, AI training consent and work-for-hire laws vary by state."]) == [None]


def test_items_that_grant_ai_training_are_struck_and_the_contract_gets_its_ai_clause():
    doc = paras(GRANT_LIST)
    r = run(doc)
    struck = {f["paragraph_id"] for f in r["findings"] if f["rule_id"] == "ai.training-permission"}
    by_text = {p.id: p.text for p in doc}
    assert {pid for pid, t in by_text.items() if "AI training rights" in t or "Train AI Models" in t} <= struck
    for f in r["findings"]:
        if f["rule_id"] == "ai.training-permission":
            assert f["suggestion"]["revised"] == ""
    assert "ai.prohibition-missing" in {f["rule_id"] for f in r["findings"]}
    _, again = apply_and_rerun(doc, r)
    assert not {f["rule_id"] for f in again["findings"]} & {"ai.training-permission", "ai.prohibition-missing"}


def test_an_item_under_a_duty_of_the_freelancer_is_the_freelancers_duty():
    # the voice actor's own exclusivity ("shall not: record voice work for AI training for any other
    # company") protects the client, and is no AI clause of the freelancer's
    text = ("This Agreement is between Northwind Audio Inc. (\"Northwind\") and Sam Lee (\"Narrator\").\n"
            "The Narrator hereby assigns to Northwind all right, title and interest in the Recordings.\n"
            "Northwind will pay the session fee.\n"
            "For two years the Narrator shall not:\n"
            "Record similar voice work for AI training purposes for any other company\n"
            "The Narrator may continue other voice work provided it does not involve AI training for competitors.")
    assert "ai.prohibition-missing" in {f["rule_id"] for f in run(paras(text))["findings"]}


def test_no_further_pay_for_a_use_does_not_forbid_the_use():
    stances = frames.paragraph_stances(["Use of the Recordings to train AI voice models"],
                                       "The Narrator agrees that the fee is a one-time payment with no ongoing royalties or additional compensation for:")
    assert stances != ["prohibited"]


def test_a_derivative_right_in_an_item_of_a_licence_list_is_found_and_its_lead_in_limits_it_once():
    """'You grant ... a licence to:' / 'Create clips ... and derivative works': the item is a right
    because of its lead-in; the fix is one limit in the lead-in ("a licence, solely for the Project,
    to:"), never "a licence to solely for the Project:", and no second limit in the item."""
    doc = paras('This Agreement is between Jo Park ("Artist") and Cotopia Inc. ("Cotopia").\n'
                "The Artist grants Cotopia a worldwide, non-exclusive license to:\n"
                "Host, store and reproduce the Content\n"
                "Create clips, previews, excerpts, and derivative works for promotional purposes\n")
    r = run(doc)
    derivative = next(f for f in r["findings"] if f["rule_id"] == "derivatives.ai-models")
    assert derivative["paragraph_id"] == doc[3].id
    owner = next(f for f in r["findings"] if f["id"] == derivative["covered_by"])
    assert owner["rule_id"] == "usage.purpose-limitation" and owner["paragraph_id"] == doc[1].id
    assert owner["suggestion"]["revised"].endswith("license, solely for the project described in this Agreement, to:")
    _, again = apply_and_rerun(doc, r)
    assert not [f for f in again["findings"] if f["rule_id"].startswith(("derivatives.", "usage."))]


def test_an_item_of_a_list_whose_lead_in_is_already_tied_to_the_project_is_no_risk():
    doc = paras('This Agreement is between Jo Park ("Artist") and Cotopia Inc. ("Cotopia").\n'
                "Solely for the Project, the Artist grants Cotopia a non-exclusive license to:\n"
                "Create clips, previews, excerpts, and derivative works for promotional purposes\n")
    assert "derivatives.ai-models" not in {f["rule_id"] for f in run(doc)["findings"]}


# --- an item read with its lead-in (agreement set 13, docs/accuracy.md; our own words) ---------------

def _types_by_paragraph(text: str) -> dict[str, set[str]]:
    result = run(paras(text))
    return {c["paragraph_id"]: set(c["types"]) for c in result["clauses"]}


def _rule_ids(text: str) -> set[str]:
    return {f["rule_id"] for f in run(paras(text))["findings"]}


def test_what_a_lead_in_keeps_is_kept_by_its_items():
    text = ("This Agreement is between Harbour Records LLC (\"Label\") and Ana Diaz (\"Artist\").\n"
            "Artist grants Label the right to license the Tracks for films and adverts.\n"
            "Artist retains:\n"
            "Full ownership of the underlying compositions and sound recordings")
    assert "ownership.retained-rights-missing" not in _rule_ids(text)
    assert "retained-rights" in _types_by_paragraph(text)["p3"]


def test_a_lead_in_that_assigns_to_its_items_carries_the_ownership_finding():
    result = run(paras(GRANT_LIST))
    owned = [f for f in result["findings"] if f["rule_id"].startswith("ownership.assignment")]
    assert [f["paragraph_id"] for f in owned] == ["p2"], owned


def test_a_licence_whose_every_item_is_limited_to_the_project_is_limited():
    text = ("This Agreement is between Harbour Records LLC (\"Client\") and Ana Diaz (\"Designer\").\n"
            "The Designer grants the Client a licence to:\n"
            "• use the Designs only as part of the Harbour website project\n"
            "• print the Designs solely for the Harbour website project")
    assert "usage.purpose-limitation" not in _rule_ids(text)
    text_open = text.replace("• print the Designs solely for the Harbour website project", "• print the Designs on merchandise")
    assert "usage.purpose-limitation" in _rule_ids(text_open)


def test_a_lead_in_that_says_its_items_are_assigned_waits_for_payment_and_the_final_work():
    # agreement set 15 (docs/accuracy.md), in our own words: the payment condition in the sentence before
    text = ("I, Sam Lee, will design a website for you, and you will pay me in two stages.\n"
            "All intellectual property stays mine until your final payment. It will be assigned as follows:\n"
            "You'll own the website I design for you and the visual elements I create for it, and everything else I make while working on it, as described above.\n"
            "I'll own any code I developed before this project and I'll license it to you for this project only.")
    result = run(paras(text))
    scope = [f for f in result["findings"] if f["rule_id"] == "ownership.assignment-scope"]
    assert [f["paragraph_id"] for f in scope] == ["p1"], result["findings"]
    revised = scope[0]["suggestion"]["revised"]
    assert "finally delivered" in revised and "effective only upon payment" not in revised
    _, again = apply_and_rerun(paras(text), result)
    assert not [f for f in again["findings"] if f["rule_id"].startswith("ownership.assignment")]


def test_an_item_of_the_creators_own_rights_is_not_tightened_against_the_creator():
    # agreement set 14, in our own words: the lead-in says whose rights its items are
    text = ("DEVELOPER: Northwind Web\n"
            "Northwind Web will build the website for [CLIENT NAME], who will pay the fees.\n"
            "Rights Granted to Northwind Web:\n"
            "✓ Modify and redistribute the codebase commercially\n"
            "Rights Granted to Client:\n"
            "✓ Modify the website for its own business")
    findings = [f for f in run(paras(text))["findings"] if f["rule_id"] == "derivatives.ai-models"]
    assert [f["paragraph_id"] for f in findings] == ["p5"], findings


def test_the_lead_ins_of_a_whole_document_in_one_pass_are_those_found_one_by_one():
    from addin_server.engine.document import ParaInfo
    from addin_server.engine.lists import lead_in_index, lead_in_indices
    lines = ["Terms", "The Client may not:", "• resell the Work", "", "(b) train models on it", "A closing sentence here.",
             "Use the Work only as follows:", "Print it in the book", "Display it on the website.", "Rights Granted:",
             "Modify the Work for the book."] + ["• item"] * 35
    infos = [ParaInfo(p, i, []) for i, p in enumerate(paras("\n".join(lines)))]
    assert lead_in_indices(infos) == [lead_in_index(infos, info) for info in infos]
