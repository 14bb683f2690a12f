"""Offline checks of the add-in manifest (the Office validator needs a Microsoft web service)."""

from __future__ import annotations

import importlib.util
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_DIR = ROOT / "manifest"
TASKPANE = ROOT / "taskpane"

NS = {
    "o": "http://schemas.microsoft.com/office/appforoffice/1.1",
    "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
    "ov": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XSI_TYPE = f"{{{NS['xsi']}}}type"

# The documented order of OfficeApp's children (../shared/docs/word-and-docx-notes.md).
ORDER = [
    "Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description",
    "IconUrl", "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts", "Requirements",
    "DefaultSettings", "Permissions", "Dictionary", "VersionOverrides", "ExtendedOverrides",
]
REQUIRED = ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description",
            "IconUrl", "HighResolutionIconUrl", "SupportUrl", "Hosts", "Requirements",
            "DefaultSettings", "Permissions", "VersionOverrides"]


def _load_build():
    spec = importlib.util.spec_from_file_location("manifest_build", MANIFEST_DIR / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


build = _load_build()


def _parse(base="https://localhost:3000"):
    return etree.fromstring(build.render(base).encode("utf-8"))


def _local(el):
    return etree.QName(el).localname


def _urls(root):
    """Every URL-valued attribute or text in the manifest, with where it was found."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr, value in el.attrib.items():
            if attr == "DefaultValue" and re.match(r"^[a-z]+://", value):
                found.append((_local(el), value))
        if _local(el) == "AppDomain" or (el.text and re.match(r"^\s*[a-z]+://", el.text)):
            found.append((_local(el), el.text.strip()))
    return found


@pytest.fixture(scope="module")
def root():
    return _parse()


def test_well_formed_and_task_pane_app(root):
    assert _local(root) == "OfficeApp"
    assert root.get(XSI_TYPE) == "TaskPaneApp"


def test_top_level_elements_in_documented_order(root):
    names = [_local(el) for el in root if isinstance(el.tag, str)]
    unknown = [n for n in names if n not in ORDER]
    assert not unknown, f"unexpected top-level elements {unknown}"
    assert names == sorted(names, key=ORDER.index), f"out of order: {names}"
    assert len(names) == len(set(names)), "a top-level element appears twice"
    for name in REQUIRED:
        assert name in names, f"missing required element {name}"


def test_id_is_a_guid(root):
    guid = root.find("o:Id", NS).text.strip()
    assert str(uuid.UUID(guid)) == guid.lower()


def test_host_document_requires_wordapi_1_4(root):
    hosts = root.findall("o:Hosts/o:Host", NS)
    assert [h.get("Name") for h in hosts] == ["Document"]
    sets = root.findall("o:Requirements/o:Sets/o:Set", NS)
    assert [(s.get("Name"), s.get("MinVersion")) for s in sets] == [("WordApi", "1.4")]
    assert root.find("o:Permissions", NS).text.strip() == "ReadWriteDocument"


def test_home_tab_button_opens_the_task_pane(root):
    vo = root.find("ov:VersionOverrides", NS)
    assert vo is not None and vo.get(XSI_TYPE) == "VersionOverridesV1_0"
    host = vo.find("ov:Hosts/ov:Host", NS)
    assert host.get(XSI_TYPE) == "Document"
    tab = host.find("ov:DesktopFormFactor/ov:ExtensionPoint/ov:OfficeTab", NS)
    assert tab.get("id") == "TabHome"
    control = tab.find("ov:Group/ov:Control", NS)
    assert control.get(XSI_TYPE) == "Button"
    action = control.find("ov:Action", NS)
    assert action.get(XSI_TYPE) == "ShowTaskpane"
    resid = action.find("ov:SourceLocation", NS).get("resid")
    url = vo.find(f"ov:Resources/bt:Urls/bt:Url[@id='{resid}']", NS).get("DefaultValue")
    assert url == "https://localhost:3000/taskpane/taskpane.html"


def test_ids_unique_and_every_resid_resolves(root):
    ids = [el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted(i for i in ids if ids.count(i) > 1)}"
    resources = {el.get("id") for el in root.find("ov:VersionOverrides/ov:Resources", NS).iter()
                 if isinstance(el.tag, str) and el.get("id")}
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("resid"):
            assert el.get("resid") in resources, f"unresolved resid {el.get('resid')}"
    # short strings: Office limits them to 125 characters, long strings to 250
    for s in root.findall(".//bt:ShortStrings/bt:String", NS):
        assert len(s.get("DefaultValue")) <= 125
    for s in root.findall(".//bt:LongStrings/bt:String", NS):
        assert len(s.get("DefaultValue")) <= 250


def test_icons_named_at_each_size_and_real_pngs(root):
    sizes = {}
    for img in root.findall(".//bt:Images/bt:Image", NS):
        path = TASKPANE / urlsplit(img.get("DefaultValue")).path.removeprefix("/taskpane/")
        sizes[img.get("id")] = path
    for img in root.iter(f"{{{NS['bt']}}}Image"):
        if img.get("size"):
            path = sizes[img.get("resid")]
            data = path.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n", path
            width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
            assert (width, height) == (int(img.get("size")),) * 2, f"{path} is {width}x{height}"
    for el, size in (("IconUrl", 32), ("HighResolutionIconUrl", 64)):
        path = TASKPANE / urlsplit(root.find(f"o:{el}", NS).get("DefaultValue")).path.removeprefix("/taskpane/")
        data = path.read_bytes()
        assert int.from_bytes(data[16:20], "big") == size


def test_every_url_https_and_served_by_the_pane(root):
    urls = _urls(root)
    assert len(urls) >= 8
    for where, url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https", f"{where}: {url} is not HTTPS"
        assert parts.netloc == "localhost:3000", f"{where}: {url} is not our server"
        if where == "AppDomain":
            continue
        assert parts.path.startswith("/taskpane/"), f"{where}: {url} is not under /taskpane/"
        file = TASKPANE / parts.path.removeprefix("/taskpane/")
        assert file.is_file(), f"{where}: {url} names {file}, which does not exist"


def test_build_for_another_url_and_rejects_http(tmp_path):
    out = tmp_path / "m.xml"
    assert build.main(["https://review.example.com/", "--out", str(out)]) == 0
    text = out.read_text()
    assert "{{" not in text and "localhost" not in text
    root = etree.fromstring(text.encode())
    for where, url in _urls(root):
        assert url.startswith("https://review.example.com"), (where, url)
    assert build.main(["http://review.example.com", "--out", str(out)]) == 2
    with pytest.raises(ValueError):
        build.normalise_base_url("https://")


def test_default_build_writes_manifest_build_dir(tmp_path):
    out = tmp_path / "default.xml"
    assert build.main(["--out", str(out)]) == 0
    assert 'DefaultValue="https://localhost:3000/taskpane/taskpane.html"' in out.read_text()
