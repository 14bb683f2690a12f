"""The AI-use frame: does a clause let someone train AI on the work, forbid it, or neither?

A clause is read into roles whose words come from ``playbook/lexicon/ai.toml``: an **act** (train,
develop, scrape, build a dataset, clone a voice, or a use whose purpose is AI) paired with an **AI
system** that is its object or purpose, never its instrument ("prepare drafts using AI tools" is the
author's own use, "improve the user experience" improves no model). Its **stance** then comes from
modality, computed once in :mod:`.polarity`:

- *prohibited*: the act lies inside a negation, a prohibition or a consent condition ("shall not",
  "is prohibited", "reserves all rights of text and data mining", "without the prior written
  consent"), or is an item of a list of prohibited conduct given without its lead-in ("use the
  Content to train any model;", "using outputs to develop machine-learning models");
- *permitted*: said plainly with a word of permission or grant ("may", "the right to", "grants",
  "opt out"), as a practice ("we use your posts to train our models", "including training
  generative AI models"), or as a purpose ("To train our machine-learning models;"), conditions and
  all ("may use it to train ... but only if it is de-identified" is a permission);
- neither: a pointer, a definition of something else, a look-alike (staff training, models
  described by what they were trained on), or an act with no stance at all (a heading).

Clause types are predicates over the frame (``playbook/clauses/<id>.toml``: ``frame = "ai-use"`` with a
``stance``); :func:`paragraph_stances` resolves a paragraph: where one sentence permits training
and another forbids part of it ("We may use your chats to train our models. We do not use
children's data for training."), the paragraph permits it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..playbook.ai_lexicon import AILexicon, default_ai_lexicon
from . import lists
from .polarity import cues, polarity
from .text import CONTINUES, MARKUP, TAGS, URL, blank

Stance = Literal["prohibited", "permitted"]

# how far an AI system may stand from the act it completes (characters)
OBJECT_REACH = 70
PURPOSE_REACH = 90
# how far the purpose of a use may stand from the verb: its object can be a long list ("use the Stock
# Works or any title, caption information, keywords or other metadata associated with them for ...")
USE_PURPOSE_REACH = 160
# an AI word that describes the output or the tool, not the AI: "AI-generated images", "AI-assisted"
_OUTPUT_MODIFIER = re.compile(r"[\s-]*(?:generated|assisted|created|produced|written|made|enhanced|edited)\b", re.I)
# a scope break inside a sentence that pairing never crosses
_HARD_BREAK = re.compile(r"[;:]|\.(?=[\s*_)\]\"”']*\s)")
# the opening of a list item or heading: numbering, bullets, markdown emphasis, a table's pipe
_OPENING = re.compile(r"^(?:[\s|*_#>\-–—•·]+|\\?\d+(?:\.\d+)*\\?[.)]?\s+|\(?[a-zA-Z]{1,4}[.)]\s+|\(?[ivxIVX]{1,6}[.)]\s+)+")
_EXCEPT_LEAD = re.compile(r"^(?:except|unless|save|other\s+than|subject\s+to|notwithstanding)\b[^,]{0,160},\s*", re.I)
_FIRST_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# verbs that open an item of a list of prohibited conduct ("You may not: ... use the Content to ...")
_CONDUCT_VERBS = lists.CONDUCT_VERBS
# verbs that may follow an item's first verb ("Train and improve ...", "copy or distribute ...")
_ITEM_VERBS = _CONDUCT_VERBS | frozenset("improve enhance refine evaluate test update fine-tune retrain".split())
# an item of a list of forbidden conduct that opens with the conduct as a noun ("Conduct that ...",
# "Acts of ...", "Any activity which ..."), as Japanese- and EU-style terms list their prohibited matters
_CONDUCT_NOUN = re.compile(r"(?:any\s+)?(?:conduct|acts?|actions?|activit(?:y|ies)|behaviou?rs?)\s+(?:that|which|of|to)\b",
                           re.IGNORECASE)
_NOT_GERUNDS = frozenset("including during notwithstanding according regarding concerning following "
                         "pending excluding containing nothing something anything everything thing "
                         "string spring morning evening meaning being bring king ring sing wing "
                         "notwithstanding having".split())
# words that open a purpose item ("To train our models;", "For improving our AI features")
_PURPOSE_OPENING = re.compile(r"^(?:to\s+[a-z]|in\s+order\s+to\b|for\s+(?:the\s+)?(?:purposes?\b|[a-z]+ing\b))", re.I)
# between a purpose word and the AI system it names: a few words of determiner and adjective at most
_PURPOSE_GAP = re.compile(r"^[\s:]*(?:(?!\w+ing\b)[\w'’-]+,?\s+){0,3}$")
# a noun "use", not a verb: "your use of", "the use of", "any use"
_NOUN_USE = re.compile(r"\b(?:the|your|its|their|our|his|her|any|such|this|that|no|of|and|permitted|commercial|fair)\s+$", re.I)
# before the act: a finite verb means the act is not the sentence's subject
_FINITE = re.compile(r"\b(?:shall|will|may|must|can|could|should|would|is|are|was|were|has|have|had|do|does|did|agrees?|grants?|uses?|used)\b", re.I)
# a capitalised word right before an AI word: a product's name ("for Dune AI"), not AI as a purpose
_PROPER_BEFORE = re.compile(r"(?<![.!?]\s)(?<!^)\b(?-i:[A-Z][a-z]+)(?<!ed)(?<!ive)(?<!al)\s+$")
# a choice given to the other side before a denial: the use happens unless they choose otherwise
_CHOICE = re.compile(r"\bopt(?:s|ed|ing)?[\s-]+out\b[^.;]{0,120}\b(?:request|ask|choose|elect|tell)\w*\b|\b(?:request|ask|choose|elect)\w*\s+(?:us\s+)?(?:that|to)\b(?=[^.;]{0,80}\bnot\b)", re.I)
# "If you do not want us to use your Content to train our models, you can opt out ...": the use the
# opening supposes unwanted happens by default, and the main clause offers the way out
_UNWANTED_THEN_OPT_OUT = re.compile(
    r"^(?:\W*(?:[\w'’-]+\s+){0,3}[\w'’-]+[.:])?\W*(?:if|where|when|should)\s+[^,;.]{0,40}?\b(?:(?:do(?:es)?|did)\s+not|don[’']t|doesn[’']t|would\s+rather|refuses?|objects?|prefers?\s+not)\b"
    r"[^;.]*?,\s*[^;.]{0,100}?\b(?:opt(?:s|ing)?[\s-]+out|turn(?:s|ing)?\s+off|disabl(?:e|es|ing)|withdraw)\b", re.IGNORECASE)
# ids of negators whose scope is denial (not a restriction's exception or a heading's colon)
_NEGATING = ("negation", "conditional")


@dataclass(frozen=True, slots=True)
class Act:
    """One act of AI use in a clause: what is done, the AI system it concerns, and its stance."""

    kind: str          # train | develop | collect | dataset | use | clone | tdm | process
    start: int         # the act's words (offsets into the sentence)
    end: int
    system: tuple[int, int] | None   # the AI system's words; None when it stands in another sentence
    stance: Stance | None
    why: str           # the cue behind the stance: a lexicon id, "conduct-list", "practice", ...


@dataclass(frozen=True, slots=True)
class Frame:
    """What one sentence says about AI use: its acts, and the sentence's stance (permission first:
    one permitted act makes the sentence a permission, whatever else it forbids)."""

    acts: tuple[Act, ...]
    lookalike: str | None = None   # the look-alike that made an act not count, for explanations

    @property
    def stance(self) -> Stance | None:
        stances = {a.stance for a in self.acts}
        if "permitted" in stances:
            return "permitted"
        if "prohibited" in stances:
            return "prohibited"
        return None


@dataclass(frozen=True, slots=True)
class _Hit:
    role: str
    start: int
    end: int
    text: str


def _hits(text: str, lex: AILexicon) -> dict[str, list[_Hit]]:
    return {role: [_Hit(role, m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]
            for role, rx in lex.role_regex.items()}


def _inside(pos: int, spans) -> bool:
    return any(a <= pos < b for a, b in spans)


def _between_clear(text: str, a: int, b: int) -> bool:
    return a <= b and not _HARD_BREAK.search(text, a, b)


def _instrument_between(hits: dict[str, list[_Hit]], a: int, b: int) -> bool:
    return any(a <= h.start < b for h in hits["instrument"])


def _systems(text: str, hits: dict[str, list[_Hit]], strong_only: bool = False) -> list[_Hit]:
    """AI systems that can be an act's object: not an output modifier ("AI-generated")."""
    out = [h for h in hits["system"] if not _OUTPUT_MODIFIER.match(text, h.end)]
    if not strong_only:
        out += hits["model"]
    return out


