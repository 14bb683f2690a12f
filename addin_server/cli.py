"""Command line: ``python -m addin_server review FILE`` prints the score and findings."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .engine.review import Options
from .service import SAMPLE, paragraphs_from_text, review_paragraphs


def _options(args: argparse.Namespace) -> Options:
    return Options(agency_risk=args.risk, project_name=args.project, liquidated_damages=args.damages, party=args.party)


def _print_report(name: str, result: dict, out) -> None:
    score = result["score"]
    parties = result["parties"]
    print(f"{name}: score {score['value']}/100 ({score['grade']}), profile {score['profile']}; "
          f"{parties['provider']} (provider) / {parties['client']} (client); work: {result['work_term']}", file=out)
    form = result["form"]
    if form["standard_terms"]:
        print(f"  standard terms, accepted by conduct ({form['paragraph_id']}): no clause is written for "
              f"{', '.join(form['not_asked']) or 'nothing'}", file=out)
    for cat in score["categories"]:
        print(f"  {cat['title']:<18} {cat['value']:>3}/{cat['max']}", file=out)
    for f in result["findings"]:
        where = f["paragraph_id"] or "(missing)"
        print(f"  [{f['severity'].upper():<6}] {f['id']} {f['rule_id']} at {where}: {f['title']} (-{f.get('points_lost', 0)})", file=out)
        if f.get("tracked_change"):
            print(f"           in a tracked {f['tracked_change']['kind']} by {f['tracked_change']['author'] or 'an unnamed author'}",
                  file=out)
        for miss in (f.get("evidence") or {}).get("near_misses", []):
            print(f"           closest: {miss['explanation']}", file=out)
        s = f.get("suggestion")
        if s and s["type"] == "insert":
            print(f"           + insert after {s['insert_after']}: {s['paragraphs'][0]['text']}", file=out)
        elif s is None and f["rule_id"] in form["not_asked"]:
            print("           (standard terms: reported and scored, no clause written)", file=out)
        elif s and not f.get("covered_by"):
            for e in s["edits"]:
                old = s["original"][e["start"]:e["end"]]
                print(f"           ~ {'[-' + old + '-]' if old else ''}{'{+' + e['text'] + '+}' if e['text'] else ''}", file=out)
    negotiation = result.get("negotiation")
    if negotiation and negotiation["round"] > 1:
        print(f"  {negotiation['summary']}", file=out)
        for o in negotiation["ours"]:
            if not o["settled"]:
                status = o["status"] + ("" if o["protected"] or o["status"] == "struck" else ", weakened")
                then = " -> walk-away point" if o["walk_away"] else f" -> next position {o['rung']}" if o["rung"] else ""
                print(f"    {o['rule_id']}: {status}{then}", file=out)
        if negotiation["reply"]:
            print("  Reply to send with this round:", file=out)
            for line in negotiation["reply"].split("\n"):
                print(f"    {line}", file=out)
    if result["questions"]:
        print("  Ask the agency:", file=out)
        for q in result["questions"]:
            print(f"    - {q}", file=out)


def cmd_review(args: argparse.Namespace) -> int:
    files = [Path(f) for f in args.files] or [SAMPLE]
    expanded: list[Path] = []
    for f in files:
        expanded.extend(sorted(p for p in f.iterdir() if p.suffix.lower() in {".txt", ".docx"}) if f.is_dir() else [f])
    status = 0
    for n, path in enumerate(expanded, 1):
        if len(expanded) > 1:
            print(f"[{n}/{len(expanded)}] {path.name}", file=sys.stderr)
        try:
            result, redlined = _review_file(path, args)
        except (OSError, ValueError) as exc:
            print(f"{path}: error: {exc}", file=sys.stderr)
            status = 2
            continue
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            _print_report(path.name, result, sys.stdout)
        if args.report:
            try:
                _write_report(path, result, args.report, multiple=len(expanded) > 1)
            except (OSError, ValueError) as exc:
                print(f"{path}: report not written: {exc}", file=sys.stderr)
                status = 2
        if redlined is not None:
            target = Path(args.redline)
            if target.is_dir() or len(expanded) > 1:  # a folder of files: one redline per file
                target.mkdir(parents=True, exist_ok=True)
                target = target / f"{path.stem}-redlined.docx"
            target.write_bytes(redlined)
            applied = sum(1 for r in result["redline_report"] if r["status"] == "applied")
            print(f"redline written to {target} ({applied}/{len(result['redline_report'])} changes applied)", file=sys.stderr)
    return status


def _write_report(path: Path, result: dict, where: str, multiple: bool) -> None:
    """The shareable report of one file's review: Markdown, or PDF when the name ends in .pdf (a
    folder for several files: one report per file, Markdown unless ``where`` names .pdf files)."""
    from .report import render

    target = Path(where)
    fmt = "pdf" if target.suffix.lower() == ".pdf" else "markdown"
    if target.is_dir() or multiple:
        folder = target if target.suffix.lower() not in (".md", ".pdf") else target.parent
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{path.stem}-report.{'pdf' if fmt == 'pdf' else 'md'}"
    texts = {p["id"]: p["text"] for p in result.get("paragraphs") or () if "id" in p and "text" in p}
    data, _ = render(result, fmt, title=f"Review of {path.name}", paragraphs=texts)
    target.write_bytes(data)
    print(f"report written to {target}", file=sys.stderr)


def _review_file(path: Path, args: argparse.Namespace):
    if path.suffix.lower() == ".docx":
        from .config import Settings
        from .docx import DocxError
        from .docx_service import redline_docx_bytes, review_docx_bytes

        data = path.read_bytes()
        settings = Settings.from_env()  # the same text limits as the API (TERMSCORE_MAX_*)
        try:
            if args.redline:
                redlined, report, result = redline_docx_bytes(data, _options(args), author=args.author,
                                                              settings=settings)
                result["redline_report"] = report
                return result, redlined
            return review_docx_bytes(data, _options(args), settings, author=args.author), None
        except DocxError as exc:
            raise ValueError(f"{exc.code}: {exc.message}") from None
    if args.redline:
        raise ValueError("--redline needs a .docx input")
    text = path.read_text(encoding="utf-8")
    paragraphs = paragraphs_from_text(text)
    if not paragraphs:
        raise ValueError("the file has no text to review")
    result = review_paragraphs(paragraphs, _options(args))
    if args.report:
        result["paragraphs"] = [{"id": p.id, "text": p.text} for p in paragraphs]
    return result, None


def cmd_serve(args: argparse.Namespace) -> int:
    """The API and the task pane on one HTTPS origin, served by gunicorn as deployed.

    gunicorn runs with ``deploy/gunicorn.conf.py``, the deployment's settings (workers, timeouts,
    the soft deadline, JSON logs, slow-client protection); only the address and the certificate come
    from the arguments, through the ``TERMSCORE_BIND``, ``TERMSCORE_CERTFILE`` and
    ``TERMSCORE_KEYFILE`` variables the configuration reads.
    """
    import os

    conf = Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py"
    if not conf.is_file():
        print(f"error: {conf} is missing: serve from a checkout of the repository", file=sys.stderr)
        return 2
    if bool(args.cert) != bool(args.key):
        print("error: --cert and --key go together", file=sys.stderr)
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    os.environ["TERMSCORE_BIND"] = f"{host}:{args.port}"
    for name, path in (("CERTFILE", args.cert), ("KEYFILE", args.key)):
        if path:
            if not Path(path).is_file():
                print(f"error: {path} does not exist (make cert creates the development certificate)", file=sys.stderr)
                return 2
            os.environ[f"TERMSCORE_{name}"] = str(Path(path).resolve())
        else:
            os.environ.pop(f"TERMSCORE_{name}", None)

    from gunicorn.app.base import Application

    class _Serve(Application):
        def init(self, parser, opts, args):
            return None

        def load_config(self):
            self.load_config_from_file(str(conf))

        def load(self):
            from gunicorn.util import import_app

            return import_app(self.cfg.wsgi_app)

    scheme = "https" if args.cert else "http"
    print(f"TermScore: pane at {scheme}://localhost:{args.port}/taskpane/taskpane.html, "
          f"API at {scheme}://localhost:{args.port}/api/v1/review, manifest in manifest/build/manifest.xml "
          f"(gunicorn, {conf.relative_to(conf.parents[1])})", file=sys.stderr, flush=True)
    _Serve(prog="python -m addin_server serve").run()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m addin_server", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    rv = sub.add_parser("review", help="review contract files (.txt or .docx) or folders of them")
    rv.add_argument("files", nargs="*", help="files or folders (default: the bundled sample contract)")
    rv.add_argument("--risk", choices=["high", "medium", "low"], default="high", help="agency risk profile")
    rv.add_argument("--project", help="project name used in suggested language")
    rv.add_argument("--damages", help="liquidated damages amount, e.g. '$10,000'")
    rv.add_argument("--party", choices=["provider", "client"], default="provider")
    rv.add_argument("--json", action="store_true", help="print the full JSON response")
    rv.add_argument("--redline", metavar="OUT.docx", help="write the redlined .docx (docx input only; a folder for several files)")
    rv.add_argument("--author", default="TermScore", help="author of the tracked changes")
    rv.add_argument("--report", metavar="OUT.md|OUT.pdf",
                    help="write a shareable report of the review (Markdown, or PDF for a .pdf name; a folder for several files)")
    rv.set_defaults(func=cmd_review)
    sv = sub.add_parser("serve", help="serve the API and task pane through gunicorn (deploy/gunicorn.conf.py)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=3000)
    sv.add_argument("--cert", help="TLS certificate (PEM)")
    sv.add_argument("--key", help="TLS private key (PEM)")
    sv.set_defaults(func=cmd_serve)
    args = parser.parse_args(argv)
    return args.func(args)
