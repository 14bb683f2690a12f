"""The review: paragraphs in; clause tags, findings, suggestions and a score out.

Pure functions over text. No Flask, no python-docx: the API, the command line and the .docx path all
call :func:`review`.
"""

from __future__ import annotations

import gc
import re
import threading
import time
from dataclasses import replace
from functools import lru_cache

from ..playbook import CATEGORIES, Playbook, Rule
from ..playbook.prefilter import GuardedPattern, fold
from ..redline.diff import Edit, apply_edits
from . import checks, frames, lists, outline, prohibition, redlining
from .document import Context, Options, ParaInfo, Paragraph, Sentence
from .exposure import IMPLIED, OWNERSHIP_TYPES, contract_exposure
from .findings import EditSuggestion, Finding, InsertedParagraph, InsertSuggestion, Numbering
from .fixes import _comment, _finding, apply_fix
from .absence import MAX_NEAR_MISSES, Absence, NearMiss
from . import budget as budgets
from .budget import Budget
from .direction import beneficiary, obligor
from .liability import client_cap
from .polarity import match_negated, negated
from .scoring import charge, questions_for, score_findings
from .form import NEGOTIATED, Form, contract_form
from .terms import LEXICON, Terms, find_terms
from .text import EMPHASIS, SECOND_GRANT, Segment, blank, split_sentences

# Rights-granting clause types: a contract "grants rights in the work" when one of these runs to the
# client. Only then are the protective clauses required (an NDA licenses no work product).
GRANT_TYPES = {"license-grant", "ip-assignment", "work-made-for-hire"}
IP_SECTION_TYPES = GRANT_TYPES | {"derivative-works", "perpetual-or-irrevocable", "all-media"}
# '"Copyleft License" means …': a definition grants nothing, so risky-language rules skip it.
# Clause types that bind someone: when the sentence binds the provider alone, it is the provider's duty,
# not a protection of the provider's work, and no fix tightens it (direction.obligor).
DUTY_TYPES = {"ai-training-prohibition", "confidentiality"}
_DEFINITION = re.compile(r"""^\W{0,3}(?:\(?[0-9a-z.]+\)?\s+)?[“"'‘][^”"'’]{1,80}[”"'’]\s+(?:means|shall\s+mean|has\s+the\s+meaning|refers\s+to|includes)\b""")
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_CONFIDENTIAL_TERM = re.compile(r"(?:[A-Z][\w-]*\s+)?(?:Confidential|Proprietary)\s+(?:Information|Material|Materials|Data)")


def tag_sentence(text: str, playbook: Playbook) -> set[str]:
    """Clause types of one sentence, regardless of direction."""
    return _tag(text, playbook)[0]


def _unemphasised(text: str) -> str:
    return blank(EMPHASIS, text) if "**" in text or "__" in text else text


def _tag(text: str, playbook: Playbook, among=None, only: frozenset[str] | None = None) -> tuple[set[str], frozenset[str]]:
    """(clause types, clause types whose keywords occur) of one sentence.

    ``among``: the keywords found in the sentence's paragraph, so each sentence tests only those;
    ``only``: the types asked about (the rest are not tried)."""
    # emphasis marks of text pasted from the web or Markdown ("a **non-exclusive licence** for
    # **personal use only**") read as spaces, the offsets unchanged, by the keywords as by the patterns
    text = _unemphasised(text)
    maybe = playbook.candidate_types(text, among)  # keyword pre-filter: cheap, and exact
    if only is not None:
        maybe = maybe & only
    found = set()
    for cid in maybe:
        ct = playbook.clause_types[cid]
        if ct.negation_vetoes:
            # a match counts unless it is negated ("Nothing in this Agreement grants ...", "shall not assign")
            hit = any(not match_negated(text, m.start(), m.end(), ct.negation_vetoes)
                      for p in ct.patterns for m in p.finditer(text))
        else:
            hit = any(p.search(text) for p in ct.patterns)
        if hit and not any(x.search(text) for x in ct.exclude):
            found.add(cid)
    return found, maybe


def analyse(paragraphs: list[Paragraph], playbook: Playbook, terms: Terms, budget: Budget | None = None) -> list[ParaInfo]:
    """Every paragraph's sentences with their clause types: the patterns first, then the playbook's
    clause model (if any) over all sentences in document order; then who each clause serves.

    ``reported`` (what ``clauses[]`` returns) is the model's verdict: the patterns' tags it did not
    withdraw plus the ones it added. ``types`` (what the findings work from) keeps every pattern tag
    as well: a withdrawn tag only changes the classification reported, never turns a protection
    the patterns found into a "missing clause" finding or hides a grant from the risky-language rules."""
    infos = []
    flat: list[Sentence] = []
    for index, para in enumerate(paragraphs):
        if budget is not None:
            budget.check()
        sentences = []
        segments = split_sentences(para.text)
        among = playbook.keyword_hits(_unemphasised(para.text)) if len(segments) > 1 else None
        for seg in segments:
            types, maybe = _tag(seg.text, playbook, among)
            sentences.extend(_clauses(Sentence(seg, types, None, maybe), playbook, terms))
        infos.append(ParaInfo(para, index, sentences))
        flat.extend(sentences)
    if budget is not None:
        budget.check()
    _listed_exclusions(infos, playbook)
    _read_frames(infos, playbook)
    _read_with_lead_ins(infos, playbook)
    if playbook.model is not None and flat:
        refined = playbook.model.refine([s.seg.text for s in flat], [s.types for s in flat], [s.maybe for s in flat])
        for s, types in zip(flat, refined):
            s.reported = types
            s.learned = frozenset(types - s.types)
            s.types = s.types | types
    else:
        for s in flat:
            s.reported = set(s.types)
    for s in flat:
        if s.types:
            s.beneficiary = beneficiary(s.seg.text, terms)
            if s.types & DUTY_TYPES:
                s.obligor = obligor(s.seg.text, terms)
            s.definition = bool(_DEFINITION.match(s.seg.text))
    _parties_from_lead_ins(infos, terms)
    for info in infos:
        for s in info.sentences:
            info.types |= s.types
            info.reported |= s.reported
    return infos


def _clauses(s: Sentence, playbook: Playbook, terms: Terms) -> list[Sentence]:
    """A sentence that grants one way and then the other ("... will be assigned to the commissioner,
    and the commissioner hereby grants a licence to the artist ...") is two clauses, each read for its
    own direction (or the assignment to the client reads as a licence to the creator); any other
    sentence is one. Split before the clause model reads them, so it is trained on what it refines."""
    cut = SECOND_GRANT.search(s.seg.text) if s.types & GRANT_TYPES else None
    if cut is None:
        return [s]
    a = Segment(s.seg.start, s.seg.start + cut.start(), s.seg.text[:cut.start()])
    b_from = cut.start() + len(cut.group(0)) - len(cut.group(0).lstrip(", "))
    b = Segment(s.seg.start + b_from, s.seg.end, s.seg.text[b_from:])
    # the parts keep the sentence's own types (a part escapes no exclusion the whole has), all of them
    ta, tb = _tag(a.text, playbook)[0] & s.types, _tag(b.text, playbook)[0] & s.types
    # (ownership one way and a licence back: a cross-licence between two companies stays one sentence,
    # where the clause model was trained on it whole)
    if not (ta & GRANT_TYPES and tb & GRANT_TYPES and (ta | tb) & OWNERSHIP_TYPES) \
            or beneficiary(a.text, terms) == beneficiary(b.text, terms):
        return [s]
    return [Sentence(a, ta | (s.types - ta - tb), None, s.maybe), Sentence(b, tb, None, s.maybe)]


