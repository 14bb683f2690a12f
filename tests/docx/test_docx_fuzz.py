""".docx mutation fuzzing through the API (issue 10, "Done when"): byte flips, truncation, ZIP
structure, numbering definitions, XML entities and broken WordprocessingML, built in memory from
real .docx files (the corpus and the test factory) with a fixed seed.

Every mutant goes to ``POST /api/v1/review/docx`` and ``POST /api/v1/redline``. Each answer must be
under 500, a JSON error envelope when it is not a 200, in under 5 s, and bounded in size; a
redline has every ZIP entry once; the process's peak memory stays bounded. The counts are printed
(also without ``-s``).
"""

from __future__ import annotations

import collections
import io
import json
import random
import resource
import struct
import time
import warnings
import zipfile

from addin_server import create_app
from addin_server.config import Settings
from docx_factory import NSDECL, build_docx, fixtures, numbered, p, r

SEED = 20261201
CASES_PER_KIND = {
    "byte_flip": 220, "header_flip": 120, "truncate": 100, "zip_structure": 220,
    "numbering": 180, "entities": 80, "xml_content": 180,
}
MAX_SECONDS = 5.0
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
MAX_RSS_GROWTH_KB = 600 * 1024

RISKY = ("The Designer grants to the Agency a perpetual, irrevocable, worldwide license to use the "
         "Work Product in all media now known or hereafter devised for any purpose.")
ROUTES = ("/api/v1/review/docx", "/api/v1/redline")


# ------------------------------------------------------------------------------------------ seeds

def _seeds(corpus_files) -> list[bytes]:
    fx = fixtures()
    small = [build_docx(p(r(RISKY)) + p(r("1. Services. The Designer shall design the logo."), ppr=numbered(0))
                        + p(r("The Agency may use the Work Product to train AI models."), ppr=numbered(1)))]
    for name in ("mixed_runs", "existing_revisions", "fields_links_controls", "tables_nested"):
        if name in fx:
            small.append(build_docx(fx[name][0] + p(r(RISKY))))
    real = [f.read_bytes() for f in corpus_files]
    return small + real


def _members(data: bytes) -> list[tuple[str, bytes]]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    return [(i.filename, zf.read(i)) for i in zf.infolist()]


def _zip(members, compress=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names on purpose
        with zipfile.ZipFile(buf, "w", compress, compresslevel=1 if compress == zipfile.ZIP_DEFLATED else None) as z:
            for name, content in members:
                z.writestr(name, content)
    return buf.getvalue()


def _with(members, name: str, content: bytes):
    out = [(n, content if n == name else c) for n, c in members]
    if name not in {n for n, _ in out}:
        out.append((name, content))
    return out


# ------------------------------------------------------------------------------------------ mutators

def byte_flip(rng: random.Random, data: bytes, members) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4, 8, 16])):
        out[rng.randrange(len(out))] ^= rng.randrange(1, 256)
    return bytes(out)


def header_flip(rng: random.Random, data: bytes, members) -> bytes:
    """Flips inside the local headers, the central directory or the end record."""
    out = bytearray(data)
    sigs = [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"]
    sig = rng.choice(sigs)
    spots = []
    at = data.find(sig)
    while at != -1:
        spots.append(at)
        at = data.find(sig, at + 4)
    at = rng.choice(spots)
    span = 22 if sig == b"PK\x05\x06" else 46 if sig == b"PK\x01\x02" else 30
    for _ in range(rng.choice([1, 2, 3])):
        i = min(len(out) - 1, at + rng.randrange(4, span))
        out[i] = rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes, members) -> bytes:
    choice = rng.random()
    if choice < 0.3:  # inside the central directory or end record
        cd = data.rfind(b"PK\x01\x02")
        return data[: rng.randrange(max(1, cd - 200), len(data))]
    if choice < 0.4:
        return data[: rng.randrange(1, 64)]
    return data[: rng.randrange(1, len(data))]