# an AI system that opens a new clause after a comma is its subject, not the act's object: "whether
# you are building a website, AI can be part of your toolkit"
_SUBJECT_OF_CLAUSE = re.compile(r"\s+(?:\w+\s+)?(?:can|may|might|will|shall|must|should|could|would|is|are|was|were|has|have)\b", re.I)


_DEFINED_TERM = re.compile(r"[“\"](?-i:[A-Z])[^”\"]{0,40}[”\"]")
# a thing put to use as a training set: "(use the audio) as training data for models", "in any dataset"
_USED_AS = re.compile(r"\b(?:as|as\s+part\s+of|into|in)\s+(?:an?\s+|any\s+|the\s+|such\s+)?$", re.I)


def _object_after(text: str, hits, act: _Hit, systems: list[_Hit], reach: int) -> _Hit | None:
    for s in systems:
        if act.end <= s.start <= act.end + reach and _between_clear(text, act.end, s.start) \
                and not _instrument_between(hits, act.end, s.start) \
                and not ("," in text[act.end:s.start] and _SUBJECT_OF_CLAUSE.match(text, s.end)):
            return s
    return None


def _acts(text: str, hits: dict[str, list[_Hit]], lex: AILexicon, context_system: bool) -> tuple[list[tuple[str, _Hit, _Hit | None]], str | None]:
    """(kind, act words, system words) of every act in the sentence, and the look-alike that
    removed one (if any)."""
    looks = lex.lookalike_spans(text)
    look_spans = [(a, b) for _, a, b in looks]
    removed = None
    system_spans = [(h.start, h.end) for h in hits["system"]]
    dataset_spans = [(h.start, h.end) for h in hits["dataset"]]
    strong = _systems(text, hits, strong_only=True)
    anyai = _systems(text, hits)
    shouting = text.isupper()  # "THE CLIENT IS NOT ALLOWED TO FEED THE ART TO A.I. PROGRAMS"
    data_acts = _data_use_acts(text) if hits["train"] or hits["develop"] else frozenset()
    out: list[tuple[str, _Hit, _Hit | None]] = []

    # a defined term's words are its name, not an act: “Prohibited Training”, "AI Training Data"
    named = [(m.start(), m.end()) for m in _DEFINED_TERM.finditer(text)]

    def vetoed(h: _Hit) -> bool:
        nonlocal removed
        if _inside(h.start, named):
            return True
        for lid, a, b in looks:
            if a <= h.start < b:
                removed = removed or lid
                return True
        return False

    # text and data mining, "ai training": the act and its system in one phrase
    for h in hits["system"]:
        if re.match(r"(?i)text\s*(?:and|&)\s*data\s*mining|TDM\b|ai[\s-]+training\b|2019/790|44b|section\s+44b", h.text) and not vetoed(h):
            out.append(("tdm", h, h))
    for h in hits["train"]:
        if _inside(h.start, dataset_spans) or _inside(h.start, system_spans) or vetoed(h):
            continue
        # a model near the act, or a strong AI system anywhere in the sentence or its paragraph
        near = next((s for s in anyai if abs(s.start - h.start) <= 2 * OBJECT_REACH
                     and _between_clear(text, min(s.end, h.end), max(s.start, h.start))), None)
        sys_ = near or (strong[0] if strong else None)
        # "You agree not to use the dataset for training": a dataset is trained on by models; nor are
        # people trained on data ("your data ... used for training purposes")
        if sys_ is not None or context_system or hits["dataset"] or h.start in data_acts:
            out.append(("train", h, sys_))
    # "improve their models" is AI where the clause or its paragraph names AI outright
    objects = anyai if (strong or context_system) else strong
    for h in hits["develop"]:
        if _inside(h.start, system_spans) or vetoed(h) or (
                h.text[0].isupper() and h.start > _opening(text) and not shouting
                and not any(0 <= h.start - x.end <= 2 for x in strong)):
            continue  # "Inputs", "Development" mid-sentence: a defined thing, not an act (unless all is in
            # capitals, or named by its AI: "not for any AI Development Activity")
        obj = _object_after(text, hits, h, objects, OBJECT_REACH)
        if obj is None and h.start in data_acts:
            # "conversations may be used to improve our models": data improves a model, not a business one
            obj = _object_after(text, hits, h, anyai, OBJECT_REACH)
        if obj is not None and _MADE_BY.match(text, h.end):
            obj = None  # "prose created by generative AI": the AI is the maker, not what is developed
        if obj is None:
            # "AI development", "machine-learning improvement": the system right before the act
            obj = next((s for s in strong if 0 <= h.start - s.end <= 2 and not _OUTPUT_MODIFIER.match(text, s.end)), None)
        if obj is not None:
            out.append(("develop", h, obj))
    for h in hits["collect"]:
        if _inside(h.start, system_spans) or vetoed(h):
            continue
        obj = next((s for s in strong if h.end <= s.start <= h.end + PURPOSE_REACH
                    and _between_clear(text, h.end, s.start) and not _instrument_between(hits, h.end, s.start)
                    and any(h.end <= p.start < s.start for p in hits["purpose"])), None)
        if obj is None:
            # "AI scraping", "AI systems and scrapers"
            obj = next((s for s in strong if 0 <= h.start - s.end <= 12 and _JOINED.fullmatch(text, s.end, h.start)), None)
        if obj is not None:
            out.append(("collect", h, obj))
    for h in hits["dataset"]:
        if vetoed(h):
            continue
        # ("include" puts something in a dataset, "include the Images in any dataset"; "This includes
        # specifying the models and datasets used" only lists them)
        built = any(b.end <= h.start and h.start - b.end <= 60 and _between_clear(text, b.end, h.start)
                    and (not b.text.lower().startswith("includ") or _INTO.search(text, b.end, h.start))
                    for b in hits["build"]) or bool(_USED_AS.search(text, max(0, h.start - 24), h.start))
        if not built:
            continue
        # "training data", "training set": a model's; "training materials" are usually a course's
        training_set = bool(re.match(r"(?i)training[\s-]+(?:data|sets?|corpus|corpora)\b", h.text))
        if training_set or strong or context_system:
            out.append(("dataset", h, anyai[0] if anyai else None))
    for h in hits["practice"] + hits["build"]:
        if not h.text.lower().startswith("us") or vetoed(h):
            continue  # "use", "used", "using": a use whose purpose is an AI system ("for machine learning")
        for p in hits["purpose"]:
            if not (h.end <= p.start <= h.end + USE_PURPOSE_REACH and _between_clear(text, h.end, p.start)
                    and not _FINITE.search(text, h.end, p.start) and not _NOT.search(text, h.end, p.start)
                    and not any(h.end <= x.start < p.start for x in strong)):
                # (a purpose after "not" is another clause's: "for Non-Commercial Use only, and not for any
                # AI ..."; and what is used may be the AI itself: "uses a suite of AI tools to generate ...")
                continue
            # "may be used for: speech recognition, language models": a list after the purpose
            s = next((s for s in strong if p.end <= s.start <= p.end + 40
                      and _PURPOSE_GAP.match(text[p.end:s.start])
                      and not re.search(r"[;.]", text[p.end:s.start])
                      and not _PROPER_BEFORE.search(text, max(0, s.start - 30), s.start)), None)
            if s is not None and not _instrument_between(hits, h.end, s.start) \
                    and not _SERVICE_PURPOSE.search(text, p.end, s.start):
                out.append(("use", h, s))
                break
    for h in hits["practice"] + hits["build"]:
        # "You can not use AI on it", "do not use AI tools on my art": AI run on the work itself
        if not h.text.lower().startswith("us") or vetoed(h):
            continue
        s = next((s for s in strong if 0 < s.start - h.end <= 8 and _USE_GAP.fullmatch(text, h.end, s.start)), None)
        if s is not None and _ON_THE_WORK.match(text, s.end):
            out.append(("process", h, s))
            continue
        # "using any form of machine learning, artificial intelligence ... to analyze, process, or
        # extract information from this software", "The use of AI ... to rewrite ... code based on the Software"
        s = next((s for s in strong if 0 < s.start - h.end <= 30 and _USE_AI_GAP.fullmatch(text, h.end, s.start)), None)
        if s is not None:
            m = _TO_PROCESS.search(text, s.end, s.end + 140)
            if m is not None and _between_clear(text, s.end, m.start()):
                out.append(("process", h, s))
    # the work run through AI: "DO NOT RUN MY ART THROUGH AI", "never put my drawings into an AI generator"
    for s in strong:
        m = _RUN_THROUGH.search(text, max(0, s.start - 60), s.start)
        if m is not None and not any(a[1].start == m.start("verb") for a in out):
            out.append(("process", _Hit("practice", m.start("verb"), m.end("verb"), m.group("verb")), s))
    # the use written as a noun the system qualifies: "no licence is granted for AI or machine-learning
    # use", "any machine learning use of the Photographs" (not "disclose any AI use": the AI a party uses)
    for s in strong:
        m = _SYSTEM_USE.match(text, s.end)
        if m is None or vetoed(s):
            continue
        before = text[max(0, s.start - 40):s.start]
        if _FOR_BEFORE.search(before) or (_ANY_BEFORE.search(before) and m.group("of")):
            out.append(("use", _Hit("practice", m.start("use"), m.end("use"), m.group("use")), s))
    for h in hits["clone"]:
        if _inside(h.start, system_spans) or vetoed(h):
            continue
        obj = re.match(r"[^.;]{0,40}?\b(?:voices?|likeness(?:es)?|performances?|persona|face|singing|speech)\b", text[h.end:], re.I)
        after = _object_after(text, hits, h, strong, OBJECT_REACH)
        if obj or after:
            out.append(("clone", h, after))
    # one act per place: keep the first reading of each act's words
    seen: set[int] = set()
    unique = []
    for kind, h, s in out:
        if h.start not in seen:
            seen.add(h.start)
            unique.append((kind, h, s))
    unique.sort(key=lambda x: x[1].start)
    return unique, removed


