"""Review and redline a 100-page .docx (about 1,500 paragraphs): prints numbers, asserts nothing."""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docx  # noqa: E402

from addin_server.docx_service import redline_docx_bytes, review_docx_bytes  # noqa: E402
from addin_server.engine.review import Options  # noqa: E402
from bench.bench_review import contract  # noqa: E402


def build(n: int) -> bytes:
    d = docx.Document()
    for p in contract(n):
        d.add_paragraph(p.text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def main() -> None:
    data = build(1500)
    print(f".docx benchmark: 1,500 paragraphs (~100 pages), {len(data) / 1024:.0f} KiB, CPU time of one process")
    for name, fn in (("review", lambda: review_docx_bytes(data, Options())),
                     ("review + redline", lambda: redline_docx_bytes(data, Options()))):
        fn()
        times = []
        for _ in range(5):
            t = time.process_time()
            result = fn()
            times.append((time.process_time() - t) * 1000)
        extra = ""
        if isinstance(result, tuple):
            extra = f"  ({sum(1 for r in result[1] if r['status'] == 'applied')} changes written)"
        print(f"  {name:<17} median {statistics.median(times):7.1f} ms   best {min(times):7.1f} ms{extra}")
    print("  target: review + redline under 1,500 ms on one core")


if __name__ == "__main__":
    main()
