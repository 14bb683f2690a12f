"""Would a careful freelancer's lawyer send this redline? Mechanical checks of the document that
Apply all leaves (issue 12): ``python -m addin_server.evaluation.redline_quality`` prints, per check,
how many redlines of the real corpus contracts break it, and where.

Each check is a failure a lawyer found in the product's redlines, stated so that a program can see
it in the document after the changes:

``ai-restrictions-stacked``
    a paragraph carries more than one AI-training restriction and the redline added one of them
    ("..., provided that no model is a derivative work" after "all media", then a trailing
    "Nothing in this Section permits ...").
``ai-covenants-per-contract``
    the redline adds more than one AI-training restriction to the contract: one covenant, in the
    clause made for it; other edits narrow scope without repeating it. A permission turned into a
    restriction ("may" -> "shall not") is not an addition, nor is a remedy that enforces the
    covenant, nor the confidentiality duty not to disclose material to an AI service.
``ai-sentence-on-ownership``
    an added AI restriction sits in a paragraph that still transfers ownership of the work: an owner
    needs no permission, so the sentence adds nothing and the transfer stays.
``undefined-term``
    inserted words use a capitalised term (a defined term, "Section", "Confidential Information")
    that neither the contract nor the insertion itself uses or defines.
``insert-in-list``
    a new clause lands inside a list whose heading governs its items ("(h)" after "(g)" under
    "Developer guarantees that:"), or inside a subsection whose lead-in makes it conditional ("If a
    Deliverable is an Assigned Deliverable, this Section 6.3 applies"): its lead-in would change what
    it means. (A list under a plain heading, "Section 3. Rights in the Content.", may take an item.)
``damages-under-cap``
    liquidated damages are inserted into a contract with a liability cap, and neither the insertion
    nor the contract takes the AI breach out of the cap.
``list-grammar``
    an insertion lands between the items of a list ("use, [...] reproduce and distribute").
``fallback-leaves-finding``
    applying every fallback (the second position) and reviewing again still raises the finding the
    fallback was offered for: a fallback must clear its finding as the preferred fix does.
``protective-edited``
    a risky-language fix edits a sentence that only protects the freelancer (a restriction on the
    client, a purpose limit, a retained right, a remedy): protective clauses get no edit.

Only paragraph ids, rule ids and check ids are printed for the contracts' own text; the inserted
words (the product's, not the contract's) may be quoted.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..engine.apply import apply_all
from ..engine.document import ParaInfo
from ..engine.liability import SECTION_NUMBER, client_cap
from ..engine.outline import governs_items, is_list_item
from ..engine.review import OWNERSHIP_TYPES, Options, Paragraph, analyse, review
from ..engine.terms import find_terms
from ..playbook import Playbook, default_playbook
from ..playbook.ai_lexicon import default_ai_lexicon
from .cuad import CORPUS_DIR, line_paragraphs

CHECKS = (
    "ai-restrictions-stacked", "ai-covenants-per-contract", "ai-sentence-on-ownership", "undefined-term",
    "insert-in-list", "damages-under-cap", "list-grammar", "fallback-leaves-finding", "protective-edited",
)

PROHIBITION = "ai-training-prohibition"
PERMISSION = "ai-training-permission"
# what protects the freelancer, and what a risky-language fix may rightly change
PROTECTION_TYPES = frozenset({PROHIBITION, "purpose-limitation", "retained-rights", "injunctive-relief",
                              "liquidated-damages", "audit-rights"})
RISK_TYPES = frozenset({"license-grant", "ip-assignment", "work-made-for-hire", "perpetual-or-irrevocable",
                        "all-media", "any-purpose", "sublicensable-or-transferable", "derivative-works",
                        PERMISSION, "confidentiality"})

# A capitalised word, or a run of them ("Confidential Information", "Section 12"), in inserted text.
_CAPITALISED = re.compile(r"\b[A-Z][a-z][\w'’-]*(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*")
_SENTENCE_START = re.compile(r"(?:^\s*|[.;:!?]\s+|\(\w{1,3}\)\s+|[\"“(]\s*)$")
_QUOTED = re.compile(r"[\"“]([^\"”]{1,60})[\"”]")
# A heading that an inserted clause opens with: "Prohibition on AI Training. "
_HEADING = re.compile(r"^(?:\(?[0-9a-zA-Z.]{1,6}\)?\s+)?[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|of|on|to|and|for|the|in|from)){0,6}\.\s")
# an enumerated list item's label: "(a)", "a.", "(iv)", "iv." (not "6.3", a numbered subsection)
_ITEM_LABEL = re.compile(r"^\s*(?:\(([a-z]{1,4}|[A-Z])\)|([a-z]{1,4}|[A-Z])[.)])\s")
_NUMBER_LABEL = SECTION_NUMBER
# words that take a claim out of a cap (the cap itself: engine/liability.py)
_CARVE_OUT = re.compile(r"\bnotwithstanding\b|\bnot\s+(?:be\s+)?limited\s+by\b|\b(?:not\s+be\s+subject\s+to|shall\s+not\s+apply\s+to|will\s+not\s+apply\s+to|"
                        r"excluded\s+from|outside)\b[^.]{0,80}\b(?:limitation|cap|exclusion)|\buncapped\b", re.IGNORECASE)
_LIQUIDATED = re.compile(r"\bliquidated\s+damages\b", re.IGNORECASE)
# after an insertion: the list goes on ("..., reproduce and distribute"), before it: a list was under way
_LIST_GOES_ON = re.compile(r"^(?:,\s*(?:and\s+|or\s+)?\w+|\s+(?:and|or)\s+(?!the\b|that\b|any\b|all\b|such\b|shall\b|will\b|may\b)\w+)")
_LIST_UNDER_WAY = re.compile(r"\w+,\s+(?:\w+\s+){0,2}\w+$")


@dataclass(frozen=True)
class Violation:
    check: str
    document: str
    paragraph_id: str | None
    rule_ids: tuple[str, ...]
    detail: str  # the product's own words or a count; never the contract's text


@dataclass(frozen=True)
class Document:
    name: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class QualityResult:
    documents: int
    redlines: int  # documents x parties x profiles
    edits: int  # suggestions written by Apply all, over all redlines
    violations: tuple[Violation, ...]

    def count(self, check: str) -> int:
        return sum(v.check == check for v in self.violations)

    def redlines_with(self, check: str) -> int:
        return len({(v.document, v.detail.split("|")[0]) for v in self.violations if v.check == check})


# --- reading a document ------------------------------------------------------------------------

def _infos(paragraphs: list[Paragraph], playbook: Playbook) -> list[ParaInfo]:
    terms = find_terms([(p.id, p.text) for p in paragraphs])
    return analyse(paragraphs, playbook, terms)


# a remedy for the AI breach ("if the Agency uses the Work to train ..., it shall pay") restates the
# restriction it enforces: it is not a second restriction
REMEDY_TYPES = frozenset({"injunctive-relief", "liquidated-damages", "audit-rights"})
# findings that enforce the restriction (remedies, and taking its breach out of a cap), never repeat it
REMEDY_CATEGORY = "remedies"
# a duty of its own that names AI: not sending confidential material to an AI service is a
# confidentiality duty, not a second AI-training covenant
OTHER_DUTIES = frozenset({"confidentiality"})


def _count(info: ParaInfo, clause_type: str) -> int:
    """The sentences of the paragraph that are ``clause_type``, a heading ("Prohibition on AI Training.")
    not counted apart from the clause it names."""
    sentences = info.sentences
    while len(sentences) > 1 and len(sentences[0].seg.text.split()) <= 6:  # "1A." "Prohibition on AI Training."
        sentences = sentences[1:]
    return sum(clause_type in s.types and not s.types & REMEDY_TYPES for s in sentences)


def _inserted_texts(findings: list[dict]) -> list[tuple[dict, str | None, str]]:
    """(finding, paragraph id or None for a new paragraph, inserted words) for every change Apply all writes."""
    out = []
    for f in findings:
        s = f.get("suggestion")
        if not s or f.get("covered_by"):
            continue
        if s["type"] == "edit":
            for e in s["edits"]:
                if e["text"]:
                    out.append((f, s["paragraph_id"], e["text"]))
        else:
            for p in s["paragraphs"]:
                out.append((f, None, p["text"]))
    return out


# --- the checks ----------------------------------------------------------------------------------

# rules whose fix completes an AI clause that is there (its words join it; they are no second clause)
COMPLETIONS = frozenset({"ai.prohibition-incomplete"})


def _ai_checks(name: str, tag: str, before: list[ParaInfo], after: list[ParaInfo],
               findings: list[dict]) -> list[Violation]:
    """AI restrictions the redline adds: each inserted passage that names an AI system (a new
    clause, or words added to a clause), remedies apart (they enforce the restriction, they do not
    repeat it), and a clause turned from a permission into a restriction not at all (it adds no words
    about AI)."""
    ai_words = default_ai_lexicon().ai_word_regex
    out = []
    added: dict[str | None, list[str]] = {}  # paragraph id (None: a new clause) -> rules adding AI words
    for f, pid, text in _inserted_texts(findings):
        if (ai_words.search(text) and f["clause_type"] not in REMEDY_TYPES and f["category"] != REMEDY_CATEGORY
                and f["category"] not in OTHER_DUTIES):
            added.setdefault(pid, []).append(f["rule_id"])
    old = {i.para.id: i for i in before}
    now = {i.para.id: i for i in after}
    for pid, rules in added.items():
        if pid is None:
            continue
        existing = old.get(pid)
        already = (_count(existing, PROHIBITION) + _count(existing, PERMISSION)) if existing is not None else 0
        # completing the paragraph's own AI clause adds its missing words to that clause: one restriction
        completing = min(already, sum(r in COMPLETIONS for r in rules))
        if len(rules) + already - completing > 1:
            out.append(Violation("ai-restrictions-stacked", name, pid, tuple(rules),
                                 f"{tag}|{len(rules)} added, {already} there"))
        info = now.get(pid)
        if info is not None and any(s.types & OWNERSHIP_TYPES and s.beneficiary != "provider" and not s.definition
                                    for s in info.sentences):
            out.append(Violation("ai-sentence-on-ownership", name, pid, tuple(rules), f"{tag}|ownership stays"))
    total = sum(len(r) for r in added.values())
    if total > 1:
        rules = tuple(r for rs in added.values() for r in rs)
        out.append(Violation("ai-covenants-per-contract", name, None, rules, f"{tag}|{total} added"))
    return out


def _defined_in(term: str, contract: str, inserted: str) -> bool:
    if term in contract:
        return True
    quoted = {q.strip() for q in _QUOTED.findall(inserted)}
    return term in quoted


def _undefined_terms(name: str, tag: str, paragraphs: list[Paragraph], findings: list[dict]) -> list[Violation]:
    contract = "\n".join(p.text for p in paragraphs)
    out = []
    for f, pid, text in _inserted_texts(findings):
        body = text
        if pid is None:  # a new clause: its heading is a title, not a use of a term
            head = _HEADING.match(text)
            body = text[head.end():] if head else text
        for m in _CAPITALISED.finditer(body):
            term = re.sub(r"(?:'s|’s|s'|’)$", "", m.group(0))  # "the Designer's": the term is "Designer"
            words = term.split()
            if len(words) == 1 and _SENTENCE_START.search(body[:m.start()]):
                continue  # "Nothing in ...", "Customer shall ..." at a sentence's start
            if _SENTENCE_START.search(body[:m.start()]):
                term = " ".join(words[1:]) if len(words) > 1 else term
                words = term.split()
            if not term or _defined_in(term, contract, body):
                continue
            # "the Agency's Client": each word known is not enough for a phrase; a phrase is known
            # when the contract has it, and a word alone when the contract has the word
            if len(words) > 1 and all(_defined_in(w, contract, body) for w in words if w != "of") and \
                    not any(w in {"Section", "Clause", "Article", "Schedule", "Exhibit"} for w in words):
                continue
            out.append(Violation("undefined-term", name, pid, (f["rule_id"],), f"{tag}|{term}"))
    return out


def _is_item(p: Paragraph) -> bool:
    return is_list_item(p)


def _insert_checks(name: str, tag: str, paragraphs: list[Paragraph], findings: list[dict],
                   options: Options) -> list[Violation]:
    out = []
    index = {p.id: k for k, p in enumerate(paragraphs)}
    contract = "\n".join(p.text for p in paragraphs)
    capped = _caps_client(paragraphs, options)
    # the contract itself may take AI breaches out of its cap
    contract_carves = capped and bool(re.search(
        r"\b(?:artificial\s+intelligence|machine\s+learning|AI\s+training)\b[^.]{0,200}\b(?:cap|limitation)", contract, re.IGNORECASE))
    for f in findings:
        s = f.get("suggestion")
        if not s or f.get("covered_by") or s["type"] != "insert":
            continue
        k = index.get(s["insert_after"])
        if k is None:
            continue
        anchor = paragraphs[k]
        texts = [p["text"] for p in s["paragraphs"]]
        labels = [p.get("list_label") for p in s["paragraphs"]]
        item_label = any(lb and _ITEM_LABEL.match(lb + " ") for lb in labels) or any(_ITEM_LABEL.match(t) for t in texts)
        nxt = next((p for p in paragraphs[k + 1:] if p.text.strip()), None)
        in_list = _is_item(anchor) and (item_label or (nxt is not None and _is_item(nxt)))
        # the heading the new clause is read with: the nearest paragraph above that is not a list item
        # (a numbered subsection, or a lead-in); a list under a plain heading ("Section 3. Rights in
        # the Content.") may take another item, a list under a governing one may not
        lead = next((p for p in reversed(paragraphs[max(0, k - 40):k + 1]) if p.text.strip() and not _is_item(p)), None)
        governed = lead is not None and governs_items(lead.text)
        numbered_lead = lead is not None and bool(_NUMBER_LABEL.match(lead.text) or (lead.list_label and re.match(r"\d", lead.list_label)))
        top_level = numbered_lead and "." not in (_NUMBER_LABEL.match(lead.text).group(1) if _NUMBER_LABEL.match(lead.text) else "x")
        # a clause with a number of its own ("6.4.") is the subsection's sibling, not inside it
        numbered_insert = any(_NUMBER_LABEL.match(t) for t in texts) or any(lb and re.match(r"\d", lb) for lb in labels)
        inside = in_list and governed
        conditional = not in_list and governed and numbered_lead and not top_level and not numbered_insert
        if inside or conditional:
            why = "governed list" if inside else "conditional section"
            out.append(Violation("insert-in-list", name, s["insert_after"], (f["rule_id"],), f"{tag}|{why}"))
        if capped and not contract_carves and any(_LIQUIDATED.search(t) for t in texts) and not any(_CARVE_OUT.search(t) for t in texts):
            out.append(Violation("damages-under-cap", name, s["insert_after"], (f["rule_id"],), f"{tag}|no carve-out"))
    return out


def _caps_client(paragraphs: list[Paragraph], options: Options) -> bool:
    """Whether the contract caps what the client owes (engine/liability.py reads the cap)."""
    terms = find_terms([(p.id, p.text) for p in paragraphs])
    terms.act_for(options.party)
    return client_cap([(p.id, p.text, p.list_label) for p in paragraphs], terms) is not None


def _list_grammar(name: str, tag: str, findings: list[dict]) -> list[Violation]:
    out = []
    for f in findings:
        s = f.get("suggestion")
        if not s or f.get("covered_by") or s["type"] != "edit":
            continue
        original = s["original"]
        for e in s["edits"]:
            if not e["text"] or e["start"] != e["end"]:
                continue
            before, after = original[:e["start"]], original[e["end"]:]
            if _LIST_UNDER_WAY.search(before[-80:]) and _LIST_GOES_ON.match(after) and not e["text"].startswith(("non-", "not ")):
                out.append(Violation("list-grammar", name, s["paragraph_id"], (f["rule_id"],), f"{tag}|{e['text'].strip()[:60]}"))
    return out


def _protective_edited(name: str, tag: str, before: list[ParaInfo], findings: list[dict]) -> list[Violation]:
    out = []
    infos = {i.para.id: i for i in before}
    for f in findings:
        s = f.get("suggestion")
        if f["kind"] != "risky" or not s or f.get("covered_by") or s["type"] != "edit":
            continue
        info = infos.get(s["paragraph_id"])
        if info is None:
            continue
        for e in s["edits"]:
            for sent in info.sentences:
                if not (sent.seg.start <= e["start"] <= sent.seg.end):
                    continue
                protects = sent.types & PROTECTION_TYPES and sent.beneficiary != "client" and sent.obligor != "provider"
                if protects and not sent.types & RISK_TYPES:
                    out.append(Violation("protective-edited", name, s["paragraph_id"], (f["rule_id"],),
                                         f"{tag}|{','.join(sorted(sent.types & PROTECTION_TYPES))}"))
    return out


def _fallback_leaves_finding(name: str, tag: str, paragraphs: list[Paragraph], findings: list[dict],
                             options: Options, playbook: Playbook) -> list[Violation]:
    """Apply every finding's fallback where it has one (its preferred fix where it has not) and
    review again: a finding whose fallback was written must not come back where it was."""
    swapped = []
    offered = set()
    for f in findings:
        # the rule's fallback among the alternatives (under a profile that offers the fallback first,
        # it is the suggestion already, and the alternative is the stronger preferred fix)
        rule = playbook.by_id.get(f["rule_id"])
        label = rule.fallback.label if rule is not None and rule.fallback else None
        alt = next((a for a in f.get("alternatives") or [] if a.get("label") == label), None)
        if alt is not None and not f.get("covered_by") and not f.get("covers"):
            swapped.append({**f, "suggestion": alt})
            offered.add((f["rule_id"], f["paragraph_id"]))
        else:
            swapped.append(f)
    if not offered:
        return []
    again = review(apply_all(paragraphs, swapped), options, playbook)
    out = []
    for g in again["findings"]:
        key = (g["rule_id"], g["paragraph_id"] and g["paragraph_id"].split("+")[0])
        if key in offered and g["severity"] != "low":
            out.append(Violation("fallback-leaves-finding", name, g["paragraph_id"], (g["rule_id"],), f"{tag}|again"))
    return out


def check_redline(doc: Document, options: Options, playbook: Playbook) -> tuple[int, list[Violation]]:
    """(changes written, violations) of the redline Apply all makes of ``doc`` under ``options``."""
    findings = review(list(doc.paragraphs), options, playbook)["findings"]
    written = sum(1 for f in findings if f.get("suggestion") and not f.get("covered_by"))
    return written, check_findings(doc, findings, options, playbook)


def check_findings(doc: Document, findings: list[dict], options: Options, playbook: Playbook) -> list[Violation]:
    """Every check, on the redline that ``findings`` (a review's, in the response's wire form) make
    of ``doc``: what a test gives a redline it built to break one."""
    paragraphs = list(doc.paragraphs)
    tag = f"{options.party}/{options.agency_risk}"
    after_paras = apply_all(paragraphs, findings)
    before, after = _infos(paragraphs, playbook), _infos(after_paras, playbook)
    return (_ai_checks(doc.name, tag, before, after, findings)
            + _undefined_terms(doc.name, tag, paragraphs, findings)
            + _insert_checks(doc.name, tag, paragraphs, findings, options)
            + _list_grammar(doc.name, tag, findings)
            + _protective_edited(doc.name, tag, before, findings)
            + _fallback_leaves_finding(doc.name, tag, paragraphs, findings, options, playbook))


# --- the corpus ----------------------------------------------------------------------------------

def corpus_documents(corpus: Path = CORPUS_DIR, extra: list[Path] | None = None) -> list[Document]:
    """The whole real agreements of ``../shared/corpus`` (``contracts/`` and ``real-world/contracts/``),
    one paragraph per line, and any further folders of ``.txt`` agreements given."""
    folders = [corpus / "contracts", corpus / "real-world" / "contracts"] + list(extra or [])
    docs = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            docs.append(Document(path.stem, line_paragraphs(path)))
    return docs


def measure(docs: list[Document] | None = None, playbook: Playbook | None = None,
            parties: tuple[str, ...] = ("provider", "client"),
            profiles: tuple[str, ...] = ("high", "medium", "low")) -> QualityResult:
    docs = corpus_documents() if docs is None else docs
    playbook = playbook or default_playbook()
    violations: list[Violation] = []
    edits = redlines = 0
    for doc in docs:
        for party in parties:
            for profile in profiles:
                written, found = check_redline(doc, Options(agency_risk=profile, party=party), playbook)
                edits += written
                redlines += 1
                violations.extend(found)
    return QualityResult(len(docs), redlines, edits, tuple(violations))


def report(res: QualityResult) -> str:
    lines = [f"Redline quality: {res.documents} real agreements x parties x profiles = {res.redlines} redlines, "
             f"{res.edits} changes written by Apply all"]
    for check in CHECKS:
        lines.append(f"  {check:<26} {res.count(check):>4} violations")
    by_doc = Counter((v.check, v.document) for v in res.violations)
    if by_doc:
        lines.append("  where:")
        for (check, document), n in sorted(by_doc.items()):
            rules = Counter(r for v in res.violations if v.check == check and v.document == document for r in v.rule_ids)
            details = Counter(v.detail.split("|", 1)[1] for v in res.violations if v.check == check and v.document == document)
            lines.append(f"    {check:<26} {document[:48]:<48} {n:>3}  rules {dict(rules)}  {dict(details.most_common(3))}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    extra = [Path(a) for a in argv]
    res = measure(corpus_documents(extra=extra))
    print(report(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