# what may stand between an AI word and the act it names: nothing, or a joining word ("AI bots and scrapers")
_JOINED = re.compile(r"[\s-]*|\s*(?:,|and|or|&|/)\s*|\s+(?:\w+\s+)?(?:and|or)\s+", re.IGNORECASE)
# after a verb of making: its maker or tool follows ("created by generative AI", "generated with AI tools")
_MADE_BY = re.compile(r"\s+(?:\w+ly\s+)?(?:by|with|using|via|through)\b", re.IGNORECASE)
_NOT = re.compile(r"\bnot\b", re.IGNORECASE)
_INTO = re.compile(r"\b(?:in|into|as\s+part\s+of)\b", re.IGNORECASE)
# data put to a use that trains or improves: only a model learns from data ("your data to be used for
# training purposes", "conversations may be used to improve our models"), the use after the data or
# before it ("does not store any user data for training purposes")
_DATA = r"(?:data|content|conversations?|chats?|prompts?|inputs?|outputs?|messages|recordings?|uploads?|files|submissions|snippets|requests?|queries)"
_DATA_USED_FOR = re.compile(
    rf"\b{_DATA}\b[^.;]{{0,100}}?\b(?:used|use|using|stored?|storing|processed|retained|kept|collected)\s+"
    r"(?:\w+\s+){0,3}?(?:for|to)\s+(?:\w+\s+){0,2}?(?P<act>train\w*|(?:improv|develop|fine-tun|enhanc)\w*(?=\s+(?:our|its|their|the|"
    r"future|your)\s+(?:[\w-]+\s+)?(?:models?|algorithms?)\b))", re.IGNORECASE)