def _central(data: bytes):
    at = data.find(b"PK\x01\x02")
    while at != -1:
        n, m, k = struct.unpack("<HHH", data[at + 28: at + 34])
        yield at, data[at + 46: at + 46 + n]
        at = data.find(b"PK\x01\x02", at + 46 + n + m + k)


_CD_FIELDS = [  # (offset in a central directory entry, struct format)
    (4, "<H"), (6, "<H"), (8, "<H"), (10, "<H"), (12, "<H"), (14, "<H"), (16, "<I"), (20, "<I"),
    (24, "<I"), (28, "<H"), (30, "<H"), (32, "<H"), (34, "<H"), (36, "<H"), (38, "<I"), (42, "<I"),
]
_INTERESTING = [0, 1, 2, 8, 9, 12, 14, 20, 45, 63, 64, 97, 98, 99, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF,
                0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]


def zip_structure(rng: random.Random, data: bytes, members) -> bytes:
    kind = rng.randrange(10)
    if kind < 4:  # one field of one central directory entry
        out = bytearray(data)
        entries = list(_central(data))
        at, _name = rng.choice(entries)
        off, fmt = rng.choice(_CD_FIELDS)
        limit = 0xFFFF if fmt == "<H" else 0xFFFFFFFF
        value = rng.choice(_INTERESTING + [rng.randrange(limit + 1)]) & limit
        struct.pack_into(fmt, out, at + off, value)
        return bytes(out)
    if kind == 4:  # one field of the end record
        out = bytearray(data)
        at = data.rfind(b"PK\x05\x06")
        off, fmt = rng.choice([(4, "<H"), (6, "<H"), (8, "<H"), (10, "<H"), (12, "<I"), (16, "<I"), (20, "<H")])
        limit = 0xFFFF if fmt == "<H" else 0xFFFFFFFF
        struct.pack_into(fmt, out, at + off, rng.choice(_INTERESTING) & limit)
        return bytes(out)
    if kind == 5:  # a duplicated entry (same name, or the same name in another case)
        name, content = rng.choice(members)
        dup = name if rng.random() < 0.5 else name.upper()
        extra = [(dup, content if rng.random() < 0.5 else content[: len(content) // 2])]
        return _zip(members + extra if rng.random() < 0.5 else extra + members)
    if kind == 6:  # an entry missing
        drop = rng.choice(["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/numbering.xml",
                           "word/styles.xml", "word/_rels/document.xml.rels", rng.choice(members)[0]])
        return _zip([(n, c) for n, c in members if n != drop])
    if kind == 7:  # odd names: traversal, absolute, backslashes, NUL, very long, non-UTF-8 bytes
        odd = rng.choice(["../../etc/passwd", "/word/document.xml", "word\\document.xml", "word/\x00.xml",
                          "w/" + "a" * 2000 + ".xml", "word/document.xml/", "word//document.xml", "é/ü.xml"])
        return _zip(members + [(odd, rng.choice(members)[1])])
    if kind == 8:  # stored instead of deflated, or every member empty but one
        if rng.random() < 0.5:
            return _zip(members, zipfile.ZIP_STORED)
        keep = rng.choice(members)[0]
        return _zip([(n, c if n == keep else b"") for n, c in members])
    # a relationship pointing somewhere odd
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="'
            + rng.choice([b"../../x.xml", b"word/styles.xml", b"/", b"word/numbering.xml", b"%00", b""])
            + b'"/></Relationships>')
    return _zip(_with(members, "_rels/.rels", rels))


_FORMATS = ["decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "decimalZero", "bullet",
            "none", "ordinal", "cardinalText", "ordinalText", "hex", "chicago", "japaneseCounting", "bogus", ""]
_NUMBERS = ["-2147483648", "-1", "0", "1", "2", "26", "27", "3999", "4000", "32767", "32768", "2147483647",
            "4294967296", "1" + "0" * 100, "9" * 5000, "abc", "", "1.5", " 3 ", "\u0663"]
_LEVELS = ["-5", "-1", "0", "1", "2", "8", "9", "10", "12", "99", "2147483647", "x", "", "\u0661"]


def _lvl_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randrange(0, 8)):
        parts.append(rng.choice(["%1", "%2", "%3", "%9", "%0", "%", "%%", ".", "(", ")", "%\u00b2",
                                 "Article ", "x" * rng.choice([1, 40, 5000]), "&amp;", "\u0661"]))
    return "".join(parts)


def numbering(rng: random.Random, data: bytes, members) -> bytes:
    levels = []
    for _ in range(rng.randrange(1, 12)):
        bits = [f'<w:start w:val="{rng.choice(_NUMBERS)}"/>' if rng.random() < 0.9 else "",
                f'<w:numFmt w:val="{rng.choice(_FORMATS)}"/>' if rng.random() < 0.9 else "",
                f'<w:lvlText w:val="{_lvl_text(rng)}"/>' if rng.random() < 0.9 else "",
                '<w:isLgl/>' if rng.random() < 0.2 else "",
                f'<w:lvlRestart w:val="{rng.choice(_LEVELS)}"/>' if rng.random() < 0.2 else ""]
        levels.append(f'<w:lvl w:ilvl="{rng.choice(_LEVELS)}">{"".join(bits)}</w:lvl>')
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{rng.choice(_LEVELS)}"><w:startOverride w:val="{rng.choice(_NUMBERS)}"/>'
        + (levels[0] if rng.random() < 0.3 else "") + "</w:lvlOverride>"
        for _ in range(rng.randrange(0, 3)))
    link = '<w:numStyleLink w:val="ListNumber"/>' if rng.random() < 0.15 else ""
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {NSDECL}>'
           f'<w:abstractNum w:abstractNumId="1">{link}{"".join(levels)}</w:abstractNum>'
           f'<w:num w:numId="1"><w:abstractNumId w:val="1"/>{overrides}</w:num>'
           f'<w:num w:numId="2"><w:abstractNumId w:val="{rng.choice(["1", "2", "x"])}"/></w:num></w:numbering>')
    body = "".join(
        p(r(RISKY if i == 0 else f"Clause {i} of the agreement."),
          ppr=f'<w:numPr><w:ilvl w:val="{rng.choice(_LEVELS)}"/><w:numId w:val="{rng.choice(["1", "2", "0", "7"])}"/></w:numPr>')
        for i in range(rng.randrange(1, 16)))
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NSDECL}><w:body>{body}'
           f'</w:body></w:document>').encode()
    return _zip(_with(_with(members, "word/numbering.xml", xml.encode()), "word/document.xml", doc))


