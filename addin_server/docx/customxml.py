"""Custom XML parts: data a program keeps inside a .docx, next to the document and travelling with it.

Word keeps each part as ``customXml/itemN.xml`` with a properties part (``itemPropsN.xml``: its id
and the namespace of its schema), related from the main document. Office.js reaches the same parts
through ``document.customXmlParts`` (``getByNamespaceAsync``); LibreOffice keeps them when it saves.
A part is found by the namespace of its root element, so a program reads back its own part and
leaves every other one as it was.
"""

from __future__ import annotations

import posixpath
import re
import uuid

from lxml import etree

from .errors import DocxError
from .ooxml import PKG_REL_NS
from .package import DocxPackage

REL_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
REL_CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
DS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"

_ITEM = re.compile(r"^customXml/item(\d+)\.xml$")


def item_parts(pkg: DocxPackage) -> list[str]:
    """The package's custom XML data parts, in item order."""
    found = [(int(mo.group(1)), name) for name in pkg.names if (mo := _ITEM.match(name))]
    return [name for _, name in sorted(found)]


def root_namespace(pkg: DocxPackage, part: str) -> str | None:
    """The namespace of the part's root element; None when the part is not XML we can read."""
    try:
        return etree.QName(pkg.xml(part).getroot()).namespace
    except DocxError:
        return None


def find_part(pkg: DocxPackage, namespace: str) -> str | None:
    """The first custom XML part whose root element is in ``namespace``."""
    for part in item_parts(pkg):
        if root_namespace(pkg, part) == namespace:
            return part
    return None


def read_part(pkg: DocxPackage, namespace: str) -> bytes | None:
    part = find_part(pkg, namespace)
    return pkg.read(part) if part else None


def new_item_number(pkg: DocxPackage) -> int:
    used = {int(mo.group(1)) for name in pkg.names if (mo := _ITEM.match(name))}
    n = 1
    while n in used:
        n += 1
    return n


def item_props(namespace: str) -> bytes:
    """``itemPropsN.xml`` for a new part: a fresh id and the schema namespace Office.js looks up."""
    root = etree.Element(f"{{{DS_NS}}}datastoreItem", nsmap={"ds": DS_NS})
    root.set(f"{{{DS_NS}}}itemID", "{" + str(uuid.uuid4()).upper() + "}")
    refs = etree.SubElement(root, f"{{{DS_NS}}}schemaRefs")
    ref = etree.SubElement(refs, f"{{{DS_NS}}}schemaRef")
    ref.set(f"{{{DS_NS}}}uri", namespace)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False)


def item_rels(n: int) -> bytes:
    root = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
    rel = etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship")
    rel.set("Id", "rId1")
    rel.set("Type", REL_CUSTOM_XML_PROPS)
    rel.set("Target", f"itemProps{n}.xml")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def target_from_main(pkg: DocxPackage, part: str) -> str:
    """The relationship target of ``part`` as the main document's rels spell it."""
    return posixpath.relpath(part, posixpath.dirname(pkg.main_part))