_USES_DATA_FOR = re.compile(
    rf"\b(?:use|uses|store|stores|process|processes|retain|retains|keep|keeps|collect|collects)\s+(?:\w+\s+){{0,3}}?{_DATA}\s+"
    r"(?:\w+\s+){0,2}?for\s+(?:\w+\s+){0,2}?(?P<act>train\w*)", re.IGNORECASE)
# "Never train on user data", "we do not train on your prompts": training on data, said outright
_TRAINS_ON_DATA = re.compile(rf"\b(?P<act>train(?:s|ed|ing)?)\s+(?:\w+\s+){{0,2}}?on\s+(?:\w+\s+){{0,2}}?{_DATA}\b", re.IGNORECASE)
_DATA_ACT_WORDS = ("train", "improv", "develop", "fine-tun", "enhanc")


def _data_use_acts(text: str) -> frozenset[int]:
    """Where ``text`` puts data to a training use: the starts of those acts' words (a substring test in
    C first: every one needs a training or improving word)."""
    low = text.lower()
    if not any(w in low for w in _DATA_ACT_WORDS):
        return frozenset()
    return frozenset(m.start("act") for rx in (_DATA_USED_FOR, _USES_DATA_FOR, _TRAINS_ON_DATA) for m in rx.finditer(text))


# "the providers we use to provide AI features", "data used to power our AI assistant": the AI is
# what the use delivers or runs, not what is trained (a training purpose has its own verb)
_SERVICE_PURPOSE = re.compile(r"\b(?:provide|offer|deliver|power|operate|run|support|enable|access|host|call|query|"
                              r"interact\s+with)\b", re.IGNORECASE)
# a use named by its AI purpose ("machine-learning use", "AI use of the Work"), and the words before it
_SYSTEM_USE = re.compile(r"[\s-]+(?P<use>use|uses|usage)\b(?P<of>\s+of\b)?", re.IGNORECASE)
_FOR_BEFORE = re.compile(r"\bfor\s+(?:any\s+|the\s+|such\s+)?(?:[\w.-]+\s+(?:or|and)\s+)?$", re.IGNORECASE)
_ANY_BEFORE = re.compile(r"\b(?:any|no|all)\s+(?:[\w.-]+\s+(?:or|and)\s+)?$", re.IGNORECASE)
# between "use" and the AI it names: nothing but an article ("use any AI on it")
_USE_GAP = re.compile(r"(?:\s+(?:any|an?|the))?\s+", re.IGNORECASE)
# "use (of) (any form of) AI ...", and what it is used to do to the work
_USE_AI_GAP = re.compile(r"(?:\s+of)?(?:\s+(?:any|an?|the|other))?(?:\s+(?:forms?|kinds?|types?)\s+of)?\s+", re.IGNORECASE)
_TO_PROCESS = re.compile(r"\bto\s+(?:\w+ly\s+)?(?:analy[sz]e|process|extract|rewrite|recreate|generate|summari[sz]e|scan|"
                         r"parse|ingest|reproduce|replicate|imitate|mimic)\b", re.IGNORECASE)
# after "use AI": the work it is run on ("on it", "on my art", "with the Deliverables")
_RUN_THROUGH = re.compile(r"\b(?P<verb>run|runs|running|put|puts|putting)\s+(?:my|our|your|the|this|these|any|their|his|her)\s+"
                          r"(?:[\w-]+\s+){0,2}?(?:through|into)\s+(?:an?\s+|any\s+)?\Z", re.IGNORECASE)
_ON_THE_WORK = re.compile(r"(?:[\s-]+(?:tools?|programs?|software|apps?|generators?))?\s+(?:on|upon|with)\s+"
                          r"(?:it|them|this|these|my|our|your|the|any|such)\b", re.IGNORECASE)


def _opening(text: str) -> int:
    m = _OPENING.match(text)
    return m.end() if m else 0


