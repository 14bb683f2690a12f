#!/usr/bin/python3
"""Open .docx files in a real LibreOffice and report what it sees, as JSON.

Run with Debian's /usr/bin/python3 (it needs python3-uno), never with the project venv:

    /usr/bin/python3 tests/lo/lo_check.py FILE.docx [FILE.docx ...]   # one JSON object per line
    /usr/bin/python3 tests/lo/lo_check.py --serve                     # read paths on stdin

In --serve mode soffice starts once; each stdin line is a path (or a JSON object {"path": ...})
and gets exactly one JSON line back on stdout. {"path": ..., "agency": {"author", "ops", "out"}}
instead answers the redline as the other side (Office.agency_round's operations; {"append": t}
alone: every change accepted and t added as theirs), saved to "out" ({"path", "saved", "done",
"redlines"}). Per file the check's report is:

    {"path": ..., "loaded": true,
     "paragraphs": [...],           # as loaded: body and table-cell paragraphs in order
     "redlines": [{"type", "author", "date"}],
     "comments": [{"author", "content", "anchor"}],
     "accepted": [...],             # paragraphs after .uno:AcceptAllTrackedChanges
     "rejected": [...],             # paragraphs after .uno:RejectAllTrackedChanges (second load)
     "accepted_comments": [...]}
or {"path": ..., "loaded": false, "error": "..."}.

Each file is copied to a temporary folder first: after a crash LibreOffice leaves lock files that
make later loads of the same path fail silently.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

try:
    import uno  # noqa: F401  (python3-uno)
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
except ImportError as exc:  # pragma: no cover - reported to the caller
    print(json.dumps({"fatal": f"python3-uno is not available: {exc}"}), flush=True)
    sys.exit(3)

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def _prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


class Office:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="lo-profile-")
        self.pipe = "termscore_" + uuid.uuid4().hex[:12]
        self.proc = None
        self.ctx = None
        self.desktop = None

    def start(self, timeout: float = 90.0):
        if not os.path.exists(SOFFICE):
            raise RuntimeError("soffice is not installed (apt-get install libreoffice-writer)")
        args = [
            SOFFICE, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--invisible", f"-env:UserInstallation=file://{self.profile}",
            f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
        ]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                ctx = resolver.resolve(url)
                smgr = ctx.ServiceManager
                desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
                # A fresh profile makes soffice restart once: make sure this one stays up.
                desktop.getComponents()
                self.ctx, self.desktop = ctx, desktop
                self.dispatcher = smgr.createInstanceWithContext(
                    "com.sun.star.frame.DispatchHelper", ctx)
                return
            except NoConnectException as exc:
                last = exc
            except Exception as exc:  # DisposedException / RuntimeException during restart
                last = exc
            time.sleep(0.3)
        raise RuntimeError(f"could not connect to soffice: {last}")

    def stop(self):
        try:
            if self.desktop is not None:
                self.desktop.terminate()
        except Exception:
            pass
        if self.proc is not None:
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        shutil.rmtree(self.profile, ignore_errors=True)

    # ---------------------------------------------------------------------------------------
    def load(self, path):
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        doc = self.desktop.loadComponentFromURL(
            url, "_blank", 0, (_prop("Hidden", True), _prop("Silent", True)))
        if doc is None:
            raise RuntimeError("LibreOffice returned no document")
        return doc

    def dispatch(self, doc, command):
        frame = doc.getCurrentController().getFrame()
        self.dispatcher.executeDispatch(frame, command, "", 0, ())

    def check(self, path: str) -> dict:
        work = tempfile.mkdtemp(prefix="lo-check-")
        try:
            out = {"path": path, "loaded": False}
            copy1 = os.path.join(work, "a.docx")
            copy2 = os.path.join(work, "b.docx")
            shutil.copyfile(path, copy1)
            shutil.copyfile(path, copy2)
            try:
                doc = self.load(copy1)
            except Exception as exc:
                out["error"] = f"{type(exc).__name__}: {exc}"
                return out
            try:
                out["loaded"] = True
                out["paragraphs"] = paragraphs(doc)
                out["redlines"] = redlines(doc)
                out["comments"] = comments(doc)
                self.dispatch(doc, ".uno:AcceptAllTrackedChanges")
                out["accepted"] = paragraphs(doc)
                out["accepted_comments"] = comments(doc)
                out["redlines_after_accept"] = len(redlines(doc))
            finally:
                doc.close(True)
            doc = self.load(copy2)
            try:
                self.dispatch(doc, ".uno:RejectAllTrackedChanges")
                out["rejected"] = paragraphs(doc)
                out["redlines_after_reject"] = len(redlines(doc))
            finally:
                doc.close(True)
            return out
        finally:
            shutil.rmtree(work, ignore_errors=True)


    def agency_round(self, path: str, author: str, ops: list, out_path: str) -> dict:
        """Answer a redline as the other side would, in LibreOffice, under ``author``, and save the
        result as .docx to ``out_path``. ``ops``, in order (``contains``: words of the change or
        paragraph meant):

            {"op": "accept_all"}                        every tracked change accepted
            {"op": "accept", "contains": s}             the tracked changes whose text has s
            {"op": "reject", "contains": s}             (or "author": a, the changes made by a)
            {"op": "delete", "contains": s}             s deleted, as their tracked change
            {"op": "replace", "find": s, "with": t}     s replaced by t, tracked
            {"op": "append", "text": t}                 t added to the last paragraph, tracked
            {"op": "comment", "contains": s, "text": t} a comment of theirs on s
        """
        config = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.ctx)
        access = config.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess",
            (_prop("nodepath", "/org.openoffice.UserProfile/Data"),))
        access.setPropertyValue("givenname", author)
        access.setPropertyValue("sn", "")
        access.commitChanges()
        work = tempfile.mkdtemp(prefix="lo-agency-")
        try:
            copy = os.path.join(work, "in.docx")
            shutil.copyfile(path, copy)
            doc = self.load(copy)
            try:
                done = [self._agency_op(doc, op, author) for op in ops]
                doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out_path)),
                               (_prop("FilterName", "MS Word 2007 XML"),))
                return {"path": out_path, "saved": True, "done": done, "redlines": redlines(doc)}
            finally:
                doc.close(True)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _agency_op(self, doc, op: dict, author: str) -> int:
        """Carry out one operation; returns how many places it touched (0: the words were not found)."""
        kind = op["op"]
        if kind == "accept_all":
            self.dispatch(doc, ".uno:AcceptAllTrackedChanges")
            return 1
        if kind in ("accept", "reject"):
            command = ".uno:AcceptTrackedChange" if kind == "accept" else ".uno:RejectTrackedChange"
            n = 0
            while True:  # the enumeration changes as changes are resolved: start again each time
                target = next((c for c, by in _redline_ranges(doc)
                               if ("contains" not in op or op["contains"] in c.getString())
                               and ("author" not in op or op["author"] == by)), None)
                if target is None:
                    return n
                doc.getCurrentController().select(target)
                self.dispatch(doc, command)
                n += 1
                if n > 500:
                    return n
        doc.setPropertyValue("RecordChanges", True)
        if kind in ("delete", "replace"):
            found = _find(doc, op.get("contains") or op["find"])
            for rng in found:
                rng.setString("" if kind == "delete" else op["with"])
            return len(found)
        if kind == "append":
            enum = doc.getText().createEnumeration()
            last = None
            while enum.hasMoreElements():
                para = enum.nextElement()
                if para.supportsService("com.sun.star.text.Paragraph") and para.getString().strip():
                    last = para
            cursor = doc.getText().createTextCursorByRange(last.getEnd())
            doc.getText().insertString(cursor, op["text"], False)
            return 1
        if kind == "comment":
            found = _find(doc, op["contains"])
            for rng in found[:1]:
                field = doc.createInstance("com.sun.star.text.textfield.Annotation")
                field.setPropertyValue("Author", author)
                field.setPropertyValue("Content", op["text"])
                cursor = rng.getText().createTextCursorByRange(rng.getStart())
                rng.getText().insertTextContent(cursor, field, False)
            return min(1, len(found))
        raise ValueError(f"unknown agency operation {kind!r}")


def _redline_ranges(doc):
    out = []
    enum = doc.getRedlines().createEnumeration()
    while enum.hasMoreElements():
        r = enum.nextElement()
        start, end = r.getPropertyValue("RedlineStart"), r.getPropertyValue("RedlineEnd")
        cursor = start.getText().createTextCursorByRange(start)
        cursor.gotoRange(end, True)
        out.append((cursor, r.getPropertyValue("RedlineAuthor")))
    return out


def _find(doc, words: str):
    search = doc.createSearchDescriptor()
    search.setSearchString(words)
    found = doc.findAll(search)
    return [found.getByIndex(i) for i in range(found.getCount())]


def _text_paragraphs(text, out):
    enum = text.createEnumeration()
    while enum.hasMoreElements():
        el = enum.nextElement()
        if el.supportsService("com.sun.star.text.TextTable"):
            for name in el.getCellNames():
                cell = el.getCellByName(name)
                _text_paragraphs(cell.getText(), out)
        elif el.supportsService("com.sun.star.text.Paragraph"):
            out.append(el.getString())


def paragraphs(doc):
    out = []
    _text_paragraphs(doc.getText(), out)
    return out


def redlines(doc):
    out = []
    try:
        enum = doc.getRedlines().createEnumeration()
    except Exception:
        return out
    while enum.hasMoreElements():
        r = enum.nextElement()
        item = {}
        for key, prop in (("type", "RedlineType"), ("author", "RedlineAuthor")):
            try:
                item[key] = r.getPropertyValue(prop)
            except Exception:
                item[key] = None
        try:
            dt = r.getPropertyValue("RedlineDateTime")
            item["date"] = f"{dt.Year:04d}-{dt.Month:02d}-{dt.Day:02d}T{dt.Hours:02d}:{dt.Minutes:02d}"
        except Exception:
            item["date"] = None
        out.append(item)
    return out


def comments(doc):
    out = []
    enum = doc.getTextFields().createEnumeration()
    while enum.hasMoreElements():
        f = enum.nextElement()
        if not f.supportsService("com.sun.star.text.TextField.Annotation"):
            continue
        item = {"author": f.getPropertyValue("Author"), "content": f.getPropertyValue("Content")}
        try:
            item["anchor"] = f.getAnchor().getString()
        except Exception:
            item["anchor"] = None
        out.append(item)
    return out


def main(argv):
    serve = "--serve" in argv
    files = [a for a in argv if a != "--serve"]
    office = Office()
    try:
        office.start()
    except Exception as exc:
        print(json.dumps({"fatal": str(exc)}), flush=True)
        office.stop()
        return 2
    try:
        print(json.dumps({"ready": True}), flush=True) if serve else None
        sources = sys.stdin if serve else files
        for line in sources:
            line = line.strip()
            if not line:
                continue
            request = json.loads(line) if line.startswith("{") else {"path": line}
            path = request["path"]
            try:
                if "agency" in request:
                    a = request["agency"]
                    ops = a.get("ops") or [{"op": "accept_all"}, {"op": "append", "text": a["append"]}]
                    result = office.agency_round(path, a["author"], ops, a["out"])
                else:
                    result = office.check(path)
            except Exception as exc:  # keep serving: one bad file must not stop the session
                result = {"path": path, "loaded": False, "error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        office.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
