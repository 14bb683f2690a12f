"""Accuracy of the clause tagger, measured on real contracts.

``python -m addin_server.evaluation`` prints the table. See :mod:`.cuad` for the corpus, the
segmentation and the segment/annotation matching rule, and :mod:`.ai` for the AI-clause examples.
"""

from .cuad import (  # noqa: F401
    CATEGORY_TO_TYPE, CORPUS_DIR, Contract, load_contracts, segment_text, gold_segments,
)
from .run import Report, evaluate  # noqa: F401