def _conduct_item(text: str, at_start: bool = True) -> bool:
    """An item of a list of forbidden conduct read without its lead-in: it opens with a bare verb
    ("use the Content to train ...") or a gerund ("using outputs to develop ..."), possibly after an
    exception ("Except as authorized by X, use ...")."""
    rest = text[_opening(text):]
    m = _EXCEPT_LEAD.match(rest)
    if m:
        rest = rest[m.end():]
    if at_start and _CONDUCT_NOUN.match(rest):
        return True
    w = _FIRST_WORD.match(rest)
    if not w:
        return False
    word = w.group(0)
    low = word.lower()
    if word[0].isupper() and rest[len(word):len(word) + 1] == " " and low not in _CONDUCT_VERBS \
            and not low.endswith("ing"):
        return False
    if low in _CONDUCT_VERBS:
        # "Use of the Work for training is prohibited": a noun, not an imperative ("Train and improve
        # our models" joins two verbs: an imperative still)
        m = re.match(r"\w+\s+(of|by|and|or)\s+([\w-]+)", rest, re.I)
        return m is None or (m.group(1).lower() in ("and", "or") and m.group(2).lower() in _ITEM_VERBS) \
            or low in ("engage", "attempt")
    if low == "including" and re.match(r"\w+\s+(?:the|any|such|our|this|these|its|their)\s", rest, re.I):
        return at_start  # "Including the Materials in any dataset ..." (not "Including, without limitation, ...")
    return at_start and low.endswith("ing") and low not in _NOT_GERUNDS and len(low) >= 5


# An item with no lead-in that is the speaker's own purpose, not the reader's forbidden conduct: it
# names an activity ("scanning and processing of the uploaded content ... for machine learning
# training"), or it is done to the reader's things ("developing AI models that use your content"),
# where a list of the reader's forbidden conduct protects the speaker's ("using our content to ...").
_NOMINAL_GERUND = re.compile(r"^[a-z]+ing(?:\s*(?:,|and|or)\s*[a-z]+ing)*\s+of\b", re.I)
# (the reader's things: "your content", "user data"; or the speaker's own AI: "our AI models", which a
# list of forbidden conduct, protecting the speaker's content, never bans)
_READERS = re.compile(r"\byour\b|\busers?['’]?\s+(?:data|content|inputs?|information|prompts?)\b"
                      r"|\bour\s+(?:[\w-]+\s+){0,2}?(?:models?|AI|systems?|algorithms?)\b", re.I)
_SPEAKERS = re.compile(r"\b(?:my|me|mine)\b", re.I)  # an artist's "my art": the reader's conduct


def _speakers_item(text: str) -> bool:
    rest = text[_opening(text):]
    if _NOMINAL_GERUND.match(rest):
        return True
    return bool(_READERS.search(rest)) and not _SPEAKERS.search(rest)


_CARVE = re.compile(r"\b(?:excluding|except(?:\s+for)?|other\s+than|but\s+not(?!\s+(?:be\s+)?limited\b)|and\s+not\s+(?=for\b|to\b|as\b)|save\s+for|not\s+including|with\s+the\s+exception\s+of)\b", re.I)
_INCLUDING = re.compile(r"\bincluding\b", re.I)


def _carve_out(text: str, pos: int) -> str:
    """An act named as what a grant or a restriction leaves out: "for all purposes, excluding ...
    machine learning" (carved out of a grant), or "shall not use it for purposes other than the
    Project, including ... machine learning" (an example of the forbidden other purposes)."""
    head = text[:pos]
    cut = [m for m in _CARVE.finditer(head) if not re.search(r"[;.]\s", head[m.end():])]
    if not cut:
        return ""
    last = cut[-1]
    found = cues(text)
    denied = [c for c in found if c.kind in ("negation", "prohibition") and c.start < last.start()
              and c.closed_by(last.start()) == "restriction"]
    if denied:
        return "restriction-example" if _INCLUDING.search(head, last.end()) else ""
    if any(c.covers(pos) for c in found):
        return ""
    return "carve-out"


def _exceptions(text: str) -> list[tuple[int, int]]:
    """Stretches that state an exception or condition ("unless such use is expressly permitted by
    law", "except as otherwise authorized", "Notwithstanding any other permissions granted under this
    License,"): a word of permission inside grants nothing."""
    out = []
    for m in re.finditer(r"\b(?:except|unless|save\s+as|other\s+than|subject\s+to|notwithstanding|to\s+the\s+(?:fullest\s+|maximum\s+)?extent|as\s+(?:otherwise\s+)?(?:expressly\s+)?permitted)\b", text, re.I):
        end = min((i for i in (text.find(",", m.end()), text.find(";", m.end()), text.find(".", m.end())) if i >= 0),
                  default=len(text))
        out.append((m.start(), end))
    return out


@lru_cache(maxsize=256)
def _lead_hits(lead_in: str, lex: AILexicon) -> dict[str, list[_Hit]]:
    """The lead-in's words, read once for all its items."""
    return _hits(lead_in, lex)


# "X expressly reserves the right to use its content for commercial text and data mining (§ 44b UrhG)":
# the reserver's own content (not "reserves the right to use your content", a permission to itself)
_OWN_TDM_RESERVATION = re.compile(
    # (or its rights under the law that allows the reservation: "reserves, to the extent permitted by
    # applicable law, its rights under Article 4(3) of Directive (EU) 2019/790")
    r"\breserv(?:es|e|ed)\b[^.;]{0,80}?\brights?\s+(?:under|pursuant\s+to|in\s+accordance\s+with)\s+[^.;]{0,80}?(?:2019/790|44b\b)|"
    r"\breserv(?:es|e|ed)\s+(?:expressly\s+|explicitly\s+)?(?:the\s+|all\s+|its\s+|their\s+|any\s+)?rights?\s+"
    r"(?:to\s+(?:use|exploit)\s+(?:its|our|his|her|their|my)\s+(?:own\s+)?(?:[\w-]+\s+){1,3}?)?(?:for|of|to)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:text\s+and\s+data\s+mining|text\s*&\s*data\s*mining|TDM|data\s+mining)\b", re.IGNORECASE)