def _parties_from_lead_ins(infos: list[ParaInfo], terms: Terms) -> None:
    """A list item that names no party takes the lead-in's: under "Voice Actor agrees not to:" the
    item "Record similar voice work for AI training for any other company" is the voice actor's
    duty; under "Soullab owns the rights to:", "Use Recordings to train AI models" is Soullab's right."""
    for info in infos:
        open_items = [s for s in info.sentences if s.types and (
            s.beneficiary is None or (s.types & DUTY_TYPES and s.obligor is None))]
        if not open_items:
            continue
        lead = lists.lead_in(infos, info)
        if lead is None:
            continue
        for s in open_items:
            if s.beneficiary is None:
                s.beneficiary = beneficiary(lead, terms)
            if s.types & DUTY_TYPES and s.obligor is None:
                s.obligor = obligor(lead, terms)


def _listed_exclusions(infos: list[ParaInfo], playbook: Playbook) -> None:
    """A clause that ends by listing what it leaves out ("Client will own all custom code ..., excluding:"
    and one item per paragraph, "Pre-existing Developer tools, libraries, or frameworks") keeps those
    things for their owner: its last sentence, read with the items, is a retained-rights clause."""
    for info in infos:
        if not info.sentences or not lists.ends_by_excluding(info.para.text):
            continue
        last = info.sentences[-1]
        whole = last.seg.text + " " + lists.with_listed_exclusions(infos, info)[len(info.para.text):]
        if "retained-rights" in _tag(whole, playbook)[0]:
            last.types.add("retained-rights")


# what an item means only with its lead-in: "Artist retains:" / "Full ownership of the underlying
# composition"; "Voice Actor hereby assigns, transfers and conveys to Soullab Inc.:" / "All copyrights in
# the Recordings"
_LEAD_READ_TYPES = frozenset({"retained-rights", "ip-assignment", "purpose-limitation"})


def _read_with_lead_ins(infos: list[ParaInfo], playbook: Playbook) -> None:
    """Each list item read with its lead-in, for the types neither has alone; an assignment found so is
    the lead-in's as well (its fix limits every item, once, where it governs), and a licence whose every
    item is limited to the project is limited. Before the clause model, so that it is trained on the
    types it is given in a review (evaluation/train.py reads them through ``analyse``)."""
    items_of: dict[int, list[ParaInfo]] = {}
    for info, k in zip(infos, lists.lead_in_indices(infos)):
        if k is None or not info.sentences or not infos[k].sentences:
            continue
        items_of.setdefault(k, []).append(info)
        lead, first = infos[k].sentences[-1], info.sentences[0]
        found = _tag(lead.seg.text + " " + first.seg.text, playbook, only=_LEAD_READ_TYPES)[0]
        new = found - lead.types - first.types
        first.types |= new
        if "ip-assignment" in found - lead.types and ("ip-assignment" in new or lists.ASSIGNING_LEAD.search(lead.seg.text)):
            # the lead-in that assigns its items ("They will be assigned as follows:") carries the assignment
            lead.types.add("ip-assignment")
    for k, items in items_of.items():
        lead = infos[k].sentences[-1]
        if lead.types & GRANT_TYPES and all("purpose-limitation" in i.sentences[0].types for i in items):
            lead.types.add("purpose-limitation")


def _read_frames(infos: list[ParaInfo], playbook: Playbook) -> None:
    """The clause types that are frames (``frame = "ai-use"`` in playbook/clauses/): each paragraph's
    sentences read together (an AI system named in one sentence is the one the next trains), a list
    item with its lead-in; the stance found gives the type that stands for it."""
    by_stance = {ct.stance: ct.id for ct in playbook.clause_types.values() if ct.frame == "ai-use"}
    if not by_stance:
        return
    possible = frozenset(by_stance.values())
    asked: Sentence | None = None  # a paragraph that ends asking about an act: the next may answer it
    for info in infos:
        if asked is not None and info.sentences and (answer := frames.answer_stance(info.sentences[0].seg.text)):
            # an FAQ, the question and its answer on lines of their own ("Can I use the finished
            # commission to train an image generator?" / "No."): the answer gives the question its stance
            asked.maybe = asked.maybe | possible
            if answer in by_stance:
                asked.types.add(by_stance[answer])
        asked = None
        # the frame types' keywords are the lexicon's act words: the sentences' pre-filter has tested
        # them already; acronyms ("AI") are case-sensitive, so they are tested here
        if not info.sentences or not (any(possible & s.maybe for s in info.sentences)
                                      or frames.names_acronym(info.para.text)):
            continue
        stances = frames.paragraph_stances([s.seg.text for s in info.sentences], lists.lead_in(infos, info))
        if stances[-1] is None and frames.asks_about_act(info.sentences[-1].seg.text, context_system=None):
            asked = info.sentences[-1]
        for s, stance in zip(info.sentences, stances):
            s.maybe = s.maybe | possible
            if stance is not None and stance in by_stance:
                s.types.add(by_stance[stance])


def _work_from_grants(terms: Terms, paras: list["ParaInfo"]) -> None:
    """When the contract's name for the work is not a familiar one ("the Images", "the Footage"),
    take the defined term that the grants of rights are about."""
    if terms.work_defined:
        return
    parties = {p.term for p in (terms.provider, terms.client) if p}
    candidates = [d["term"] for d in terms.defined
                  if d["term"] not in parties and d["role"] is None and d["term"] != terms.project
                  and d["term"] not in {"Agreement", "Effective Date", "Parties", "Party", "Services", "Fees", "Fee", "Term"}]
    if not candidates:
        return
    counts = dict.fromkeys(candidates, 0)
    for info in paras:
        for s in info.sentences:
            if s.types & GRANT_TYPES and s.beneficiary != "provider":
                for term in candidates:
                    if term in s.seg.text:
                        counts[term] += 1
    best = max(candidates, key=lambda t: (counts[t], -candidates.index(t)))
    if counts[best]:
        terms.work, terms.work_defined, terms.work_known = best, True, True
        terms.work_with_article = True if best[0].isupper() and best.endswith("s") else terms.work_with_article


def _paragraph_beneficiary(info: ParaInfo, sentence: Sentence) -> str | None:
    """For a sentence with no beneficiary of its own: the one role that the other sentences of its
    paragraph with a clause type in common name, if they agree."""
    if sentence.beneficiary is not None or not sentence.types:
        return sentence.beneficiary
    roles = {s.beneficiary for s in info.sentences
             if s is not sentence and s.beneficiary and s.types & sentence.types}
    return roles.pop() if len(roles) == 1 else None


