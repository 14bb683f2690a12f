#!/usr/bin/env python3
"""Write manifest/build/manifest.xml for one base URL.

    python3 manifest/build.py                      # https://localhost:3000 (sideloading)
    python3 manifest/build.py https://review.example.com [--out PATH]

Standard library only. The URL must be HTTPS (Office refuses add-ins served over HTTP) and is used
without a trailing slash; every URL in the manifest is the base URL plus a path the Flask app serves
from taskpane/ (see tests/pane/test_manifest.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit
from xml.dom import minidom
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "manifest.template.xml"
DEFAULT_URL = "https://localhost:3000"
DEFAULT_OUT = HERE / "build" / "manifest.xml"


def normalise_base_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme != "https":
        raise ValueError(f"base URL must use https:// (got {url!r}); Office only loads HTTPS add-ins")
    if not parts.hostname:
        raise ValueError(f"base URL has no host: {url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"base URL must not have a query or fragment: {url!r}")
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def render(base_url: str) -> str:
    base = normalise_base_url(base_url)
    xml = TEMPLATE.read_text(encoding="utf-8").replace("{{BASE_URL}}", escape(base, {'"': "&quot;"}))
    minidom.parseString(xml.encode("utf-8"))  # fail here, not in Word, if the result is not well-formed
    return xml


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url", nargs="?", default=DEFAULT_URL, help=f"base URL (default {DEFAULT_URL})")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output path")
    args = ap.parse_args(argv)
    try:
        xml = render(args.url)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(xml, encoding="utf-8")
    print(f"wrote {args.out} for {normalise_base_url(args.url)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