_ENTITY_DECLS = [
    b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE w:document SYSTEM "http://127.0.0.1:1/evil.dtd">',
    b'<!DOCTYPE w:document [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p.dtd"> %p;]>',
    b'<!DOCTYPE w:document [<!ELEMENT w:document ANY>]>',
    b'<!DOCTYPE w:document>',
]


def entities(rng: random.Random, data: bytes, members) -> bytes:
    names = [n for n, _ in members if n.endswith(".xml") or n.endswith(".rels")]
    name = rng.choice(names + ["word/document.xml"] * 4)
    content = dict(members)[name]
    decl, _, rest = content.partition(b"?>") if content.startswith(b"<?xml") else (b"", b"", content)
    head = decl + b"?>" if decl else b""
    dtd = rng.choice(_ENTITY_DECLS)
    if rng.random() < 0.3:  # an entity used in the text too
        rest = rest.replace(b"<w:t", b"<w:t", 1)
        rest = rest.replace(b"</w:t>", b"&d;&x;</w:t>", 1)
    mutated = head + dtd + rest
    if rng.random() < 0.25:  # the same, in UTF-16, which a byte scan cannot read
        text = mutated.decode("utf-8", "replace").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        mutated = text.encode("utf-16")
    if rng.random() < 0.15:  # an entity reference with no DOCTYPE at all
        mutated = content.replace(b"</w:t>", b"&undefined;</w:t>", 1)
    return _zip(_with(members, name, mutated))


