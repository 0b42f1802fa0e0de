"""XLIFF 1.2 files for translators' tools.

Why 1.2 and not 2.x: the translation tools here read and write 1.2 —
translate-toolkit (``po2xliff``/``xliff2po``/``pofilter``, and so Weblate and
Pootle), Okapi/OmegaT and Poedit all take 1.2; translate-toolkit has no XLIFF 2
support at all. 1.2 also has what a legal text needs: ``state`` per target
(``needs-review-translation`` for a stale one) and ``<alt-trans
alttranstype="previous-version">`` to show the source a stale translation was made
from.

Layout: one ``<file>`` per export, one ``<group>`` per section (its title as a
note), one ``<trans-unit>`` per unit: ``id`` and ``resname`` are the unit key,
``<source>`` the source text, ``<target>`` the translation. Current translations
are ``state="translated" approved="yes"``; stale ones ``needs-review-translation``.

Reading uses expat with line numbers (errors point at ``file:line``) and refuses a
DOCTYPE, so no entity tricks; elements of other namespaces (a tool's extensions)
are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from policykit.diagnostics import Pos, error
from policykit.errors import InvalidPolicy
from policykit.i18n.catalog import like_source
from policykit.i18n.exchange import Exchange, Incoming, Outgoing

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# A target in one of these states is not taken on import (a translator has not confirmed it).
_UNCONFIRMED = ("new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation",
                "needs-review-adaptation", "needs-review-l10n")


def _text(value: str) -> str:
    return escape(value)


def export_xliff(document: str, source_locale: str, tag: str, items: list[Outgoing]) -> str:
    """The XLIFF 1.2 document for ``items``; same inputs, same bytes."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xliff version="1.2" xmlns="{NS}">',
        f"  <file original={quoteattr(document)} source-language={quoteattr(source_locale)} "
        f'target-language={quoteattr(tag)} datatype="plaintext">',
        "    <body>",
    ]
    group = None
    for item in items:
        unit = item.unit
        if unit.section != group:
            if group is not None:
                out.append("      </group>")
            group = unit.section
            name = f"_{group}" if group else "_document"
            out.append(f"      <group id={quoteattr(name)} resname={quoteattr(group or 'document')}>")
            out.append(f"        <note from=\"policyctl\">{_text('Section: ' + unit.context if group else 'Document')}"
                       "</note>")
        key = quoteattr(unit.key)
        state = unit.state
        out.append(f'        <trans-unit id={key} resname={key} xml:space="preserve"'
                   + (' approved="yes"' if state == "translated" else "") + ">")
        out.append(f"          <source xml:lang={quoteattr(source_locale)}>{_text(unit.source)}</source>")
        if unit.translated is not None:
            target_state = "translated" if state == "translated" else "needs-review-translation"
            text = like_source(unit.translated.text, unit.source)
            out.append(f"          <target xml:lang={quoteattr(tag)} state=\"{target_state}\">{_text(text)}</target>")
        for hint in item.glossary:
            out.append(f'          <note from="glossary">{_text(hint)}</note>')
        if state == "stale":
            if item.previous is not None and unit.translated is not None:
                out.append('          <alt-trans alttranstype="previous-version">')
                out.append(f"            <source xml:lang={quoteattr(source_locale)}>{_text(item.previous)}</source>")
                out.append(f"            <target xml:lang={quoteattr(tag)}>"
                           f"{_text(like_source(unit.translated.text, item.previous))}</target>")
                out.append("          </alt-trans>")
            else:
                out.append('          <note from="policyctl">Stale: the source changed since this was translated.'
                           "</note>")
        if unit.source_pos.line:
            out.append('          <context-group purpose="location">')
            out.append(f'            <context context-type="sourcefile">{_text(unit.source_file)}</context>')
            out.append(f'            <context context-type="linenumber">{unit.source_pos.line}</context>')
            out.append("          </context-group>")
        out.append("        </trans-unit>")
    if group is not None:
        out.append("      </group>")
    out += ["    </body>", "  </file>", "</xliff>", ""]
    return "\n".join(out)


