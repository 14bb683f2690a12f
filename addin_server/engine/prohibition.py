"""The elements of a whole AI-training prohibition (the seed's four), the words that satisfy each,
and the completion of a prohibition that lacks some: pure text work, used by the AI checks
(engine/checks.py) and by the fix that turns a permission into a prohibition (engine/fixes.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..redline.diff import Edit, apply_edits
from .text import CONTINUES

if TYPE_CHECKING:  # pragma: no cover
    from .document import Context, ParaInfo
    from .text import Segment

_AI_MENTION = re.compile(r"\b(?:artificial\s+intelligence|machine[-\s]learning|AI|ML|generative|neural|LLMs?|large\s+language\s+models?)\b")

# The seed's elements of an AI-training prohibition, with the words that satisfy each.
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
}
# Not an element: "automated systems". The seed names them, but "developing any ... automated system"
# reads on the website or the app the client is buying, and a ban that reaches what the client paid
# for is read against its drafter (docs/playbook.md, "What changed in the playbook's language").
_PLAIN = {
    "third parties": "third parties acting for the other side",
    "ingestion": "ingesting or processing the material",
    "fine-tuning": "fine-tuning",
    "developing": "developing new models",
    "generative AI": "generative AI",
    "machine learning models": "machine learning models",
}
_MODAL_NOT = re.compile(r"\b(shall|will|must|may)\s+not\b(?!\s+(?:be|have))", re.IGNORECASE)
_TRAIN_VERB = re.compile(r"\b(?:re-?)?(?:train(?:ing)?|fine[-\s]?tun(?:e|ing)|develop(?:ing)?|improv(?:e|ing)|build(?:ing)?|teach(?:ing)?)\b", re.IGNORECASE)
_SYSTEM_NOUN = re.compile(
    r"\b(?:(?:artificial\s+intelligence|machine[-\s]learning|AI|ML|generative\s+(?:AI|artificial\s+intelligence)|large\s+language|neural)"
    r"(?:\s+(?:models?|systems?|tools?|technolog(?:y|ies)|networks?|platforms?|applications?))?|models?|algorithms?|LLMs?)\b",
    re.IGNORECASE)


def missing_elements(text: str) -> list[str]:
    return [name for name, rx in ELEMENTS.items() if not rx.search(text)]


# "training" that names data, not the act: "no ... training dataset is a derivative work" restricts nothing
_TRAINING_DATA = re.compile(r"\btraining\s+(?:data(?:\s*sets?)?|datasets?|corpus|corpora|materials?)\b", re.IGNORECASE)


def _trains(text: str) -> bool:
    """The sentence is about making or improving a model (not only about its data)."""
    return bool(_TRAIN_VERB.search(_TRAINING_DATA.sub("", text)))


# "This restriction also applies to ...", "This includes ...": a sentence that carries on the one before


def _with_continuation(info: "ParaInfo", k: int) -> str:
    """The prohibition of sentence ``k`` with the sentences after it that carry it on: the words a
    completion adds after the sentence (and a drafter's own "This includes ...") belong to it."""
    parts = [info.sentences[k].seg.text]
    for nxt in info.sentences[k + 1:]:
        if not CONTINUES.match(nxt.seg.text):
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
    tail: dict[str, str] = {}  # what cannot go into the clause's own words, said once after it
    # a label before the clause ("Training Prohibition: You are strictly prohibited from ...") is no
    # place for words: they go into the clause after it
    label = _LABEL.match(seg.text)
    skip = label.end() if label else 0
    sentence = " " * skip + seg.text[skip:]
    if "third parties" in gaps:
        m = _MODAL_NOT.search(sentence)
        if m:
            modal = m.group(1).lower()
            # "shall not, from time to time, disclose": the drafter's comma closes the insertion
            comma = "" if sentence[m.end():].startswith(",") else ","
            inserts.append((seg.start + m.end(), f", and {modal} not permit any third party to{comma}"))
        else:
            tail["third"] = f"also applies to any third party acting for {ctx.values['client']} or with {ctx.values['client_poss']} permission"
    if "ingestion" in gaps:
        # the verb "use", not the noun ("for their use", "such use")
        use = re.search(r"(?<!their )(?<!its )(?<!his )(?<!her )(?<!such )(?<!the )(?<!any )(?<!this )\buse\b(?=\s)",
                        sentence[_MODAL_NOT.search(sentence).end() if _MODAL_NOT.search(sentence) else 0:])
        if use:
            offset = _MODAL_NOT.search(sentence).end() if _MODAL_NOT.search(sentence) else 0
            inserts.append((seg.start + offset + use.end(), ", ingest or process"))
        else:
            tail["ingestion"] = "ingesting or processing the material in"
    verbs = [g for g in ("fine-tuning", "developing") if g in gaps]
    if verbs:
        # a verb, not a noun's modifier ("AI training models", "training data")
        found = [m for m in _TRAIN_VERB.finditer(sentence) if not _MODIFIES.match(sentence, m.end())]
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
            tail["verbs"] = _join(["fine-tuning" if v == "fine-tuning" else "developing" for v in verbs])
    systems = [g for g in ("machine learning models", "generative AI") if g in gaps]
    if systems:
        # not inside a name or a compound: "AI Features", "AI-manipulated"
        # (nor a modifier of the act: "AI training prohibited", "AI-related generation")
        nouns = [n for n in _SYSTEM_NOUN.finditer(sentence)
                 if not re.match(r"-\w|\s+[A-Z][a-z]|\s+(?:training|learning|generation|generated|related|based|powered|purposes?)\b",
                                 sentence[n.end():], re.IGNORECASE)]
        names = {"machine learning models": "machine learning model", "generative AI": "generative AI"}
        words = [names[g] for g in systems]
        if nouns:
            inserts.append((seg.start + nouns[-1].end(), ", including any " + _join(words)))
        else:
            tail["systems"] = _join(words)
    edits = [Edit(pos, pos, words) for pos, words in inserts]
    if tail:
        closing = "" if text[seg.end - 1] in ".;:!?" else "."
        edits.append(Edit(seg.end, seg.end, closing + " " + _tail_sentence(tail)))
    # Insertions only, each exactly where its words belong: no diff can make them more precise.
    edits.sort(key=lambda e: e.start)
    return apply_edits(text, edits), edits


def _tail_sentence(tail: dict[str, str]) -> str:
    """One sentence after the clause for what its own words could not take: "This restriction also
    applies to any third party acting for you or with your permission, and includes fine-tuning or
    developing any machine learning model or generative AI." """
    acts = [tail[k] for k in ("verbs", "ingestion") if k in tail]
    target = f"any {tail['systems']}" if "systems" in tail else "any such system"
    parts = [tail["third"]] if "third" in tail else []
    if acts:
        parts.append("includes " + ", and ".join(acts) + " " + target)
    elif "systems" in tail:
        parts.append(f"covers {target}")
    return "This restriction " + ", and ".join(parts) + "."


_LABEL = re.compile(r"^\W{0,3}(?:[\w'’-]+\s+){0,4}?[\w'’-]+:\s+")
_MODIFIES = re.compile(r"\s+(?:models?|data|datasets?|sets?|corpus|purposes?|methodolog\w*|materials?|pipelines?)\b", re.IGNORECASE)


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]