_TAGS = [b"w:p", b"w:r", b"w:t", b"w:tbl", b"w:tr", b"w:tc", b"w:ins", b"w:del", b"w:sdt", b"w:sdtContent",
         b"w:hyperlink", b"w:fldSimple", b"w:body", b"w:document", b"w:pPr", b"w:rPr", b"m:oMath", b"w:moveTo"]


def xml_content(rng: random.Random, data: bytes, members) -> bytes:
    doc = dict(members)["word/document.xml"]
    kind = rng.randrange(9)
    if kind == 0:  # byte flips in the XML itself (mostly not well-formed)
        out = bytearray(doc)
        for _ in range(rng.choice([1, 2, 5])):
            out[rng.randrange(len(out))] = rng.randrange(256)
        doc = bytes(out)
    elif kind == 1:  # one tag renamed to another WordprocessingML tag (well-formed, wrong structure)
        a, b = rng.choice(_TAGS), rng.choice(_TAGS)
        doc = doc.replace(b"<" + a + b">", b"<" + b + b">").replace(b"</" + a + b">", b"</" + b + b">")
    elif kind == 2:  # a paragraph wrapped in deep nesting
        wrap = rng.choice([b"w:sdt><w:sdtContent", b"w:tbl><w:tr><w:tc", b"w:ins", b"w:customXml",
                           b"w:hyperlink", b"w:smartTag"])
        depth = rng.choice([10, 100, 200, 300])
        opener, closer = b"<" + wrap + b">", b"".join(b"</" + t.split(b" ")[0] + b">"
                                                       for t in reversed(wrap.split(b"><")))
        at = doc.find(b"<w:p>") if b"<w:p>" in doc else doc.find(b"<w:p ")
        end = doc.find(b"</w:p>", at) + 6
        if at > 0 and end > 6:
            doc = doc[:at] + opener * depth + doc[at:end] + closer * depth + doc[end:]
    elif kind == 3:  # unbalanced or odd complex fields
        fld = rng.choice([b"begin", b"separate", b"end", b"bogus"])
        n = rng.choice([1, 50, 1000])
        doc = doc.replace(b"<w:t", b'<w:fldChar w:fldCharType="' + fld + b'"/>' * n + b"<w:t", 1)
    elif kind == 4:  # character references XML forbids, odd symbol codes
        ref = rng.choice([b"&#1;", b"&#0;", b"&#xFFFE;", b"&#xD800;", b"&#x10FFFF;", b"&#65;"])
        doc = doc.replace(b"</w:t>", ref + b"</w:t>", 1)
        doc = doc.replace(b"<w:t", b'<w:sym w:char="' + rng.choice([b"FFFFFFFF", b"D800", b"zz", b"F0B7", b""])
                          + b'"/><w:t', 1)
    elif kind == 5:  # a long text or a long attribute
        blob = rng.choice([b"x" * 60_000, b"_" * 5000, b"word " * 20_000])
        doc = doc.replace(b"</w:t>", blob + b"</w:t>", 1) if rng.random() < 0.5 else \
            doc.replace(b"<w:p>", b'<w:p w:rsidR="' + blob[:50_000] + b'">', 1)
    elif kind == 6:  # many tiny paragraphs
        doc = doc.replace(b"</w:body>", b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * rng.choice([100, 1500]) + b"</w:body>", 1)
    elif kind == 7:  # another encoding declaration
        doc = doc.replace(b'encoding="UTF-8"', b'encoding="' + rng.choice([b"latin-1", b"bogus", b"UTF-16", b"EBCDIC"]) + b'"', 1)
    else:  # the body or the root removed
        doc = rng.choice([doc.replace(b"<w:body>", b"").replace(b"</w:body>", b""),
                          b'<?xml version="1.0"?><w:document ' + NSDECL.encode() + b"/>", b"", b"<x/>"])
    return _zip(_with(members, "word/document.xml", doc))