@dataclass
class _Element:
    tag: str  # local name in the XLIFF namespace; "" for any other namespace
    attrs: dict[str, str]
    line: int
    col: int
    parts: list[str | _Element] = field(default_factory=list)

    def children(self, tag: str) -> list[_Element]:
        return [p for p in self.parts if isinstance(p, _Element) and p.tag == tag]

    def child(self, tag: str) -> _Element | None:
        found = self.children(tag)
        return found[0] if found else None


def _parse(data: bytes, name: str) -> _Element:
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[_Element] = []
    root: list[_Element] = []

    def where() -> Pos:
        return Pos(name, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def start(tag: str, attrs: dict[str, str]) -> None:
        ns, _, local = tag.rpartition(" ")
        plain = {k.rpartition(" ")[2] if k.startswith(XML_NS) or " " not in k else k: v for k, v in attrs.items()}
        el = _Element(local if ns == NS else "", plain, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        if stack:
            stack[-1].parts.append(el)
        else:
            root.append(el)
        stack.append(el)

    def end(tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].parts.append(text)

    def doctype(*args: object) -> None:
        raise InvalidPolicy([error(where(), "a DOCTYPE is not allowed in an XLIFF file", "i18n.xml")])

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise InvalidPolicy([error(Pos(name, exc.lineno, exc.offset + 1),
                                   f"not well-formed XML: {expat.errors.messages[exc.code]}", "i18n.syntax")]) from None
    if not root or root[0].tag != "xliff":
        raise InvalidPolicy([error(Pos(name, 1, 1), f"not an XLIFF 1.2 file (the root must be <xliff xmlns=\"{NS}\">)",
                                   "i18n.xliff")])
    return root[0]


def _content(el: _Element, name: str) -> str:
    """The text of ``<source>``/``<target>``; inline XLIFF markup is refused (the text is Markdown)."""
    out = []
    for part in el.parts:
        if isinstance(part, _Element):
            raise InvalidPolicy([error(Pos(name, part.line, part.col), "inline XLIFF markup is not supported here: "
                                       "the text is Markdown, write it as plain text", "i18n.xliff")])
        out.append(part)
    return "".join(out)


def read_xliff(data: bytes, name: str) -> Exchange:
    """Parse an XLIFF 1.2 file into entries (with ``file:line:col`` of each target)."""
    root = _parse(data, name)
    if root.attrs.get("version") != "1.2":
        raise InvalidPolicy([error(Pos(name, root.line, root.col),
                                   f"XLIFF version {root.attrs.get('version')!r}: policyctl reads XLIFF 1.2",
                                   "i18n.xliff")])
    files = root.children("file")
    if len(files) != 1:
        raise InvalidPolicy([error(Pos(name, root.line, root.col), f"expected one <file>, found {len(files)}",
                                   "i18n.xliff")])
    file_el = files[0]
    tag = file_el.attrs.get("target-language", "")
    if not tag:
        raise InvalidPolicy([error(Pos(name, file_el.line, file_el.col), "<file> has no target-language",
                                   "i18n.language")])
    entries = []
    for unit in _units(file_el):
        source_el, target_el = unit.child("source"), unit.child("target")
        key = unit.attrs.get("resname") or unit.attrs.get("id", "")
        source = _content(source_el, name) if source_el is not None else None
        text = _content(target_el, name) if target_el is not None else ""
        state = target_el.attrs.get("state", "") if target_el is not None else ""
        confirmed = state not in _UNCONFIRMED and (state != "" or unit.attrs.get("approved") == "yes")
        at = target_el or unit
        entries.append(Incoming(key, source, text, confirmed, Pos(name, at.line, at.col)))
    return Exchange(tag, file_el.attrs.get("original", ""), tuple(entries), Pos(name, file_el.line, file_el.col))


def _units(el: _Element) -> list[_Element]:
    out = []
    for part in el.parts:
        if isinstance(part, _Element):
            if part.tag == "trans-unit":
                out.append(part)
            elif part.tag in ("body", "group"):
                out.extend(_units(part))
    return out
