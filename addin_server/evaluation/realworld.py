"""The real-world development batch (``../shared/corpus/real-world/``, issue 11): published clauses
and whole agreements nobody on this project wrote. Scored as the product sees them, before any rule
is changed for them; ``make eval`` prints the figures and ``tests/eval/test_realworld.py`` holds them.

AI clauses (``ai_clauses.jsonl``)
    Each item's text is reviewed as a one-paragraph document of its own, through the same code that
    scores the project's own AI examples (:func:`.ai.evaluate_examples`, which tags through
    ``analyse`` exactly as ``review()`` reports ``clauses[].types``). The stance given is the set of
    AI clause types among the tags; it is right when it is exactly the expected set. Expected stance
    per category, from the batch README's labelling conventions:

    ===============================  ==============================================================
    ``ai_training_prohibition``      ``ai-training-prohibition`` (using the content to train,
                                     develop or improve AI, build datasets, scrape or mine for AI
                                     is forbidden)
    ``vendor_no_training``           ``ai-training-prohibition`` (the counterparty promises not to
                                     train on the user's content: a prohibition of training)
    ``ai_training_permission``       ``ai-training-permission`` (including conditional and opt-out
                                     forms: training is permitted under conditions)
    ``project_limited_license``      neither AI stance (no AI wording)
    ``risky_broad_license``          neither AI stance (checked by program to hold no AI wording)
    ``ai_use_by_author_disclosure``  neither (the creator's own use of AI is not training: a hard
                                     negative)
    ``unrelated_ai_mention``         neither (moderation, definitions, disclaimers: hard negative)
    ===============================  ==============================================================

    Tagged with both stances counts as wrong whatever the category.

    The licence items are also checked for what they are (no floor of their own): a
    ``project_limited_license`` should carry ``purpose-limitation``, a ``risky_broad_license`` at
    least one of ``perpetual-or-irrevocable``, ``all-media``, ``any-purpose``,
    ``sublicensable-or-transferable``. Issue 11's first count (68 of 107) required the first of
    these for the project-limited items; ``ClauseResult.issue_count`` gives that count.

Whole agreements (``contracts/*.txt`` and ``contracts/labels.json``)
    Each line of a ``.txt`` file is one paragraph (the batch's convention), with id ``L<n>`` for its
    1-based line number, the numbering ``labels.json`` uses (every label's quote is checked to occur
    in its line). The agreement is reviewed whole with the default options: the user, the creator
    who grants, is the provider; agency risk profile ``high``, under which all six protections are
    required.

    *Presence of each protection.* What the review tells the user, for each of the labels' six:

    ===========================  ==================================================================
    label                        reported missing when the review returns a finding of
    ===========================  ==================================================================
    ``ai_training_prohibition``  ``ai.prohibition-missing``
    ``user_retains_underlying``  ``ownership.retained-rights-missing``, or
                                 ``ownership.assignment-no-carveout`` (which suppresses it and
                                 whose fix adds the carve-out)
    ``injunctive_relief``        ``remedies.injunctive-relief-missing``
    ``liquidated_damages``       ``remedies.liquidated-damages-missing``
    ``audit_right``              ``remedies.audit-missing``
    ``purpose_limited_license``  (no "missing" rule: ``usage.purpose-limitation`` only tightens a
                                 grant) reported present when a paragraph of ``clauses[]`` carries
                                 ``purpose-limitation``, missing otherwise
    ===========================  ==================================================================

    The rule ids and clause types are checked against the playbook when scoring, so a renamed rule
    fails loudly instead of scoring as "never missing". A missing-clause rule applies only when the
    review recognises a grant; when it does not, nothing is reported missing, which counts as
    "present": wrong wherever the label says absent.

    *Risky grants flagged.* A labelled risky line (a grant from the creator) is flagged when the
    review returns any finding on that paragraph. The finer check, that a finding of the labelled
    type is among them, is printed beside it (no floor).

    *Silent on AI.* Every agreement that grants rights (has a labelled risky line) and has no
    AI-training clause (``ai_training_prohibition`` false) must get ``ai.prohibition-missing``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.review import Options, Paragraph, review
from ..playbook import Playbook, default_playbook
from .ai import AIExample, evaluate_examples
from .cuad import CORPUS_DIR
from .run import tag_segments

REAL_WORLD_DIR = CORPUS_DIR / "real-world"

PROHIBITION, PERMISSION = "ai-training-prohibition", "ai-training-permission"

# category -> the AI clause type the review should give, None for neither (module docstring)
EXPECTED_STANCE: dict[str, str | None] = {
    "ai_training_prohibition": PROHIBITION,
    "vendor_no_training": PROHIBITION,
    "ai_training_permission": PERMISSION,
    "project_limited_license": None,
    "risky_broad_license": None,
    "ai_use_by_author_disclosure": None,
    "unrelated_ai_mention": None,
}

# issue 11's floors
FLOORS = {"ai_stance": 0.95, "presence": 0.95, "risky_flagged": 0.90, "silent_on_ai": 1.0}


@dataclass(frozen=True)
class Protection:
    label: str  # the name in labels.json
    clause_type: str  # the playbook's clause type
    missing_rules: tuple[str, ...]  # findings that tell the user it is missing
    # no missing-clause rule: present when the review tags the clause type in some paragraph
    by_tag: bool = False


PROTECTIONS: tuple[Protection, ...] = (
    Protection("ai_training_prohibition", "ai-training-prohibition", ("ai.prohibition-missing",)),
    Protection("purpose_limited_license", "purpose-limitation", (), by_tag=True),
    Protection("user_retains_underlying", "retained-rights",
               ("ownership.retained-rights-missing", "ownership.assignment-no-carveout")),
    Protection("injunctive_relief", "injunctive-relief", ("remedies.injunctive-relief-missing",)),
    Protection("liquidated_damages", "liquidated-damages", ("remedies.liquidated-damages-missing",)),
    Protection("audit_right", "audit-rights", ("remedies.audit-missing",)),
)

# licence items: the clause types that say what they are (LICENCE_TYPES[category], any one); an
# assignment or work for hire is the broadest grant there is (the held-out batches file them as risky
# broad grants; the repository batch has licences only)
LICENCE_TYPES: dict[str, frozenset[str]] = {
    "project_limited_license": frozenset({"purpose-limitation"}),
    "risky_broad_license": frozenset({"perpetual-or-irrevocable", "all-media", "any-purpose",
                                      "sublicensable-or-transferable", "ip-assignment", "work-made-for-hire"}),
}

# labels' risky types -> the clause types of the rules that flag them (for the finer check)
RISKY_TYPES: dict[str, frozenset[str]] = {
    "ip_assignment": frozenset({"ip-assignment", "work-made-for-hire"}),
    "perpetual_or_irrevocable": frozenset({"perpetual-or-irrevocable"}),
    "sublicensable_or_transferable": frozenset({"sublicensable-or-transferable"}),
    "derivative_works": frozenset({"derivative-works"}),
    "all_media": frozenset({"all-media"}),
    "any_purpose": frozenset({"any-purpose", "purpose-limitation"}),
}


# --- the corpus ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClauseItem:
    id: str
    category: str
    text: str
    source: str

    @property
    def expected(self) -> str | None:
        return EXPECTED_STANCE[self.category]


@dataclass(frozen=True)
class RiskyLine:
    line: int
    types: tuple[str, ...]


@dataclass(frozen=True)
class LabelledContract:
    name: str
    lines: tuple[str, ...]  # line n of the file is lines[n - 1]
    present: dict[str, bool]
    risky: tuple[RiskyLine, ...]

    @property
    def grants_rights(self) -> bool:
        return bool(self.risky)

    def paragraphs(self) -> list[Paragraph]:
        return [Paragraph(f"L{n}", text) for n, text in enumerate(self.lines, 1)]


def load_clauses(base: Path = REAL_WORLD_DIR) -> list[ClauseItem]:
    items = []
    with (base / "ai_clauses.jsonl").open(encoding="utf-8") as fh:
        for raw in fh:
            if raw.strip():
                d = json.loads(raw)
                if d["category"] not in EXPECTED_STANCE:
                    raise ValueError(f"ai_clauses.jsonl {d['id']}: unknown category {d['category']!r}")
                items.append(ClauseItem(d["id"], d["category"], d["text"], d["source"]))
    return items


def load_labelled_contracts(base: Path = REAL_WORLD_DIR) -> list[LabelledContract]:
    folder = base / "contracts"
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    names = {p.label for p in PROTECTIONS}
    out = []
    for name in sorted(labels):
        lab = labels[name]
        lines = tuple((folder / name).read_text(encoding="utf-8").splitlines())
        if set(lab["present"]) != names:
            raise ValueError(f"labels.json {name}: protections {sorted(lab['present'])}, expected {sorted(names)}")
        risky = []
        for r in lab["risky"]:
            if r["quote"] not in lines[r["line"] - 1]:  # the line numbering is 1-based
                raise ValueError(f"labels.json {name}: quote not on line {r['line']}")
            unknown = set(r["types"]) - set(RISKY_TYPES)
            if unknown:
                raise ValueError(f"labels.json {name}: unknown risky types {sorted(unknown)}")
            risky.append(RiskyLine(r["line"], tuple(r["types"])))
        out.append(LabelledContract(name, lines, {k: bool(v[0]) for k, v in lab["present"].items()},
                                    tuple(risky)))
    return out


# --- results ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClauseError:
    id: str
    category: str
    expected: str | None
    given: frozenset[str]


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.right}/{self.total} ({100 * self.share:.0f} %)"


@dataclass
class ClauseResult:
    overall: Tally = field(default_factory=Tally)
    by_category: dict[str, Tally] = field(default_factory=dict)
    errors: list[ClauseError] = field(default_factory=list)
    licences: dict[str, Tally] = field(default_factory=dict)  # category -> recognised as such
    licence_misses: list[ClauseItem] = field(default_factory=list)

    @property
    def issue_count(self) -> Tally:
        """Right stance, and each project-limited licence recognised as purpose-limited."""
        missed = {e.id for e in self.errors} | {
            it.id for it in self.licence_misses if it.category == "project_limited_license"}
        return Tally(self.overall.total - len(missed), self.overall.total)


@dataclass(frozen=True)
class PresenceVerdict:
    protection: str
    labelled: bool
    reported: bool

    @property
    def right(self) -> bool:
        return self.labelled == self.reported


@dataclass(frozen=True)
class RiskyVerdict:
    line: int
    types: tuple[str, ...]
    rules: tuple[str, ...]  # rule ids of the findings on that paragraph
    types_matched: tuple[str, ...]  # labelled types a finding of the matching clause type covers

    @property
    def flagged(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class ContractResult:
    name: str
    score: int
    presence: tuple[PresenceVerdict, ...]
    risky: tuple[RiskyVerdict, ...]
    silent_on_ai: bool  # grants rights and has no AI clause: the missing AI finding is required
    ai_missing_reported: bool


@dataclass
class ContractsResult:
    contracts: list[ContractResult] = field(default_factory=list)

    @property
    def presence(self) -> Tally:
        t = Tally()
        for c in self.contracts:
            for v in c.presence:
                t.add(v.right)
        return t

    def presence_of(self, protection: str) -> Tally:
        t = Tally()
        for c in self.contracts:
            for v in c.presence:
                if v.protection == protection:
                    t.add(v.right)
        return t

    @property
    def risky_flagged(self) -> Tally:
        t = Tally()
        for c in self.contracts:
            for v in c.risky:
                t.add(v.flagged)
        return t

    @property
    def risky_types(self) -> Tally:
        t = Tally()
        for c in self.contracts:
            for v in c.risky:
                for ty in v.types:
                    t.add(ty in v.types_matched)
        return t

    @property
    def silent_on_ai(self) -> Tally:
        t = Tally()
        for c in self.contracts:
            if c.silent_on_ai:
                t.add(c.ai_missing_reported)
        return t


@dataclass
class RealWorldResult:
    clauses: ClauseResult
    contracts: ContractsResult

    def floor_checks(self) -> dict[str, tuple[float, float]]:
        """figure name -> (value, floor): the issue's floors, each protection's presence separately."""
        out = {"ai_stance": (self.clauses.overall.share, FLOORS["ai_stance"])}
        for p in PROTECTIONS:
            out[f"presence:{p.label}"] = (self.contracts.presence_of(p.label).share, FLOORS["presence"])
        out["risky_flagged"] = (self.contracts.risky_flagged.share, FLOORS["risky_flagged"])
        out["silent_on_ai"] = (self.contracts.silent_on_ai.share, FLOORS["silent_on_ai"])
        return out


# --- scoring ------------------------------------------------------------------------------------

def score_clauses(items: list[ClauseItem], playbook: Playbook) -> ClauseResult:
    examples = [AIExample(it.text, it.expected, it.category) for it in items]
    by_example = {id(ex): it for ex, it in zip(examples, items)}
    scored = evaluate_examples(playbook, examples)
    wrong = {id(ex): frozenset(got) for ex, got in scored.failures}
    res = ClauseResult()
    for ex in examples:
        it = by_example[id(ex)]
        ok = id(ex) not in wrong
        res.overall.add(ok)
        res.by_category.setdefault(it.category, Tally()).add(ok)
        if not ok:
            res.errors.append(ClauseError(it.id, it.category, it.expected, wrong[id(ex)]))
    assert res.overall.right == scored.correct and res.overall.total == scored.total
    for it in items:
        if it.category in LICENCE_TYPES:  # each a document of its own, as evaluate_examples does
            ok = bool(tag_segments([it.text], playbook)[0] & LICENCE_TYPES[it.category])
            res.licences.setdefault(it.category, Tally()).add(ok)
            if not ok:
                res.licence_misses.append(it)
    return res


def _check_mapping(playbook: Playbook) -> None:
    for p in PROTECTIONS:
        if p.clause_type not in playbook.clause_types:
            raise ValueError(f"{p.label}: no clause type {p.clause_type!r} in the playbook")
        for rid in p.missing_rules:
            if rid not in playbook.by_id:
                raise ValueError(f"{p.label}: no rule {rid!r} in the playbook")
    for label, types in RISKY_TYPES.items():
        if not types <= set(playbook.clause_types):
            raise ValueError(f"{label}: unknown clause types {sorted(types - set(playbook.clause_types))}")


def score_contract(contract: LabelledContract, playbook: Playbook) -> ContractResult:
    body = review(contract.paragraphs(), Options(), playbook)
    fired = {f["rule_id"] for f in body["findings"]}
    tagged = {t for c in body["clauses"] for t in c["types"]}
    presence = []
    for p in PROTECTIONS:
        reported = p.clause_type in tagged if p.by_tag else not (fired & set(p.missing_rules))
        presence.append(PresenceVerdict(p.label, contract.present[p.label], reported))
    on_para: dict[str, list[dict]] = {}
    for f in body["findings"]:
        on_para.setdefault(f["paragraph_id"], []).append(f)
    risky = []
    for r in contract.risky:
        here = on_para.get(f"L{r.line}", [])
        kinds = {f["clause_type"] for f in here}
        risky.append(RiskyVerdict(r.line, r.types, tuple(sorted({f["rule_id"] for f in here})),
                                  tuple(t for t in r.types if RISKY_TYPES[t] & kinds)))
    silent = contract.grants_rights and not contract.present["ai_training_prohibition"]
    return ContractResult(contract.name, body["score"]["value"],
                          tuple(presence), tuple(risky), silent, "ai.prohibition-missing" in fired)


def evaluate_real_world(playbook: Playbook | None = None, base: Path = REAL_WORLD_DIR) -> RealWorldResult:
    """Score the batch: the one function ``make eval`` and ``tests/eval/test_realworld.py`` call."""
    playbook = playbook or default_playbook()
    _check_mapping(playbook)
    clauses = score_clauses(load_clauses(base), playbook)
    contracts = ContractsResult([score_contract(c, playbook) for c in load_labelled_contracts(base)])
    return RealWorldResult(clauses, contracts)


# --- printing -----------------------------------------------------------------------------------

def _floor(value: float, floor: float) -> str:
    return f"floor {100 * floor:.0f} %" + ("" if value >= floor else ", below")


def table(res: RealWorldResult) -> str:
    c, k = res.clauses, res.contracts
    lines = [
        "Real-world development batch (../shared/corpus/real-world: published text this project "
        "did not write)",
        "",
        "| AI clauses: right stance | Right | Floor |",
        "|---|---:|---|",
        f"| all {c.overall.total} | {c.overall} | {_floor(c.overall.share, FLOORS['ai_stance'])} |",
    ]
    for cat in EXPECTED_STANCE:
        t = c.by_category.get(cat)
        if t:
            lines.append(f"| {cat} (expect {EXPECTED_STANCE[cat] or 'neither'}) | {t} | |")
    for cat, t in c.licences.items():
        lines.append(f"| {cat} recognised as such ({', '.join(sorted(LICENCE_TYPES[cat]))}) | {t} | |")
    lines.append(f"| stance right and project-limited licences recognised (issue 11's count) | {c.issue_count} | |")
    lines += [
        "",
        f"| Whole agreements ({len(k.contracts)}) | Right | Floor |",
        "|---|---:|---|",
        f"| presence of the six protections, all | {k.presence} | |",
    ]
    for p in PROTECTIONS:
        t = k.presence_of(p.label)
        lines.append(f"| presence: {p.label} | {t} | {_floor(t.share, FLOORS['presence'])} |")
    rf, sa = k.risky_flagged, k.silent_on_ai
    lines += [
        f"| labelled risky grant lines flagged | {rf} | {_floor(rf.share, FLOORS['risky_flagged'])} |",
        f"| ... with a finding of the labelled type | {k.risky_types} | |",
        f"| grants rights, silent on AI: missing AI-training finding | {sa} | {_floor(sa.share, FLOORS['silent_on_ai'])} |",
        "",
        "| Agreement | Score | Presence right | Risky lines flagged | Wrong presence (labelled / reported) |",
        "|---|---:|---:|---:|---|",
    ]
    for cr in k.contracts:
        wrong = ", ".join(f"{v.protection} ({'present' if v.labelled else 'absent'} / "
                          f"{'present' if v.reported else 'missing'})" for v in cr.presence if not v.right)
        flagged = sum(v.flagged for v in cr.risky)
        lines.append(f"| {cr.name.removesuffix('.txt')} | {cr.score} | {sum(v.right for v in cr.presence)}/"
                     f"{len(cr.presence)} | {flagged}/{len(cr.risky)} | {wrong or '-'} |")
    return "\n".join(lines)


def error_lines(res: RealWorldResult) -> list[str]:
    out = []
    for e in res.clauses.errors:
        out.append(f"  real-world clause wrong {e.id} [{e.category}: expected {e.expected or 'neither'}; "
                   f"given {', '.join(sorted(e.given)) or 'neither'}]")
    for it in res.clauses.licence_misses:
        out.append(f"  real-world licence not recognised as {it.category}: {it.id}")
    for cr in res.contracts.contracts:
        for v in cr.risky:
            if not v.flagged:
                out.append(f"  real-world risky line not flagged: {cr.name} line {v.line} ({', '.join(v.types)})")
    return out