def _stance(text: str, act: _Hit, hits, lead_in: str | None, at_start: bool, lex: AILexicon,
            exceptions: list[tuple[int, int]]) -> tuple[Stance | None, str]:
    pos = act.start
    own = _OWN_TDM_RESERVATION.search(text) if "eserv" in text else None
    if own and own.start() <= pos < own.end():
        # a rights-holder keeping text and data mining of its own content to itself: an opt-out
        return "prohibited", "tdm-reservation"
    pol = polarity(text, pos, act.end, lead_in)
    if pol is not None and (_CHOICE.search(text, 0, max(0, pol.cue_start)) or (
            (m := _UNWANTED_THEN_OPT_OUT.match(text)) and pos < text.find(",", pol.cue_end) < m.end())):
        # "Opt out of AI training: request that your data not be used for training": the user may
        # stop a use that happens by default, so the clause permits it
        return "permitted", "opt-out"
    if pol is not None and (pol.kind in _NEGATING or (pol.kind == "restriction" and not pol.cue.startswith(("other-than",)))):
        return "prohibited", pol.cue
    if pol is None:
        carved = _carve_out(text, pos)
        if carved:
            return "prohibited", carved
        # the act as the subject, denied after it: "Training of models on the Work shall not occur"
        head = text[_opening(text):pos]
        if not _FINITE.search(head):
            for c in cues(text):
                # (the denial is the act's own verb: no other verb between them, as in "If our models
                # train on data, we do so only within scope, never resold")
                if c.start >= act.end and c.kind in ("negation", "prohibition") \
                        and not re.search(r"[;]|,\s*(?:and|but)\b", text[act.end:c.start]) \
                        and not _OTHER_VERB.search(text, act.end, c.start):
                    return "prohibited", c.id
    # a permission word that is the noun the act qualifies grants nothing: "AI training consent ...
    # laws vary by state", "training licence fees"
    # nor does a possibility: "the tools may have been trained on public data"
    permits = [h for h in hits["permit"] if not _inside(h.start, exceptions)
               and not (0 <= h.start - act.end <= 1 and _NOUN_PERMIT.fullmatch(h.text))
               and not _EPISTEMIC.match(text, h.end)]
    if lead_in is None and _conduct_item(text, at_start) and not any(h.start < pos for h in permits):
        if _speakers_item(text):
            return "permitted", "purpose"
        return "prohibited", "conduct-list"
    if permits:
        return "permitted", "permission"
    # (a use the sentence forbids practises nothing: "... and exclude this repository from AI-training use")
    practice = [h for h in hits["practice"] if not _inside(h.start, exceptions)
                and not (h.text.lower().startswith("us") and (_NOUN_USE.search(text, max(0, h.start - 20), h.start)
                                                             or text[h.end:h.end + 3].lower() == " of"))
                and not _negated_use(text, h, lead_in)]
    if practice:
        return "permitted", "practice"
    if _PURPOSE_OPENING.match(text[_opening(text):]):
        return "permitted", "purpose"
    if lead_in is not None:
        # "The Agency may:" and its item "(a) use the Work to train its models"
        lead_hits = _lead_hits(lead_in, lex)
        lead_exceptions = _exceptions(lead_in)
        if any(not _inside(h.start, lead_exceptions) for h in lead_hits["permit"]):
            return "permitted", "permission"
        # a lead-in that only introduces a list ("confidential information including:") does
        # nothing to its items: a practice needs its verb ("We use your recordings to:")
        # (nor does a use the lead-in forbids: "You are forbidden from using the Work for any AI
        # activity. This includes:")
        if any(not _LIST_INTRODUCER.fullmatch(h.text) and not _negated_use(lead_in, h, None)
               for h in lead_hits["practice"]):
            return "permitted", "practice"
    return None, ""


def _negated_use(text: str, h: _Hit, lead_in: str | None) -> bool:
    pol = polarity(text, h.start, h.end, lead_in)
    return pol is not None and pol.kind in _NEGATING


# a finite verb of another clause between an act and a denial after it
_OTHER_VERB = re.compile(r",[^,]*?\b(?:we|you|they|it|he|she|I)\s+(?:do|does|did|will|shall|may|can|must)\b", re.IGNORECASE)
_EPISTEMIC = re.compile(r"\s+(?:well\s+)?(?:have|had)\b", re.IGNORECASE)
_NOUN_PERMIT = re.compile(r"consents?|permissions?|licen[cs]es?|grants?", re.IGNORECASE)
_LIST_INTRODUCER = re.compile(r"includ\w*|such\s+as", re.IGNORECASE)


def read(text: str, *, context_system: bool = False, lead_in: str | None = None, at_start: bool = True,
         lexicon: AILexicon | None = None) -> Frame:
    """The AI-use frame of one sentence (or list item, with its ``lead_in``).

    ``context_system``: an AI system is named elsewhere in the paragraph or in the lead-in, so a
    training verb here ("Do not use this data to train ...") is about it. ``at_start``: the sentence
    opens its paragraph, so an opening bare verb marks an item of a conduct list."""
    return _read(text, context_system, lead_in, at_start, lexicon or default_ai_lexicon())


# a list item's number ("2.", "b)", "iv.")
_ITEM_NUMBER = r"(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]"
# a list item's number after a lead-in's colon ("including: 2. AI training") or opening the item ("5.
# AI/ML Training - Using ..."), not a sentence's end
# and an enumerator between a determiner and its noun ("for any (A) machine learning purposes; or
# (B) ..."), which stands between words that belong together (one that opens a clause, "You will not
# (1) use ..., (2) use ...", is where the list's items begin, and the negation reads through them)
_INLINE_MARKER = re.compile(rf"(?<=[:;])\s*{_ITEM_NUMBER}(?=\s)|^\s*{_ITEM_NUMBER}(?=\s)"
                            r"|(?:(?<=\bany\s)|(?<=\ball\s)|(?<=\bthe\s)|(?<=\bfor\s)|(?<=\bof\s)|(?<=\bsuch\s))"
                            r"\((?i:[a-z]|[ivx]{1,4}|\d{1,2})\)(?=\s)")


# a short label before a clause ("No AI:", "Training Prohibition:", a tag "[NO AI]"): a title, not
# part of the clause
# (or a dash after it, as Markdown lists write one: "**AI training** - train models with user data")
_INLINE_LABEL = re.compile(r"^\W{0,3}(?:\(?[a-z0-9]{1,3}[.)]\s+)?(?:[\w'’-]+\s+){0,4}?[\w'’-]+(?::|[*_]{0,2}\s+(?:-{1,2}|–|—))\s+(?=\S)"
                           r"|^\s*[\[【](?:[\w'’-]+\s+){0,4}?[\w'’-]+[\]】]\s*(?=\S)", re.IGNORECASE)