MUTATORS = {"byte_flip": byte_flip, "header_flip": header_flip, "truncate": truncate,
            "zip_structure": zip_structure, "numbering": numbering, "entities": entities,
            "xml_content": xml_content}


# ------------------------------------------------------------------------------------------ the run

BOUNDARY = "termscore-fuzz-boundary-7d1f"


def _multipart(data: bytes) -> bytes:
    """The upload body, built here: the test client would spool a large one to an unclosed temp file."""
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fuzz.docx\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def _cases(seeds: list[bytes]):
    rng = random.Random(SEED)
    members = [_members(s) for s in seeds]
    small = list(range(len(seeds) - 3)) or [0]  # the factory documents; the corpus is the last three
    for kind, count in CASES_PER_KIND.items():
        for n in range(count):
            # mostly small documents (fast); every eighth case any seed, real contracts included
            i = rng.randrange(len(seeds)) if n % 8 == 0 else rng.choice(small)
            yield kind, MUTATORS[kind](rng, seeds[i], members[i])


def test_docx_mutation_fuzz(corpus_files, capsys):
    client = create_app(Settings(rate_limit="off")).test_client()
    seeds = _seeds(corpus_files)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    statuses: dict[str, collections.Counter] = {route: collections.Counter() for route in ROUTES}
    codes: collections.Counter = collections.Counter()
    kinds: collections.Counter = collections.Counter()
    seconds: collections.Counter = collections.Counter()
    slowest, biggest, biggest_upload, cases = 0.0, 0, 0, 0
    failures: list[str] = []
    started = time.perf_counter()
    for kind, data in _cases(seeds):
        cases += 1
        kinds[kind] += 1
        biggest_upload = max(biggest_upload, len(data))
        for route in ROUTES:
            began = time.perf_counter()
            response = client.post(route, data=_multipart(data), content_type=f"multipart/form-data; boundary={BOUNDARY}")
            elapsed = time.perf_counter() - began
            seconds[kind] += elapsed
            body = response.get_data()
            slowest, biggest = max(slowest, elapsed), max(biggest, len(body))
            statuses[route][response.status_code] += 1
            where = f"case {cases} ({kind}) {route}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code} {body[:200]!r}")
            if elapsed > MAX_SECONDS:
                failures.append(f"{where}: {elapsed:.1f} s")
            if len(body) > MAX_RESPONSE_BYTES:
                failures.append(f"{where}: {len(body)} bytes")
            if response.status_code != 200:
                error = json.loads(body)["error"]
                assert error["status"] == response.status_code and error["code"] and error["message"], where
                codes[error["code"]] += 1
            elif route == "/api/v1/redline":
                names = zipfile.ZipFile(io.BytesIO(body)).namelist()
                if len(names) != len({n.casefold() for n in names}):
                    failures.append(f"{where}: duplicate entries in the redline")
    total = time.perf_counter() - started
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    with capsys.disabled():
        print(f"\n.docx fuzz: {cases} cases x {len(ROUTES)} routes = {cases * len(ROUTES)} requests in {total:.1f} s; "
              f"kinds {dict(kinds)}")
        print(f"  seconds per kind { {k: round(v, 1) for k, v in seconds.items()} }; largest upload {biggest_upload} bytes")
        for route in ROUTES:
            print(f"  {route}: statuses {dict(sorted(statuses[route].items()))}")
        print(f"  error codes {dict(codes.most_common())}")
        print(f"  slowest request {slowest:.3f} s; largest response {biggest} bytes; "
              f"peak RSS growth {rss_growth // 1024} MiB; failures {len(failures)}")
    assert cases >= 1000
    assert not failures, "\n".join(failures[:30])
    assert rss_growth < MAX_RSS_GROWTH_KB, f"peak memory grew by {rss_growth // 1024} MiB"
