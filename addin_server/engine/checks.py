"""Rule checks that need logic beyond a pattern: an existing clause that lacks some of its parts.

Each check still takes its id, messages and examples from the rule's data file; only the search for
missing elements and the placement of the missing words live here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..playbook import Rule
from ..redline.diff import Edit, apply_edits
from .direction import obligor

if TYPE_CHECKING:  # pragma: no cover
    from .review import Context, ParaInfo, Sentence
    from .text import Segment

_AI_MENTION = re.compile(r"\b(?:artificial\s+intelligence|machine[-\s]learning|AI|ML|generative|neural|LLMs?|large\s+language\s+models?)\b")

# The seed's four elements of an AI-training prohibition, with the words that satisfy each.
ELEMENTS = {
    "third parties": re.compile(
        r"third[-\s]part|any\s+(?:other\s+)?(?:person|party|entity)|anyone|(?:permit|allow|authori[sz]e|enable|assist)\w*\s+(?:any|others|another|its|their)"
        r"|directly\s+or\s+indirectly|affiliates?|sub-?contractors?|service\s+providers?|vendors?|licensees?",
        re.IGNORECASE),
    "ingestion": re.compile(r"\b(?:ingest\w*|input\w*|upload\w*|feed\w*|process\w*|incorporat\w*|scrap\w*|min(?:e|ing)|data\s*sets?|training\s+data|copy\w*\s+into)\b", re.IGNORECASE),
    "fine-tuning": re.compile(r"\bfine[-\s]?tun\w*", re.IGNORECASE),
    "developing": re.compile(r"\b(?:develop\w*|build\w*|creat\w*|improv\w*|enhanc\w*)\b", re.IGNORECASE),
    "generative AI": re.compile(r"\bgenerative\b", re.IGNORECASE),
    "machine learning models": re.compile(r"\bmachine[-\s]learning\b|\bML\b", re.IGNORECASE),
    "automated systems": re.compile(r"\bautomated\s+(?:systems?|tools?|means|processes)\b|\balgorithm\w*", re.IGNORECASE),
}
_PLAIN = {
    "third parties": "third parties acting for the other side",
    "ingestion": "ingesting or processing the material",
    "fine-tuning": "fine-tuning",
    "developing": "developing new models",
    "generative AI": "generative AI",
    "machine learning models": "machine learning models",
    "automated systems": "other automated systems",
}
_MODAL_NOT = re.compile(r"\b(shall|will|must|may)\s+not\b(?!\s+(?:be|have))", re.IGNORECASE)
_TRAIN_VERB = re.compile(r"\b(?:re-?)?(?:train(?:ing)?|fine[-\s]?tun(?:e|ing)|develop(?:ing)?|improv(?:e|ing)|build(?:ing)?|teach(?:ing)?)\b", re.IGNORECASE)
_SYSTEM_NOUN = re.compile(
    r"\b(?:(?:artificial\s+intelligence|machine[-\s]learning|AI|ML|generative\s+(?:AI|artificial\s+intelligence)|large\s+language|neural)"
    r"(?:\s+(?:models?|systems?|tools?|technolog(?:y|ies)|networks?|platforms?|applications?))?|models?|algorithms?|LLMs?)\b",
    re.IGNORECASE)


def run(rule: Rule, ctx: "Context") -> list[dict]:
    return {"ai_prohibition_elements": _ai_prohibition, "confidentiality_ai": _confidentiality}[rule.check](rule, ctx)


def missing_elements(text: str) -> list[str]:
    return [name for name, rx in ELEMENTS.items() if not rx.search(text)]


def _ai_prohibition(rule: Rule, ctx: "Context") -> list[dict]:
    """Flag the most complete AI prohibition when it still lacks elements; silent if any is whole."""
    from .review import _finding

    best = None
    for info in ctx.paras:
        for k, s in enumerate(info.sentences):
            # a prohibition on making or improving a model; a ban on labelling, disclosing or
            # featuring AI content is not the clause whose four elements this completes
            if "ai-training-prohibition" not in s.types or not _BINDING.search(s.seg.text) or not _trains(s.seg.text):
                continue
            if s.obligor == "provider":
                continue  # the freelancer's own duty: completing it would bind our own user
            gaps = missing_elements(_with_continuation(info, k))
            if not gaps:
                return []  # the contract has a whole prohibition: nothing to complete
            if best is None or len(gaps) < len(best[2]):
                best = (info, s, gaps)
    if best is None:
        return []
    info, s, gaps = best
    revised, edits = _complete(info.para.text, s.seg, gaps, ctx)
    if revised == info.para.text:
        return []
    return [_finding(rule, ctx, info, s.seg.start, s.seg.end, revised,
                     extra={"missing": ", ".join(gaps), "missing_plain": _join([_PLAIN[g] for g in gaps])},
                     edits=edits)]


# "training" that names data, not the act: "no ... training dataset is a derivative work" restricts nothing
_TRAINING_DATA = re.compile(r"\btraining\s+(?:data(?:\s*sets?)?|datasets?|corpus|corpora|materials?)\b", re.IGNORECASE)


def _trains(text: str) -> bool:
    """The sentence is about making or improving a model (not only about its data)."""
    return bool(_TRAIN_VERB.search(_TRAINING_DATA.sub("", text)))


# "This restriction also applies to ...", "This includes ...": a sentence that carries on the one before
_CONTINUES = re.compile(r"^\W{0,3}(?:This|These|The\s+foregoing|Such)\s+(?:(?:restrictions?|prohibitions?|obligations?)\b|(?:includes|covers|applies)\b)", re.IGNORECASE)


def _with_continuation(info: "ParaInfo", k: int) -> str:
    """The prohibition of sentence ``k`` with the sentences after it that carry it on: the words a
    completion adds after the sentence (and a drafter's own "This includes ...") belong to it."""
    parts = [info.sentences[k].seg.text]
    for nxt in info.sentences[k + 1:]:
        if not _CONTINUES.match(nxt.seg.text):
            break
        parts.append(nxt.seg.text)
    return " ".join(parts)


def whole_prohibition(info: "ParaInfo", k: int) -> bool:
    """Sentence ``k`` is an AI-training prohibition with all its elements."""
    text = info.sentences[k].seg.text
    return bool(_BINDING.search(text) and _trains(text)) and not missing_elements(_with_continuation(info, k))


def complete_prohibition(text: str, seg: "Segment", ctx: "Context") -> str:
    """``text`` with the prohibition in ``seg`` given every element it lacks (a permission turned
    into a prohibition must be a whole one, or re-review finds it incomplete)."""
    gaps = missing_elements(seg.text)
    return _complete(text, seg, gaps, ctx)[0] if gaps else text


# A prohibition binds someone not to *do* something; "shall not include" narrows a definition.
_BINDING = re.compile(r"\b(?:shall|will|must|may)\s+not\b(?!\s+(?:include|be\s+(?:deemed|construed)|apply|limit))|\bprohibit|\bforbid|\bno\s+right", re.IGNORECASE)


def _complete(text: str, seg: "Segment", gaps: list[str], ctx: "Context") -> tuple[str, list[Edit]]:
    """Insert exactly the missing words into the existing prohibition."""
    inserts: list[tuple[int, str]] = []
    tail_notes: list[str] = []
    sentence = seg.text
    if "third parties" in gaps:
        m = _MODAL_NOT.search(sentence)
        if m:
            modal = m.group(1).lower()
            # "shall not, from time to time, disclose": the drafter's comma closes the insertion
            comma = "" if sentence[m.end():].startswith(",") else ","
            inserts.append((seg.start + m.end(), f", and {modal} not permit any third party to{comma}"))
        else:
            tail_notes.append(f"This restriction also applies to any third party acting for or with the permission of {ctx.values['client']}.")
    if "ingestion" in gaps:
        # the verb "use", not the noun ("for their use", "such use")
        use = re.search(r"(?<!their )(?<!its )(?<!his )(?<!her )(?<!such )(?<!the )(?<!any )(?<!this )\buse\b(?=\s)",
                        sentence[_MODAL_NOT.search(sentence).end() if _MODAL_NOT.search(sentence) else 0:])
        if use:
            offset = _MODAL_NOT.search(sentence).end() if _MODAL_NOT.search(sentence) else 0
            inserts.append((seg.start + offset + use.end(), ", ingest or process"))
        else:
            tail_notes.append("This includes ingesting or processing the material in any such system.")
    verbs = [g for g in ("fine-tuning", "developing") if g in gaps]
    if verbs:
        found = list(_TRAIN_VERB.finditer(sentence))
        if found:
            gerund = found[0].group(0).lower().endswith("ing")
            words = [("fine-tuning" if gerund else "fine-tune") if v == "fine-tuning" else ("developing" if gerund else "develop") for v in verbs]
            first, last = found[0], found[-1]
            # "train, retrain or fine-tune" (a list): add before the first verb; "train": extend it.
            if len(found) > 1 and last.start() - first.end() < 40:
                inserts.append((seg.start + first.start(), ", ".join(words) + ", "))
            else:
                inserts.append((seg.start + first.end(), (", " if len(words) > 1 else " or ") + _join(words) if len(words) > 1 else " or " + words[0]))
        else:
            tail_notes.append("This includes fine-tuning or developing any such system.")
    systems = [g for g in ("machine learning models", "generative AI", "automated systems") if g in gaps]
    if systems:
        # not inside a name or a compound: "AI Features", "AI-manipulated"
        nouns = [n for n in _SYSTEM_NOUN.finditer(sentence) if not re.match(r"-\w|\s+[A-Z][a-z]", sentence[n.end():])]
        names = {"machine learning models": "machine learning model", "generative AI": "generative AI",
                 "automated systems": "automated system"}
        words = [names[g] for g in systems]
        if nouns:
            inserts.append((seg.start + nouns[-1].end(), ", including any " + _join(words)))
        else:
            tail_notes.append(f"This covers any {_join(words)}.")
    edits = [Edit(pos, pos, words) for pos, words in inserts]
    if tail_notes:
        closing = "" if text[seg.end - 1] in ".;:!?" else "."
        edits.append(Edit(seg.end, seg.end, closing + " " + " ".join(tail_notes)))
    # Insertions only, each exactly where its words belong: no diff can make them more precise.
    edits.sort(key=lambda e: e.start)
    return apply_edits(text, edits), edits


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


_OBLIGATION = re.compile(
    r"\b(?:shall|will|must|agrees?\s+to|undertakes?\s+to)\s+(?:\w+\s+){0,2}?(?:not\s+)?(?:\(\w\)\s+)?(?:\w+\s+)?(?:disclose|hold|keep|maintain|protect|use|treat)\b"
    r"|\bin\s+(?:strict\s+)?confidence\b", re.IGNORECASE)


def _binds_client(sentence: str, ctx: "Context") -> bool:
    """True when the confidentiality obligation binds the client (or both sides, or says not whom).

    An obligation on the freelancer alone ("The Designer shall hold ...", "... shall be held in
    confidence by the Designer") protects the agency's secrets, not the freelancer's work: adding AI
    ingestion there would bind our own user."""
    return obligor(sentence, ctx.terms) != "provider"


def _confidentiality(rule: Rule, ctx: "Context") -> list[dict]:
    """A confidentiality clause that binds the client but never mentions AI systems."""
    from .review import _finding, apply_fix

    candidates = [p for p in ctx.paras if "confidentiality" in p.types]
    if not candidates or any(_AI_MENTION.search(p.para.text) for p in candidates):
        return []
    introducing = None  # (paragraph, sentence) of an obligation that introduces a list ("... to Information:")
    for info in candidates:
        binding = [s for s in info.sentences if "confidentiality" in s.types and _OBLIGATION.search(s.seg.text)
                   and _binds_client(s.seg.text, ctx)]
        # a sentence that ends in a colon goes on in the items after it: a sentence added there
        # would split it from its list and run on into it
        whole = [s for s in binding if not s.seg.text.rstrip().endswith(":")]
        if not whole:
            introducing = introducing or (binding and (info, binding[-1])) or None
            continue
        last = whole[-1]
        revised = apply_fix(rule.fix, info.para.text, last.seg.start, last.seg.end, last.seg, ctx)
        return [_finding(rule, ctx, info, last.seg.start, last.seg.end, revised)]
    if introducing:  # only list-introducing obligations: the clarification goes before the sentence
        info, s = introducing
        text = info.para.text
        revised = text[:s.seg.start] + ctx.fill(rule.fix.text) + " " + text[s.seg.start:]
        return [_finding(rule, ctx, info, s.seg.start, s.seg.end, revised)]
    return []