# a lead-in of a clause, not a title: it ends in the words its items complete ("You agree not to:",
# "The Client shall not:", "is prohibited from:")
_CLAUSE_LEAD = re.compile(r"\b(?:to|not|from|shall|will|may|must|cannot|can|agrees?|following|that)\s*:\s*$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _read(text: str, context_system: bool, lead_in: str | None, at_start: bool, lex: AILexicon) -> Frame:
    whole = _read_text(text, context_system, lead_in, at_start, lex)
    label = _INLINE_LABEL.match(text)
    if label and not whole.lookalike and not _CLAUSE_LEAD.search(text, 0, label.end()):
        # a label is the clause's title, and its negation does not cancel the clause's own ("NO AI
        # TRAINING: Client is prohibited from ..." is no double negation, nor a permission): the clause
        # after its label takes its own stance. A label that alone gives the clause its stance keeps it
        # ("Opt out of AI training: request that ...")
        body = _read_text(" " * label.end() + text[label.end():], context_system, lead_in, at_start, lex)
        stances = {a.stance for a in body.acts if a.stance}
        if stances and not body.lookalike:
            titled = {a.stance for a in _read_text(text[:label.end()], context_system, lead_in, at_start, lex).acts if a.stance}
            # ("Opt out of AI training: request that your data not be used ...": the title says training
            # is the default, and the request under it does not change that)
            if not titled or titled == stances:
                return body
    return whole


def _read_text(text: str, context_system: bool, lead_in: str | None, at_start: bool, lex: AILexicon) -> Frame:
    text = blank(_INLINE_MARKER, blank(MARKUP, blank(URL, blank(TAGS, text) if "<" in text else text)))
    if lead_in:
        lead_in = blank(MARKUP, lead_in)
    hits = _hits(text, lex)
    whole = lex.sentence_lookalike(text)  # a definition, a pointer to other terms: no stance at all
    if whole is not None:
        return Frame((), whole)
    found, removed = _acts(text, hits, lex, context_system)
    acts = []
    exceptions = _exceptions(text) if found else []
    for kind, h, s in found:
        stance, why = _stance(text, h, hits, lead_in, at_start, lex, exceptions)
        if kind == "process" and stance == "permitted":
            # leave to run AI on the work is not leave to train on it; a ban on any AI use is a ban
            stance, why = None, ""
        acts.append(Act(kind, h.start, h.end, (s.start, s.end) if s else None, stance, why))
    return Frame(tuple(acts), removed)


def names_system(text: str, lexicon: AILexicon | None = None) -> bool:
    """Whether ``text`` names an AI system outright (a strong system word, not a bare "model")."""
    lex = lexicon or default_ai_lexicon()
    return any(not _OUTPUT_MODIFIER.match(text, m.end()) for m in lex.role_regex["system"].finditer(text))


def may_hold_act(text: str, lexicon: AILexicon | None = None) -> bool:
    """The cheap, exact pre-filter: every act needs one of the lexicon's act words or an acronym."""
    lex = lexicon or default_ai_lexicon()
    return bool(lex.keyword_regex.search(text) or lex.acronym_regex.search(text))


def names_acronym(text: str, lexicon: AILexicon | None = None) -> bool:
    """Whether ``text`` holds one of the lexicon's case-sensitive acronyms ("AI", "LLM", "TDM")."""
    return bool((lexicon or default_ai_lexicon()).acronym_regex.search(text))


def names_ai_words(text: str, lexicon: AILexicon | None = None) -> bool:
    """Whether ``text`` has a word one of which every act needs in its paragraph or lead-in (an AI
    system, a model word, cloning, a training set): exact, and cheaper than reading the frame."""
    lex = lexicon or default_ai_lexicon()
    return bool(lex.ai_word_regex.search(text))


def asks_about_act(text: str, context_system: bool | None = False, lead_in: str | None = None,
                   lexicon: AILexicon | None = None) -> bool:
    """Whether ``text`` is a question about an act ("Can I use the commission to train an image
    generator?"): it takes no stance itself; the answer after it may (:func:`answer_stance`).
    ``context_system`` None: whether the question itself names an AI system (tested only for a question)."""
    if not _QUESTION.search(text) or _HEADING.match(text):
        return False
    if context_system is None:
        context_system = names_system(text, lexicon)
    return bool(read(text, context_system=context_system, lead_in=lead_in, lexicon=lexicon).acts)


def answer_stance(text: str) -> Stance | None:
    """The stance a short answer gives the question before it: "No." forbids what was asked, "Yes!"
    permits it; None for anything else."""
    answer = _ANSWER.match(text)
    if answer is None:
        return None
    return "prohibited" if answer.group(1).lower() == "no" else "permitted"


_LABEL_ONLY = re.compile(r"\s*\(?(?:[0-9]{1,3}(?:\.[0-9]{1,3})*|[a-z]|[ivx]{1,5})[.)]\s*", re.IGNORECASE)


def paragraph_stances(sentences: list[str], lead_in: str | None = None,
                      lexicon: AILexicon | None = None) -> list[Stance | None]:
    """The stance of each sentence of a paragraph, read together: an AI system named in one sentence
    (or in the lead-in) is the one a training verb in another is about; a permission anywhere in the
    paragraph outweighs its narrower prohibitions."""
    lex = lexicon or default_ai_lexicon()
    out: list[Stance | None] = [None] * len(sentences)
    if not (any(names_ai_words(s, lex) for s in sentences) or (lead_in and names_ai_words(lead_in, lex))
            or any(_data_use_acts(s) for s in sentences)):
        return out  # every act needs an AI word in its paragraph or lead-in, or data put to training
    context = any(names_system(s, lex) for s in sentences) or bool(lead_in and names_system(lead_in, lex))
    if not context:
        # a model named with its training ("generalized model training") is the AI system the other
        # sentences' acts are about ("You can opt in to contribute your content to improve models")
        context = any(a.kind == "train" and a.system is not None
                      for s in sentences if may_hold_act(s, lex) for a in read(s, lexicon=lex).acts)
    prev: Stance | None = None
    asked: int | None = None  # a question about an act, just before: its answer gives the stance
    unsettled: tuple[int, str] | None = None  # an act just before with no stance: "Such use ..." may give it one
    inner: str | None = None  # "The Client is prohibited from any of the following:" inside the paragraph
    # an item's label read as a sentence of its own ("1." before "Use Recordings to train ..."): the
    # item starts after it
    opening = 1 if len(sentences) > 1 and _LABEL_ONLY.fullmatch(sentences[0]) else 0
    for first, last in _units(sentences):
        text = " ".join(sentences[first:last + 1])
        lead = lead_in if first <= opening else inner
        if text.rstrip().endswith(":") or (first == last and _HEADING.match(text) and not _LABEL_ONLY.fullmatch(text)
                                            and last < len(sentences) - 1):
            inner = text  # a lead-in, or a heading over its items ("What We Do Not Allow" / "• Using ...")
        # a heading names a clause, a question asks about one ("Will my images be used to train
        # machine learning?"): neither takes a stance (the answer that follows may)
        if asked is not None and (answer := answer_stance(text)):
            # "Can I use the commission to train an image generator? No.": the answer gives the
            # question's act its stance
            out[asked] = answer
            asked, prev = None, None
            continue
        asked = None
        if asks_about_act(text, context_system=context, lead_in=lead, lexicon=lex):
            asked = first
        if unsettled is not None and _SUCH_USE.match(text) and not may_hold_act(text, lex):
            # "Using this repository to train AI models is Commercial Use. Such use is prohibited
            # without written consent.": the sentence about "such use" gives the act before its stance
            k, before = unsettled
            out[k] = read(before + " " + text, context_system=context, lead_in=lead, lexicon=lex).stance
            unsettled, prev = None, out[k]
            continue
        unsettled = None
        if _HEADING.match(text) or _QUESTION.search(text) or (
                not may_hold_act(text, lex) and not (first and CONTINUES.match(text))):
            prev = None
            continue
        stance = read(text, context_system=context, lead_in=lead, at_start=first <= opening, lexicon=lex).stance
        if stance is None and (inline := _inline_list(text)) is not None:
            # a heading and its bullets run into one line ("How We Use Your Information - Provide the
            # Service - Improve our AI models"), read as one they say nothing: each item is read with
            # the heading over it
            head, items = inline
            found = {read(item, context_system=context, lead_in=head or lead, lexicon=lex).stance for item in items}
            stance = "permitted" if "permitted" in found else "prohibited" if "prohibited" in found else None
        if first and CONTINUES.match(text) and prev is not None:
            # "This restriction also applies to ...", "This includes ...": it carries on the sentence
            # before, whose stance it shares
            stance = prev
        prev = stance
        if stance is None:
            if first == last and read(text, context_system=context, lead_in=lead, lexicon=lex).acts:
                unsettled = (first, text)
            continue
        if first == last:
            out[first] = stance
            continue
        # a line broken mid-sentence: the stance belongs to the pieces that hold the act
        holders = [k for k in range(first, last + 1) if read(sentences[k], context_system=True, lexicon=lex).acts]
        for k in holders or [first]:
            out[k] = stance
    if "permitted" in out:
        out = [None if x == "prohibited" else x for x in out]
    return out


# a heading: a few words, each capitalised ("Generative AI Training Use.", "AI Training"): it names a
# clause and takes no stance
_HEADING = re.compile(r"^\W{0,3}(?:\d+(?:\.\d+)*\.?\s+)?(?:(?-i:[A-Z0-9])[\w'’&/-]*\s+){0,6}(?-i:[A-Z0-9])[\w'’&/-]*\W*$")
# a sentence about the use the one before names: "Such use is prohibited", "Any such use requires ..."
_SUCH_USE = re.compile(r"^\W{0,3}(?:any\s+)?(?:such|this|that)\s+(?:uses?|usage|training|activit(?:y|ies)|practices?)\b", re.IGNORECASE)
# a short answer to the question before it: "No.", "No, never.", "Yes!"
_ANSWER = re.compile(r"^\W{0,3}(no|yes)\b\s*[.!,]?", re.IGNORECASE)
_QUESTION = re.compile(r"\?[\s\"'”’)\]*_]*$")
_TERMINAL = re.compile(r"(?<!:\s\d)(?<!:\s\d\d)(?<!:\s[a-z])[.!?;:][\s\"'”’)\]*_]*$")


# a bullet inside a line: a list marker between spaces, before a capital ("  - Improve", " • Using")
_INLINE_BULLET = re.compile(r"\s+(?:[•▪◦●■➢➤►]|[-*])\s+(?=(?-i:[A-Z]))")


def _inline_list(text: str) -> tuple[str | None, list[str]] | None:
    """(heading, items) of a line that is a short heading followed by two or more bullets, or of a
    run of bullets joined into one line (heading None: the one over them is the lead-in); else None."""
    parts = _INLINE_BULLET.split(text)
    if lists.BULLET.match(text):
        return (None, [lists.BULLET.sub("", parts[0], count=1)] + parts[1:]) if len(parts) >= 2 else None
    if len(parts) < 3:
        return None
    head = parts[0].strip().lstrip("#* ")
    if not head or len(head) > 120 or (_TERMINAL.search(head) and not head.endswith(":")):
        return None  # prose with dashes, not a heading (or a lead-in) over a list
    return head, [p for p in parts[1:] if p.strip()]


_NUMBERED_ITEM = re.compile(rf"^\s*{_ITEM_NUMBER}\s+\S")


def _units(sentences: list[str]) -> list[tuple[int, int]]:
    """Runs of sentences that are one sentence broken over lines (a piece that does not end with
    terminal punctuation goes on in the next): (first, last) indexes."""
    out = []
    first = 0
    for k, s in enumerate(sentences):
        # a heading ends where it ends, stop or no stop ("## AI Training Data Notice" over its text);
        # so does a numbered list item whose next line is the next item ("4. Commercial Use - ..." /
        # "5. AI/ML Training - ...")
        if k == len(sentences) - 1 or _TERMINAL.search(s) or (k == first and _HEADING.match(s) and not _LABEL_ONLY.fullmatch(s)) \
                or (_NUMBERED_ITEM.match(s) and _NUMBERED_ITEM.match(sentences[k + 1])):
            out.append((first, k))
            first = k + 1
    return out


__all__ = ["Act", "Frame", "Stance", "read", "paragraph_stances", "asks_about_act", "answer_stance", "names_system", "names_acronym", "names_ai_words", "may_hold_act"]
