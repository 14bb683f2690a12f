"""Render the playbook as Markdown (``docs/playbook.md``), from the same data the engine loads.

``python -m addin_server.playbook.catalog > docs/playbook.md``; a test fails when the page is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import CATEGORIES, PROFILES, default_playbook


CHANGES = Path(__file__).parent / "language-changes.md"


def render() -> str:
    pb = default_playbook()
    out = ["# The playbook", "",
           "Generated from `addin_server/playbook/rules/*.toml` by `python -m addin_server.playbook.catalog`.",
           "Do not edit by hand. Placeholders in braces are filled with the contract's own defined terms.", "",
           "## Agency risk profiles", ""]
    for p in pb.profiles.values():
        out.append(f"- **{p.title}** (`{p.id}`): {p.description} {p.stance}")
    out += ["", "## Rules", ""]
    for cid, title in CATEGORIES.items():
        rules = [r for r in pb.rules if r.category == cid]
        if not rules:
            continue
        out += [f"### {title}", ""]
        for r in rules:
            sev = ", ".join((f"{p}: {r.profiles[p].severity} (-{r.profiles[p].points})"
                             + (", fallback first" if r.profiles[p].position == "fallback" else ""))
                            if p in r.profiles else f"{p}: not pushed" for p in PROFILES)
            out += [f"#### {r.title} (`{r.id}`)", "",
                    f"*{r.kind}* · clause type `{r.clause_type}` · {sev} · `{r.source}`", "",
                    r.message, "",
                    f"- Comment to the counterparty: {r.comment_counterparty}",
                    f"- Internal note: {r.comment_internal}"]
            if r.kind == "missing":
                out.append(f"- Preferred clause: **{r.heading}.** {r.text}")
            elif r.fix and r.fix.text:
                out.append(f"- Preferred fix ({r.fix.action.replace('_', ' ')}): \"{r.fix.text}\"")
            elif r.fix:
                out.append(f"- Preferred fix: {r.fix.action.replace('_', ' ')} {r.fix.function}".rstrip())
            if r.fallback:
                out.append(f"- {r.fallback.label}: {(r.fallback.heading + '. ') if r.fallback.heading else ''}{r.fallback.text}")
                if r.fallback.comment:
                    out.append(f"  - Comment when it is offered first: {r.fallback.comment}")
            for e in r.examples:
                out.append(f"- {'Flags' if e.flag else 'Passes'}: \"{e.text}\"".replace("\n", " / "))
            out.append("")
    # what changed in the language and why (issue 12): prose kept beside the rules, appended as is
    if CHANGES.exists():
        out += ["", CHANGES.read_text(encoding="utf-8").rstrip()]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