def _provider_possessive(text: str, terms: Terms) -> bool:
    # a contract in the first person: "excluding our pre-existing materials", "my tools"
    voice = terms.provider.pronoun if terms.provider is not None else None
    if voice is not None and re.search(r"\b" + re.escape(voice.possessive) + r"\b", text, re.IGNORECASE):
        return True
    names = [a for a, role in terms.aliases.items() if role == "provider"]
    # "the Designer's", "the Designers'", and for a name ending in s, "the Business'" as well as "'s"
    return any(re.search(r"\b" + re.escape(n) + (r"(?:'s|’s|s'|['’](?=\s))" if n.endswith("s") else r"(?:'s|’s|s')"),
                         text, re.IGNORECASE) for n in names)


def _provider_keeps(text: str, terms: Terms) -> bool:
    """The provider is who keeps: "The Contractor retains all rights in its pre-existing materials, ...
    and grants the Client a licence" (the sentence's grant names the client; the retention is the
    provider's)."""
    names = tuple(sorted((a for a, role in terms.aliases.items() if role == "provider"), key=len, reverse=True))
    return bool(names) and _keeper_regex(names).search(text) is not None


@lru_cache(maxsize=64)
def _keeper_regex(names: tuple[str, ...]) -> re.Pattern:
    """A provider's name as the subject of keeping ("The Contractor retains", "Designer will keep"),
    compiled once per contract's names."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\s+"
                      r"(?:\w+ly\s+|also\s+)?(?:(?:shall|will)\s+(?:\w+ly\s+)?)?(?:retains?|keeps?|reserves?)\b",
                      re.IGNORECASE)


# fees the client pays: a liquidated sum can be a share of them; with none, the user names the sum
_FEES = re.compile(r"\b(?:fees?|price|compensation|remuneration|royalt(?:y|ies)|invoice[sd]?|paid|payments?)\b", re.IGNORECASE)


def _damages_values(paras: list[ParaInfo], terms: Terms, options: Options) -> dict[str, str]:
    """The liquidated sum and its place beside the contract's cap (issue 12, item 4): an amount that
    exists (the user's, else the fees where the contract has fees, else a blank to fill), never
    "three times the fees" (a penalty risk), and a sentence taking it out of a cap that would limit
    what the client owes (engine/liability.py)."""
    has_fees = any(_FEES.search(p.para.text) for p in paras)
    amount = options.liquidated_damages or (
        f"an amount equal to the total fees payable under {terms.agreement_ref}" if has_fees else "[amount to be agreed]")
    cap = client_cap([(p.para.id, p.para.text, p.para.list_label) for p in paras], terms)
    carve = "" if cap is None else (f" This sum is payable in addition to, and is not limited by, {cap.reference(terms.agreement_ref)}"
                                    f" or any other limitation or exclusion of liability in {terms.agreement_ref}.")
    return {"amount": amount, "cap_carveout": carve}


def _values(terms: Terms, options: Options, form: Form = NEGOTIATED) -> dict[str, str]:
    provider, client = terms.party("provider"), terms.party("client")
    work = terms.work_ref
    # standard terms limit a licence to running the service; the user's own project name still wins
    project = form.purpose(work) if form.standard_terms and not options.project_name else terms.project_ref(options.project_name)
    return {
        "provider": provider.ref, "Provider": provider.Ref, "provider_poss": provider.possessive,
        "client": client.ref, "Client": client.Ref, "client_poss": client.possessive,
        "work": work, "Work": work[:1].upper() + work[1:],
        "it": "them" if terms.work_plural else "it",  # the work, as a pronoun
        "project": project,
        "project_short": options.project_name and f"{options.project_name} project" or "project",
        # the contract's own name for confidential material, when it defines one: never a term it lacks
        "agreement": terms.agreement_ref,  # "this Agreement", "this contract", "these Terms": the contract's own
        "confidential": next((f" or any {d['term']}" for d in terms.defined if _CONFIDENTIAL_TERM.fullmatch(d["term"])), ""),
    }


def review(paragraphs: list[Paragraph], options: Options, playbook: Playbook, budget: Budget | None = None,
           *, phases: dict[str, float] | None = None) -> dict:
    """Review a contract given as paragraphs; return the response body of ``/api/v1/review``.

    Raises ``ReviewTooLarge`` once the review has used its CPU time: ``budget``, else the budget of
    the request being served (none on the command line). ``phases``, when given, receives the CPU
    seconds of each part of the review (parties, tagging, rules, compose) and of the redline
    (``redline``: the word diffs and their anchors, a part of rules and compose): the bench's
    breakdown. The response is the same either way."""
    started = time.perf_counter()
    with _collector_paused():
        return _review(paragraphs, options, playbook, budget, phases, started)


# The review allocates a few objects per sentence that all live until it returns (segments, tags,
# the index): Python's cyclic collector, counting those allocations, runs full collections over the
# whole growing heap while nothing it could free exists yet (on a 15,000-paragraph contract, two
# full collections took 0.37 s of a 0.92 s review). It is paused while a review runs and resumed,
# after one collection of the youngest objects, when the last one in the process returns; a pause
# that other reviews keep open for longer than _MAX_PAUSE seconds ends with a collection, so
# cyclic garbage never piles up under load.
_pause_lock = threading.Lock()
_pausers = 0
_paused_at = 0.0
_resume = False
_MAX_PAUSE = 2.0


class _collector_paused:  # noqa: N801 - used as a context manager
    def __enter__(self) -> None:
        global _pausers, _paused_at, _resume
        with _pause_lock:
            if _pausers == 0:
                _resume = gc.isenabled()
                _paused_at = time.monotonic()
                gc.disable()
            _pausers += 1

    def __exit__(self, *exc) -> None:
        global _pausers, _paused_at
        collect = False
        with _pause_lock:
            _pausers -= 1
            if _pausers == 0:
                if _resume:
                    # the young objects the review left (its response, mostly) are looked at now, in
                    # the review's time, not by whatever allocates next
                    gc.collect(0)
                    gc.enable()
            elif _resume and time.monotonic() - _paused_at > _MAX_PAUSE:
                _paused_at = time.monotonic()
                collect = True
        if collect:
            gc.collect()


def _review(paragraphs: list[Paragraph], options: Options, playbook: Playbook, budget: Budget | None,
            phases: dict[str, float] | None, started: float) -> dict:
    clock = time.thread_time
    redlining.start(timing=phases is not None)
    mark = clock()
    budget = budget or budgets.current()
    terms = find_terms([(p.id, p.text) for p in paragraphs])
    terms.act_for(options.party)
    t_parties = clock() - mark
    mark = clock()
    paras = analyse(paragraphs, playbook, terms, budget)
    t_tagging = clock() - mark
    mark = clock()
    ctx = _context(playbook, options, terms, paras, budget)
    t_parties += clock() - mark
    mark = clock()
    _index(ctx)
    ctx.whole_prohibition = _whole_prohibition(ctx)  # the permission fix asks it (engine/fixes.py)
    findings = _suppress(_run_rules(ctx), ctx)
    t_rules = clock() - mark
    mark = clock()
    findings = _compose(_rank(findings, ctx), {p.para.id: p.para.text for p in paras}, ctx.playbook)
    score = score_findings(findings, options.agency_risk, ctx.exposure)
    wire = [f.to_wire() for f in findings]  # the suggestions' anchors are found here (the redline)
    redline = redlining.stop()
    if phases is not None:
        # the redline runs inside the rules (each finding's edits) and the compose step (anchors)
        phases.update(parties=t_parties, tagging=t_tagging, rules=t_rules, compose=clock() - mark, redline=redline)
    return {
        "score": score,
        "profile": _profile(playbook, options.agency_risk),
        "parties": {"provider": terms.party("provider").term, "client": terms.party("client").term},
        "parties_detected": {"provider": terms.provider is not None, "client": terms.client is not None},
        "party_names": {role: _named(terms.party(role)) for role in ("provider", "client")},
        "work_term": terms.work if terms.work_known else None,
        "project_term": terms.project,
        "defined_terms": terms.defined,
        "form": ctx.form.to_wire([f.rule_id for f in findings if _not_asked(f.rule_id, ctx)]),
        "clauses": [
            {"paragraph_id": p.para.id, "types": sorted(p.reported)} for p in paras if p.reported
        ],
        "findings": wire,
        "questions": questions_for(findings, ctx.values),
        "stats": {
            "paragraphs": len(paragraphs),
            "characters": sum(len(p.text) for p in paragraphs),
            "elapsed_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    }


def _context(playbook: Playbook, options: Options, terms: Terms, paras: list[ParaInfo], budget: Budget) -> Context:
    """What the rules know of the contract: its protections that serve the provider, and whether it
    grants rights in the work."""
    _work_from_grants(terms, paras)
    present: set[str] = set()
    rights_granted = False
    for info in paras:
        for s in info.sentences:
            # A protection counts only when it can serve the provider: an audit right the client
            # holds over the provider, or the client's own retained materials, is not ours. A
            # sentence that names no beneficiary takes the one its paragraph gives the same clause
            # ("Contractor recognizes that a breach could cause irreparable harm to Company. ...
            # Company may seek an injunction"), when the paragraph gives one.
            if s.beneficiary != "client" and _paragraph_beneficiary(info, s) != "client":
                # the freelancer's own duty not to train AI on the agency's material protects the agency
                # (and a restriction on what the provider itself may do: "Voice Actor may continue
                # other work provided it does not involve AI training for competitors")
                own = s.obligor == "provider" or (s.obligor is None and s.beneficiary == "provider")
                types = s.types - DUTY_TYPES if own else s.types
                if "audit-rights" in types and s.beneficiary is None and obligor(s.seg.text, terms) == "provider":
                    # the provider's duty to show its records ("The Contractor shall, upon request,
                    # provide documentation"): the audit is the client's
                    types = types - {"audit-rights"}
                if "ai-training-prohibition" in types and s.obligor is None and s.beneficiary is None \
                        and _clients_material(s.seg.text, terms):
                    # a promise that the client's own data stays out of training ("the Consultant
                    # will ensure client data is not used for model training") keeps the client's
                    # things, not the creator's work
                    types = types - {"ai-training-prohibition"}
                if "injunctive-relief" in types and _CONFIDENCE_ONLY.search(info.para.text):
                    # the discloser's injunction for a breach of confidence does not reach a misuse
                    # of the work (Bonterms 14.4): the AI covenant still needs its remedy
                    types = types - {"injunctive-relief"}
                present |= types
            elif "retained-rights" in s.types and (_provider_possessive(s.seg.text, terms) or _provider_keeps(s.seg.text, terms) or (
                    s.types & GRANT_TYPES and lists.EXCLUDING.search(s.seg.text))):
                # "... to the Agency, excluding the Designer's tools"; what a grant to the client
                # leaves out stays with the one who grants it ("... for this project, excluding:")
                present.add("retained-rights")
            if s.types & OWNERSHIP_TYPES and s.beneficiary == "provider" and not s.definition:
                # ownership that stays with the creator is the creator keeping it: "We own the code
                # we produced", "I actually own the source code for whatever I build for you"
                present.add("retained-rights")
            # (a use "for any purpose" the client may make is a grant by itself: "You are able to use my
            # work for any purpose")
            # (a grant only the clause model sees, naming no one who receives it, is too weak to make
            # the contract one that grants rights: "We may use Your Content ... solely for the project")
            if s.types & GRANT_TYPES and s.beneficiary != "provider" and not s.definition and not (
                    s.beneficiary is None and not (s.types - s.learned) & GRANT_TYPES):
                rights_granted = True
            elif "any-purpose" in s.types and s.beneficiary != "provider" and not s.definition and not _denied_use(s.seg.text):
                rights_granted = True
    rights_granted = rights_granted or _granted_in_a_list(paras, playbook, terms)
    implied = not rights_granted and _implied_licence(paras)
    form = contract_form([p.para for p in paras], terms)
    terms.name_unnamed_work([info.para.text for info in paras], platform=form.standard_terms)
    values = {**_values(terms, options, form), **_damages_values(paras, terms, options)}
    exposure = IMPLIED if implied else contract_exposure(paras, playbook.exposures, retained="retained-rights" in present)
    # work made to order passes to the client under a licence the law implies: the protections a
    # grant needs are needed as much, and an express clause first
    return Context(playbook, options, terms, paras, present, rights_granted or implied, values, budget=budget,
                   exposure=exposure, implied_licence=implied, form=form)


def _denied_use(sentence: str) -> bool:
    """An any-purpose use the sentence denies: "shall not use it for any purpose other than the
    Project" is a duty (of confidence, mostly), not a grant."""
    m = _ANY_PURPOSE.search(sentence)
    return m is not None and negated(sentence, m.start(), m.end())


_ANY_PURPOSE = re.compile(r"\b(?:any|all|every)\s+(?:\w+\s+)?purposes?\b", re.IGNORECASE)
# the words of a remedy that serves a duty of confidence only
_CONFIDENCE_ONLY = re.compile(r"\b(?:discloser|disclosing\s+party|receiving\s+party|recipient)\b", re.IGNORECASE)
_IP_TYPES = GRANT_TYPES | {"retained-rights"}  # (GRANT_TYPES holds the ownership types; a limit of use: _speaks_of_ip)


def _clients_material(text: str, terms: Terms) -> bool:
    """Whether ``text`` is about the client's own data or content ("client data", "Customer's
    materials"), by a generic client word or one of the client's names, never the provider's."""
    provider = {n.lower() for n in terms.party("provider").names or (terms.party("provider").term,)}
    client = {n.lower() for n in terms.party("client").names or (terms.party("client").term,)}
    pronouns = {f.lower() for p in LEXICON.pronouns for f in p.forms}
    words = (client | {"client", "customer"}) - provider - pronouns
    if not words:
        return False
    rx = _client_material_regex(tuple(sorted(words)))
    return bool(rx.search(text))


@lru_cache(maxsize=64)
def _client_material_regex(words: tuple[str, ...]) -> re.Pattern:
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{names})(?:['’]s)?\s+(?:data|content|materials?|information|files|inputs?|prompts?|documents?)\b",
                      re.IGNORECASE)


def _implied_licence(paras: list[ParaInfo]) -> bool:
    """Whether the contract engages the creator to make work and says nothing of who owns it or what
    the client may do with it: no grant, assignment, work for hire, retained right or limit, by
    either side ("You are hiring me to ... / You'll review my work ...", and no IP clause at all)."""
    if any(_speaks_of_ip(s) for info in paras for s in info.sentences):
        return False
    if any(LEXICON.ip_words.search(info.para.text) for info in paras):
        return False  # it speaks of IP, if in words no clause type reads ("will own nothing until paid")
    return any(LEXICON.engagement.search(info.para.text) for info in paras)


def _speaks_of_ip(s: Sentence) -> bool:
    """Whether a sentence is an IP clause of either side: a grant, assignment, work for hire or
    retained right; or a limit of use that speaks of rights in the work ("may use the designs only for
    the Campaign" is also a licence). A limit alone is a duty about something else ("I will not use any
    PII for any use other than as required to provide the services")."""
    if s.definition:
        return False
    if s.types & _IP_TYPES:
        return True
    return "purpose-limitation" in s.types and bool(LEXICON.ip_words.search(s.seg.text))


def _granted_in_a_list(paras: list[ParaInfo], playbook: Playbook, terms: Terms) -> bool:
    """Whether a lead-in and one of its items grant rights together, though neither does alone ("The
    Narrator hereby assigns to Northwind:" and "All copyrights in the Recordings")."""
    for info in paras:
        lead = info.para.text.rstrip()
        if not lead.endswith(":") or not _GRANT_VERB.search(lead):
            continue
        for item in lists.items_after(paras, info):
            clause = lead + " " + item.para.text
            if _tag(clause, playbook)[0] & GRANT_TYPES and beneficiary(clause, terms) != "provider":
                return True
    return False


_GRANT_VERB = re.compile(r"\b(?:grants?|assigns?|transfers?|conveys?|licen[cs]es?|owns?|vests?)\b", re.IGNORECASE)


def _index(ctx: Context) -> None:
    """The sentences by clause type, and by the clause types whose keywords they hold (Context.index)."""
    for info in ctx.paras:
        for sentence in info.sentences:
            for t in sentence.types:
                ctx.index.setdefault(("type", t), []).append((info, sentence))
            for t in sentence.maybe:
                ctx.index.setdefault(("maybe", t), []).append((info, sentence))


def _run_rules(ctx: Context) -> list[Finding]:
    """Every finding of the rules the risk profile turns on, rule by rule in playbook order."""
    findings: list[Finding] = []
    for rule in ctx.playbook.rules:
        ctx.budget.check()
        if rule.setting(ctx.options.agency_risk) is None:
            continue
        if rule.only_in_standard_terms and not ctx.form.standard_terms:
            continue
        if rule.kind == "missing":
            findings.extend(_missing(rule, ctx))
        elif rule.check:
            findings.extend(checks.run(rule, ctx))
        else:
            findings.extend(_pattern_rule(rule, ctx))
    return findings


def _rank(findings: list[Finding], ctx: Context) -> list[Finding]:
    """The findings as the risk profile rates them: its severity and points, most serious first
    (then in document order), numbered ``f-1``, ``f-2``, ... in that order, with the points each
    takes from its category (scoring.charge)."""
    settings = {f.rule_id: ctx.playbook.by_id[f.rule_id].setting(ctx.options.agency_risk) for f in findings}
    ranked = sorted(findings, key=lambda f: (_SEVERITY_ORDER[settings[f.rule_id].severity],
                                             -settings[f.rule_id].points, f.order))
    # a missing protection costs what the contract's widest grant exposes (engine/exposure.py)
    # and a transfer of ownership what it lacks of the lawyer's limits (on payment, the project's work,
    # the creator's own things left out)
    lost = charge([(f.rule_id, f.category, settings[f.rule_id].points * _exposed(f, ctx)) for f in ranked])
    return [_positioned(replace(f, id=f"f-{n}", severity=settings[f.rule_id].severity, points=settings[f.rule_id].points,
                                points_lost=taken), settings[f.rule_id].position, ctx)
            for n, (f, taken) in enumerate(zip(ranked, lost), 1)]


def _exposed(f: Finding, ctx: Context) -> float:
    """The share of its points a finding costs: a missing protection, the contract's exposure; an
    ownership risk, the share of the limits its transfer lacks; any other finding, all of them."""
    if f.kind == "missing":
        return ctx.exposure.share
    if f.category == "ownership":
        return ctx.exposure.ownership_share(f.paragraph_id)
    return 1.0


def _named(party) -> str:
    """How a sentence of ours names the side mid-sentence ("the Agency", "Acme"); a side the contract
    calls "we" or "you" is the other side, or the user, in words addressed to the user."""
    if party.voiced:
        return "the other side" if party.role == "client" else "you"
    return party.ref


_STRONGER = "Stronger position: the playbook's preferred fix"


def _positioned(f: Finding, position: str, ctx: Context) -> Finding:
    """The finding with the position its profile asks for first: under "fallback" the rule's fallback
    is the suggestion, with its own comment to the counterparty, and the preferred fix the first
    alternative (the seed's lower-risk profiles push less hard; they do not only score lower)."""
    if position != "fallback" or not f.alternatives or f.suggestion is None:
        return f
    fallback, rest = f.alternatives[0], f.alternatives[1:]
    rule = ctx.playbook.by_id[f.rule_id]
    comment = replace(f.comment, counterparty=ctx.fill(rule.fallback.comment))
    return replace(f, suggestion=replace(fallback, label=None), comment=comment, position="fallback",
                   alternatives=(replace(f.suggestion, label=_STRONGER),) + tuple(rest))


def _profile(playbook: Playbook, risk: str) -> dict:
    profile = playbook.profiles[risk]
    return {
        "id": profile.id, "title": profile.title, "description": profile.description,
        "stance": profile.stance,
        "required": [r.id for r in playbook.rules if r.kind != "risky" and r.setting(risk)],
    }


# --- risky language and incomplete clauses, by pattern ------------------------------------------

def _pattern_rule(rule: Rule, ctx: Context, skip: dict[int, set[int]] | None = None) -> list[Finding]:
    """One finding per paragraph: its span is the first match, its fix covers every match.

    ``skip``: paragraph index -> starts of sentences to leave alone (another finding covers them)."""
    out = []
    if rule.if_present and not ctx.present.intersection(rule.if_present):
        return out
    if ctx.present.intersection(rule.unless_present):
        return out
    group = "span" if "span" in rule.pattern.groupindex else 0
    # the rule's patterns, each testing the words it cannot match without first (prefilter.py)
    pattern = _guard(rule.pattern)
    context = _guard(rule.context) if rule.context else None
    exceptions = [_guard(x) for x in rule.exceptions]
    # Only sentences that can match: those of the rule's scope type, or whose keywords admit the
    # rule's clause type (the keywords are necessary for its rules' patterns too).
    key = ("type", rule.applies_to) if rule.applies_to else ("maybe", rule.clause_type)
    by_para: dict[int, list[Sentence]] = {}
    for info, s in ctx.index.get(key, ()):
        if skip is not None and (info.index not in skip or s.seg.start in skip[info.index]):
            continue
        by_para.setdefault(info.index, []).append(s)
    for index, sentences in by_para.items():
        ctx.budget.check()
        info = ctx.paras[index]
        text = info.para.text
        hits: list[tuple[int, int, Segment]] = []
        # a list item is read with its lead-in ("You grant us a licence to:" / "Create clips and
        # derivative works"): the lead-in says it is a right, and a lead-in tied to the project limits it
        lead = lists.lead_in_index(ctx.paras, info) if sentences[0].seg.start == 0 else None
        lead_info = ctx.paras[lead] if lead is not None else None
        if lead_info is not None and rule.unless_types and any(
                x.types.intersection(rule.unless_types) for x in lead_info.sentences):
            continue
        # Tests on the whole paragraph run once per paragraph, not once per sentence (a paragraph of
        # 300 risky sentences would otherwise be searched 300 times over).
        paragraph_excepted: bool | None = None
        for s in sentences:
            if s.definition or (rule.unless_types and s.types.intersection(rule.unless_types)):
                continue
            matches = list(pattern.finditer(s.seg.text))  # most selective test first
            if matches and rule.negation_vetoes:
                # "shall not be deemed a work made for hire", "for any purpose other than the Project":
                # the words are there, the risk is not (negation scope: engine/polarity.py)
                lead_in = lists.lead_in(ctx.paras, info) if s.seg.start == 0 else None
                matches = [m for m in matches if not negated(s.seg.text, m.start(group), m.end(group), lead_in,
                                                             rule.negation_vetoes)]
            if not matches:
                continue
            if context is not None and not context.search(s.seg.text) and not (
                    lead_info is not None and s.seg.start == 0 and context.search(lead_info.para.text)):
                continue
            # a sentence the patterns gave no type (only its keywords admit the rule's) had its
            # beneficiary never read: "Developer retains the perpetual, irrevocable right to:"; an item
            # that names no one is its lead-in's ("Rights Granted to PaceySpace:" / "Modify ... the codebase")
            if rule.direction != "any":
                holder = s.beneficiary if s.types else beneficiary(s.seg.text, ctx.terms)
                if holder is None and lead_info is not None and s.seg.start == 0 and lead_info.sentences:
                    holder = beneficiary(lead_info.sentences[-1].seg.text, ctx.terms)
                if holder == "provider":
                    continue
            if paragraph_excepted is None:
                whole = lists.with_listed_exclusions(ctx.paras, info)
                paragraph_excepted = any(_guard(x).search(whole) for x in rule.paragraph_exceptions) or (
                    rule.exception_scope == "paragraph" and any(x.search(whole) for x in exceptions))
            if paragraph_excepted:
                break
            if rule.exception_scope != "paragraph" and any(x.search(s.seg.text) for x in exceptions):
                continue
            for m in matches[:1] if rule.kind == "incomplete" else matches:
                hits.append((s.seg.start + m.start(group), s.seg.start + m.end(group), s.seg))
        if not hits:
            continue
        # A paragraph-wide exception is satisfied by one fix; a sentence-wide one needs a fix in every
        # sentence that raises the rule (an incomplete clause keeps one hit per sentence, above), or
        # the next sentence of the paragraph is flagged again once the first is fixed.
        if rule.exception_scope == "paragraph":
            hits = hits[:1]
        revised = _fix_hits(rule.fix, text, hits, ctx)
        if revised == text:
            continue
        # the fallback, like the preferred fix, answers every hit (else re-review flags the rest)
        fallback = _fix_hits(rule.fallback, text, hits, ctx) if rule.fallback and rule.fallback.action else None
        start, end, _ = min(hits, key=lambda h: h[0])
        found = _finding(rule, ctx, info, start, end, revised,
                         sentences=frozenset(seg.start for _, _, seg in hits), fallback_revised=fallback)
        out.append(replace(found, lead_in=lead_info.para.id) if lead_info is not None else found)
    return out


# fix functions that add words at the end of the sentence's clause, like insert_before_end: once per sentence
_AT_SENTENCE_END = frozenset({"limit_assignment"})


def _fix_hits(fix, text: str, hits: list[tuple[int, int, Segment]], ctx: Context) -> str:
    """``text`` with ``fix`` applied at every hit, from the end (so only the fixes inside a sentence
    move its end); a fix that adds words at a sentence's end is made once per sentence."""
    if fix.action in {"insert_before_end", "append_sentence"} or (fix.action == "function" and fix.function in _AT_SENTENCE_END):
        # once per sentence: at its first hit, or at a phrase the fix rewrites where it stands
        # ("transferable ... (with right to sublicense through multiple tiers)": the phrase)
        per: dict[int, tuple[int, int, Segment, bool]] = {}
        for a, b, seg in hits:
            phrased = fix.phrase is not None and bool(fix.phrase.match(text, a, b))
            if seg.start not in per or (phrased and not per[seg.start][3]):
                per[seg.start] = (a, b, seg, phrased)
        hits = [(a, b, seg) for a, b, seg, _ in per.values()]
    revised = text
    grown: dict[int, int] = {}  # how much the fixes so far lengthened each sentence
    for start, end, seg in sorted(hits, key=lambda h: h[0], reverse=True):
        shift = grown.get(seg.start, 0)
        shifted = Segment(seg.start, seg.end + shift, revised[seg.start:seg.end + shift])
        fixed = apply_fix(fix, revised, start, end, shifted, ctx)
        if fixed is not None:
            grown[seg.start] = shift + len(fixed) - len(revised)
            revised = fixed
    return revised


def _whole_prohibition(ctx: Context) -> bool:
    """Whether the reviewed contract ends up with a whole AI-training prohibition without a
    permission's fix: the review inserts one (its missing-clause rule fires), or one is there already.
    A property of the contract: found once per review, before the rules run."""
    missing = ctx.playbook.by_id.get("ai.prohibition-missing")
    return bool(
        (missing is not None and missing.setting(ctx.options.agency_risk) and _missing_fires(missing, ctx))
        or any("ai-training-prohibition" in s.types and prohibition.whole_prohibition(info, k)
               for info, s in ctx.index.get(("type", "ai-training-prohibition"), ())
               for k in [info.sentences.index(s)]))


# --- missing clauses ----------------------------------------------------------------------------

def _missing_fires(rule: Rule, ctx: Context) -> bool:
    """Whether the missing-clause ``rule`` fires on this contract (the clause is absent and required)."""
    if rule.applies_if == "rights_granted" and not ctx.rights_granted:
        return False
    if rule.applies_if == "implied_licence" and not ctx.implied_licence:
        return False
    if any(t in ctx.present for t in rule.present_if):
        return False
    if not rule.present_patterns:
        return True
    if ctx.folded is None:  # the whole contract, and lower-cased once: what a pattern's literals are tested on
        ctx.joined = "\n".join(p.para.text for p in ctx.paras)
        ctx.folded = fold(ctx.joined)
    for x in rule.present_patterns:
        guard = _guard(x)
        # a paragraph the pattern matches holds its literals, and so does the contract: when the
        # contract lacks one, no paragraph needs searching
        if guard.admits_folded(ctx.joined, ctx.folded) and any(guard.search(p.para.text) for p in ctx.paras):
            return False
    return True


_GUARDS: dict[re.Pattern, GuardedPattern] = {}


def _guard(rx: re.Pattern) -> GuardedPattern:
    guard = _GUARDS.get(rx)
    if guard is None:
        guard = _GUARDS[rx] = GuardedPattern(rx)
    return guard


def _not_asked(rule_id: str, ctx: Context) -> bool:
    """A missing clause these standard terms lack and are not asked for (engine/form.py)."""
    return ctx.form.standard_terms and not ctx.playbook.by_id[rule_id].in_standard_terms


# what a finding says of a clause that standard terms lack and are not asked for
_NOT_ASKED = ("These are standard terms, offered to every user in the same words and seldom changed for one, "
              "so no clause is suggested. The gap is real, and the score counts it.")


def _missing(rule: Rule, ctx: Context) -> list[Finding]:
    if not _missing_fires(rule, ctx):
        return []
    absence = _absence(rule, ctx)
    message = ctx.fill(rule.message) + " " + absence.summary(ctx.terms.party("provider").ref)
    suggestion, alternatives, comment = None, [], _comment(rule, ctx)
    if _not_asked(rule.id, ctx):
        # reported and scored, with no clause to apply and nothing to say to the other side
        message, comment = message + " " + _NOT_ASKED, replace(comment, counterparty="")
    else:
        if ctx.anchor is None:
            ctx.anchor, ctx.anchor_label = _ip_section_end(ctx)
        suggestion = _insertion(rule.heading, rule.text, ctx.anchor, ctx, ctx.anchor_label)
        if rule.fallback:
            alternatives.append(replace(_insertion(rule.fallback.heading or rule.heading, rule.fallback.text, ctx.anchor,
                                                   ctx, ctx.anchor_label), label=rule.fallback.label))
    return [Finding(
        rule_id=rule.id, kind="missing", category=rule.category, clause_type=rule.clause_type, title=rule.title,
        message=message, paragraph_id=None, span=None, evidence=absence, comment=comment,
        suggestion=suggestion, alternatives=tuple(alternatives),
        order=10**9,  # after every finding on a paragraph of the same severity and points
    )]


def _absence(rule: Rule, ctx: Context) -> Absence:
    """What the missing ``rule`` looked for, where, and the sentences that came closest (see absence.py).
    Built from the review's index of sentences by clause type: no pass over the whole contract."""
    wanted = set(rule.present_if)
    client = ctx.terms.party("client").term
    ranked: dict[tuple[int, int], tuple[int, int, int, ParaInfo, Sentence]] = {}
    for key in [("type", t) for t in rule.present_if] + [("maybe", t) for t in rule.present_if]:
        for info, s in ctx.index.get(key, ()):
            rank = (1 if s.definition else 0) if s.types & wanted else 2
            at = (info.index, s.seg.start)
            if at not in ranked or rank < ranked[at][0]:
                ranked[at] = (rank, info.index, s.seg.start, info, s)
    misses = []
    for rank, _, _, info, s in sorted(ranked.values(), key=lambda m: m[:3])[:MAX_NEAR_MISSES]:
        label = _label(info)
        section = label.strip("().") if label else None
        # named as the reader finds it in the document: the section's number, else the paragraph's
        # place (the paragraph id is Word's internal one, and travels in ``paragraph_id``)
        where = f"section {section}" if section else f"paragraph {info.index + 1}"
        reason, why = [("other_side", f"{where} is one, but it serves the {client}"),
                       ("definition", f"{where} defines it but does not provide it"),
                       ("words_only", f"{where} has its words but is not one")][rank]
        misses.append(NearMiss(info.para.id, s.seg.start, s.seg.end, section, reason, why))
    if ctx.sections is None:
        ctx.sections = tuple(dict.fromkeys(n for n in (_top_number(p) for p in ctx.paras) if n))
        ctx.sentence_count = sum(len(p.sentences) for p in ctx.paras)
    titles = tuple(ctx.playbook.clause_types[t].title for t in rule.present_if)
    return Absence(titles, len(ctx.paras), ctx.sentence_count, ctx.sections, tuple(misses))


def _ip_section_end(ctx: Context) -> tuple[ParaInfo, str | None]:
    """Where a careful lawyer adds a new clause, and the label it follows: the end of the IP/licence
    section, as a subsection of its own (issue 12, item 3; see outline.py). Never inside an enumerated
    list or a conditional subsection: in Bonterms the last IP paragraph is 6.3(g), under "6.3 ... If a
    Deliverable is an Assigned Deliverable, this Section 6.3 applies"; a clause placed there as "(h)"
    would govern assigned deliverables only, so it goes after 6.5, the section's last subsection, as
    6.6. With no IP section, it goes after the last clause, before the signature block."""
    ip = [p for p in ctx.paras
          if any(s.types & IP_SECTION_TYPES and s.beneficiary != "provider" and not s.definition for s in p.sentences)]
    paras = [p.para for p in ctx.paras]
    place = outline.section_end(paras, ip[-1].index) if ip else outline.closing_place(paras)
    return ctx.paras[place.after], place.label


def _label(info: ParaInfo) -> str | None:
    return outline.paragraph_label(info.para)


def _top_number(info: ParaInfo) -> str | None:
    return outline.top_number(info.para)


def _insertion(heading: str, template: str, anchor: ParaInfo, ctx: Context, label: str | None) -> InsertSuggestion:
    """A new clause after ``anchor``, numbered after ``label`` (the section's last numbered
    subsection; None: unnumbered)."""
    body = ctx.fill(template)
    head = f"{heading}. " if heading else ""
    # labels the paragraphs just after the anchor already use: a new one must not repeat them
    taken = frozenset(lb for p in ctx.paras[anchor.index + 1:anchor.index + 31] if (lb := _label(p)))
    # numbered by _compose, once all insertions after this anchor are known (and `order` with them)
    numbering = Numbering(label, bool(label) and not (anchor.para.list_label and _label(anchor) == label), taken)
    return InsertSuggestion(anchor.para.id, (InsertedParagraph(head + body, anchor.para.style or "Normal",
                                                               numbering=numbering),))


# --- putting findings together ------------------------------------------------------------------

def _suppress(findings: list[Finding], ctx: Context) -> list[Finding]:
    """Drop findings whose rule is suppressed by another finding on the same paragraph (or, for
    missing clauses, anywhere): the other finding's fix already covers them.

    On a paragraph, the other fix covers the sentences it changes: a sentence of the paragraph that
    it leaves alone still gets the suppressed rule's fix ("... for any purpose. ... grant the users
    the right to access ..."), or re-review flags that sentence."""
    playbook = ctx.playbook
    by_para: dict[str | None, dict[str, list[Finding]]] = {}
    anywhere: set[str] = set()
    for f in findings:
        by_para.setdefault(f.paragraph_id, {}).setdefault(f.rule_id, []).append(f)
        anywhere.add(f.rule_id)
    index = {p.para.id: p.index for p in ctx.paras}
    kept = []
    for f in findings:
        rule = playbook.by_id[f.rule_id]
        if f.paragraph_id is None:
            if not any(other in anywhere for other in rule.suppressed_by):
                kept.append(f)
            continue
        here = by_para[f.paragraph_id]
        covering = [g for other in rule.suppressed_by for g in here.get(other, ())]
        if not covering:
            kept.append(f)
            continue
        if f.sentences is None or any(g.sentences is None for g in covering):
            continue  # no sentence-level record: the other fix covers the paragraph
        covered = set().union(*(g.sentences for g in covering))
        if f.sentences <= covered:
            continue
        kept.extend(_pattern_rule(rule, ctx, skip={index[f.paragraph_id]: covered}))
    return kept


def _compose(findings: list[Finding], texts: dict[str, str], playbook: Playbook) -> list[Finding]:
    """The ranked findings with fixes that compose: merged where they meet on a paragraph, a fix
    another one makes unnecessary yielding to it, and the insertions after one paragraph ordered and
    numbered."""
    return _number_insertions(_yield(_merge_fixes(findings, texts), playbook))


def _yield(findings: list[Finding], playbook: Playbook) -> list[Finding]:
    """A finding whose rule yields to another's fix on its paragraph (``yields_to``) keeps its points
    and message, and takes that fix as its own: "perpetual" stays in a licence the review limits to
    the project. A finding whose change already carries others' is left as it is."""
    owners = {(f.paragraph_id, f.rule_id): f for f in findings
              if f.paragraph_id is not None and f.suggestion is not None and f.covered_by is None}
    covers: dict[str, list[str]] = {}
    out = []
    for f in findings:
        rule = playbook.by_id[f.rule_id]
        owner = next((owners[(f.paragraph_id, o)] for o in rule.yields_to if (f.paragraph_id, o) in owners), None)
        if owner is None and f.lead_in is not None:
            # a list item's risk that its lead-in's fix answers: "a licence, solely for the Project, to:"
            owner = next((owners[(f.lead_in, o)] for o in rule.items_yield_to if (f.lead_in, o) in owners), None)
        if owner is not None and f.covered_by is None and not f.covers and isinstance(owner.suggestion, EditSuggestion):
            f = replace(f, covered_by=owner.id, suggestion=owner.suggestion.shared(owner.id), alternatives=())
            covers.setdefault(owner.id, []).append(f.id)
        out.append(f)
    return [replace(f, covers=f.covers + tuple(covers[f.id])) if f.id in covers else f for f in out]


def _merge_fixes(findings: list[Finding], texts: dict[str, str]) -> list[Finding]:
    """Make every finding's edits compose with every other's on the same paragraph.

    Edits are offsets into the same original text. Where two findings' edits touch or overlap, the
    later finding joins the earlier one: the earlier suggestion carries both changes and the later
    finding points to it with ``covered_by`` (and shares the suggestion as it was then).
    """
    findings = list(findings)
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        if isinstance(f.suggestion, EditSuggestion):
            groups.setdefault(f.suggestion.paragraph_id, []).append(i)
    for pid, group in groups.items():
        original = texts[pid]
        owners: list[int] = []  # findings that keep a suggestion
        for i in group:
            f = findings[i]
            mine = [(e.start, e.end) for e in f.suggestion.edits]
            clash = next((o for o in owners if _touch(mine, [(e.start, e.end) for e in findings[o].suggestion.edits])), None)
            if clash is None:
                owners.append(i)
                continue
            owner = findings[clash]
            merged = _merge_edits(original, list(owner.suggestion.edits), list(f.suggestion.edits))
            suggestion = EditSuggestion(pid, original, apply_edits(original, merged), tuple(merged))
            findings[clash] = replace(owner, suggestion=suggestion, covers=owner.covers + (f.id,))
            findings[i] = replace(f, covered_by=owner.id, suggestion=suggestion.shared(owner.id))
    return findings


def _number_insertions(findings: list[Finding]) -> list[Finding]:
    """Order the insertions after the same anchor and give manual numbering consecutive labels.

    Each finding's suggestion takes the next place after its anchor; its alternatives are numbered
    for the place after that, which they do not take."""
    counters: dict[str, int] = {}
    out = []
    for f in findings:
        if isinstance(f.suggestion, InsertSuggestion):
            k = counters.get(f.suggestion.insert_after, 0)
            counters[f.suggestion.insert_after] = k + 1
            f = replace(f, suggestion=_placed(f.suggestion, k))
        if any(isinstance(a, InsertSuggestion) for a in f.alternatives):
            f = replace(f, alternatives=tuple(_placed(a, counters.get(a.insert_after, 0))
                                              if isinstance(a, InsertSuggestion) else a for a in f.alternatives))
        out.append(f)
    return out


def _placed(s: InsertSuggestion, k: int) -> InsertSuggestion:
    """Insertion ``s`` as the k-th (0-based) after its anchor: its order, and its paragraphs'
    labels following the anchor's when the anchor has one."""
    return replace(s, order=k, paragraphs=tuple(_numbered(p, k) for p in s.paragraphs))


def _numbered(p: InsertedParagraph, k: int) -> InsertedParagraph:
    if p.numbering is None:
        return p
    n = p.numbering
    label = outline.next_label(n.anchor_label, k)
    if label in n.taken:
        label = None  # "(f)" exists already: an unlabelled paragraph, not a second "(f)"
    if not label:
        return replace(p, numbering=None)
    if n.in_text:
        return replace(p, text=f"{label} {p.text}", numbering=None)
    return replace(p, list_label=label, numbering=None)


def _touch(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    """True when a span of ``a`` touches or overlaps a span of ``b``: sorted, one merge-like walk, not every pair (a paragraph may carry hundreds of edits)."""
    a, b = sorted(a), sorted(b)
    i = j = 0
    while i < len(a) and j < len(b):
        (s1, e1), (s2, e2) = a[i], b[j]
        if s1 <= e2 and s2 <= e1:
            return True
        if e1 < e2:
            i += 1
        else:
            j += 1
    return False


_PROVISO = re.compile(r"\s*,?\s*(?:provided\s+that|subject\s+to|but\s+only)\b", re.IGNORECASE)


def _merge_edits(original: str, first: list[Edit], second: list[Edit]) -> list[Edit]:
    """One edit list that makes both findings' changes, each still minimal where they don't meet.

    Edits that overlap or touch become one edit over their union: the first finding's wording wins
    where both rewrite the same words, and the second's inserted words follow, so neither is lost.
    """
    edits = sorted(first + second, key=lambda e: (e.start, e.end))
    merged: list[Edit] = []
    for e in edits:
        if not merged or e.start > merged[-1].end:
            merged.append(e)
            continue
        last = merged.pop()
        if last.start == last.end == e.start == e.end and last.text == e.text:
            merged.append(last)  # two fixes insert the same words at one place ("solely for the Project"): once
            continue
        if last.start == last.end == e.start == e.end and _PROVISO.match(last.text) and not _PROVISO.match(e.text):
            # two insertions at one point: a proviso goes last, so "solely for the Project" limits
            # the licence, not the proviso ("..., provided that no model is a derivative work")
            merged.append(Edit(last.start, last.end, e.text + last.text))
        elif e.start == last.end and e.start == e.end and e.text.strip() and last.text.strip().endswith(e.text.strip()):
            # an insertion right after a rewrite that ends in the same words ("for any purpose" ->
            # "solely for the Project", then " solely for the Project" before the full stop): once
            merged.append(last)
        elif e.start == last.end:  # touching: both changes, in order
            merged.append(Edit(last.start, max(last.end, e.end), last.text + e.text))
        else:  # overlapping: the first wording wins; the second's new words follow it
            text = last.text if (not e.text or e.text in last.text) else last.text + e.text
            merged.append(Edit(last.start, max(last.end, e.end), text))
    return merged


__all__ = ["Paragraph", "Options", "review", "tag_sentence", "analyse", "CATEGORIES"]
