"""CUAD: contracts, lawyer annotations, segmentation and the segment/annotation matching rule.

Segmentation
    Each txt file is cut on line breaks (CUAD keeps the filing's lines; some are whole pages), and
    each line into sentences by the engine's own splitter (:func:`addin_server.engine.text.split_sentences`,
    the one ``analyse`` applies to every paragraph). Every sentence becomes one segment with its
    character offsets into the txt file, and is then sent to the engine as one paragraph.

Matching rule (fixed before looking at any result; not tuned)
    An annotation is a list of character intervals (several where CUAD elided text). A segment is
    *positive* for a category when the characters it shares with that category's annotations cover
    at least half of the segment, or at least half of one annotation part (so a short, partial
    annotation inside a long sentence still marks that sentence, and a multi-sentence annotation
    marks each sentence it covers). Formally, with ``ov`` the overlap in characters:

        ov(segment, part) >= 0.5 * min(len(segment), len(part))   for some annotated part, or
        sum over parts of ov(segment, part) >= 0.5 * len(segment)

    Whitespace is counted like any other character; offsets are CUAD's own.
"""

from __future__ import annotations

import csv
import json
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..engine.document import Paragraph
from ..engine.text import Segment, split_sentences

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"
CUAD_DIR = CORPUS_DIR / "cuad-dev"

CATEGORY_TO_TYPE = {
    "License Grant": "license-grant",
    "Irrevocable or Perpetual License": "perpetual-or-irrevocable",
    "IP Ownership Assignment": "ip-assignment",
    "Liquidated Damages": "liquidated-damages",
    "Audit Rights": "audit-rights",
}
MIN_SHARE = 0.5


@dataclass
class Contract:
    name: str
    text: str
    segments: list[Segment]
    spans: dict[str, list[list[tuple[int, int]]]] = field(default_factory=dict)  # category -> annotations
    labels: dict[str, bool] = field(default_factory=dict)  # category -> Yes/No from contract_labels.csv


_LINE = re.compile(r"[^\n\r]+")


def line_paragraphs(path: Path) -> tuple[Paragraph, ...]:
    """A corpus agreement as the review reads it: one paragraph per non-empty line, ``L<n>`` its
    1-based line number (the labels', the panel's and the lawyer's ranking's line numbers)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return tuple(Paragraph(f"L{n}", line) for n, line in enumerate(lines, 1) if line.strip())


def segment_text(text: str) -> list[Segment]:
    """Sentence-sized segments of a CUAD txt file, offsets into ``text``."""
    out = []
    for line in _LINE.finditer(text):
        base = line.start()
        for s in split_sentences(line.group(0)):
            if any(ch.isalpha() for ch in s.text):
                out.append(Segment(base + s.start, base + s.end, s.text))
    return out


def gold_segments(segments: list[Segment], annotations: list[list[tuple[int, int]]]) -> set[int]:
    """Indices of the segments that are positive under the matching rule in the module docstring."""
    starts = [s.start for s in segments]
    shared: dict[int, int] = {}
    positive: set[int] = set()
    for parts in annotations:
        for a, b in parts:
            if b <= a:
                continue
            i = max(bisect_left(starts, a) - 1, 0)
            while i < len(segments) and segments[i].start < b:
                seg = segments[i]
                ov = min(seg.end, b) - max(seg.start, a)
                if ov > 0:
                    shared[i] = shared.get(i, 0) + ov
                    if ov >= MIN_SHARE * min(seg.end - seg.start, b - a):
                        positive.add(i)
                i += 1
    for i, ov in shared.items():
        seg = segments[i]
        if ov >= MIN_SHARE * (seg.end - seg.start):
            positive.add(i)
    return positive


@lru_cache(maxsize=1)
def _annotations(cuad_dir: Path) -> dict[str, dict[str, list[list[tuple[int, int]]]]]:
    out: dict[str, dict[str, list]] = {}
    with (cuad_dir / "clauses.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            parts = [(int(a), int(b)) for a, b in d["char_spans_in_txt"]]
            out.setdefault(d["txt_filename"], {}).setdefault(d["category"], []).append(parts)
    return out


def _labels(cuad_dir: Path) -> dict[str, dict[str, bool]]:
    out = {}
    with (cuad_dir / "contract_labels.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["txt_filename"]] = {c: row[c].strip() == "Yes" for c in CATEGORY_TO_TYPE}
    return out


def load_contracts(cuad_dir: Path = CUAD_DIR) -> list[Contract]:
    """Every CUAD development contract, segmented, with its annotations and labels."""
    ann = _annotations(cuad_dir)
    labels = _labels(cuad_dir)
    contracts = []
    for path in sorted((cuad_dir / "contracts").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = {c: a for c, a in ann.get(path.name, {}).items() if c in CATEGORY_TO_TYPE}
        contracts.append(Contract(path.name, text, segment_text(text), spans, labels.get(path.name, {})))
    return contracts
