"""Pytest-side client of ``lo_check.py``: one LibreOffice for many files.

Imported from the project's venv; LibreOffice itself is driven by Debian's ``/usr/bin/python3``
(python3-uno) in a child process, because the UNO bindings cannot be installed into a venv.
Missing LibreOffice is an error, never a skip: these checks are the proof that redlines work.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "lo_check.py"
SYSTEM_PYTHON = os.environ.get("TERMSCORE_UNO_PYTHON", "/usr/bin/python3")
APT_PACKAGES = [
    line.strip() for line in (HERE / "apt-packages.txt").read_text().splitlines() if line.strip()
]


class LibreOfficeMissing(RuntimeError):
    pass


def check_prerequisites() -> None:
    """Raise LibreOfficeMissing with an install hint when soffice or python3-uno is absent."""
    hint = f"install them with: apt-get install -y {' '.join(APT_PACKAGES)}"
    if not (shutil.which("soffice") or os.path.exists("/usr/bin/soffice")):
        raise LibreOfficeMissing(f"soffice not found; {hint}")
    if not os.path.exists(SYSTEM_PYTHON):
        raise LibreOfficeMissing(f"{SYSTEM_PYTHON} not found; {hint}")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise LibreOfficeMissing(f"python3-uno is not importable by {SYSTEM_PYTHON}; {hint}")


class LibreOffice:
    """A running ``lo_check.py --serve``. Use as a context manager or call close()."""

    def __init__(self, timeout: float = 180.0):
        check_prerequisites()
        self.timeout = timeout
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        self.proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(SCRIPT), "--serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", env=env,
        )
        hello = self._readline()
        if not hello.get("ready"):
            self.close()
            raise LibreOfficeMissing(f"LibreOffice did not start: {hello.get('fatal', hello)}")

    def _readline(self) -> dict:
        result: dict = {}

        def read():
            line = self.proc.stdout.readline()
            result["line"] = line

        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(self.timeout)
        if t.is_alive():
            self.proc.kill()
            self.proc.wait(timeout=30)
            raise RuntimeError(f"LibreOffice did not answer within {self.timeout} s")
        line = result.get("line") or ""
        if not line:
            raise RuntimeError(f"LibreOffice helper exited (code {self.proc.poll()})")
        return json.loads(line)

    def check(self, path) -> dict:
        self.proc.stdin.write(json.dumps({"path": str(path)}) + "\n")
        self.proc.stdin.flush()
        return self._readline()

    def agency_round(self, path, author: str, append: str | None = None, out=None, ops: list | None = None) -> dict:
        """The other side's answer to a redline, made in LibreOffice (see lo_check's
        Office.agency_round for ``ops``); ``append`` alone: accept everything and add that text."""
        agency = {"author": author, "out": str(out)}
        agency.update({"ops": ops} if ops is not None else {"append": append})
        self.proc.stdin.write(json.dumps({"path": str(path), "agency": agency}) + "\n")
        self.proc.stdin.flush()
        return self._readline()

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=60)
            except (subprocess.TimeoutExpired, OSError):
                self.proc.kill()
                self.proc.wait(timeout=30)
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None and not stream.closed:
                    stream.close()
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def lo_text(text: str) -> str:
    """Our accepted-view text as LibreOffice's ``getString()`` spells it (soft break = "\\n")."""
    return text.replace("\u000b", "\n").replace("\f", "\n")


def normalize_lo(text: str) -> str:
    """LibreOffice's paragraph string, with its import artefacts undone: soft hyphens are kept as
    U+00AD (Word's view skips them), symbol-font characters stay in the F0xx private-use page,
    and block content controls leave a trailing carriage return."""
    out = text.replace("\u00ad", "").replace("\r", "")
    return "".join(chr(ord(c) - 0xF000) if 0xF020 <= ord(c) <= 0xF0FF else c for c in out)
