"""gettext PO files for translators (polib: the only module that imports it).

One entry per unit: ``msgctxt`` is the unit's key (``collection.definition``),
``msgid`` the source text, ``msgstr`` the translation. The section title and the
glossary terms are extracted comments (``#.``), the source file and line a
reference (``#:``). A stale entry is ``fuzzy`` and carries the source it was
translated from as ``#| msgid`` (gettext's previous-msgid convention), so a
translator's tool shows what changed.
"""

from __future__ import annotations

import datetime as dt

from policykit.diagnostics import Pos, error
from policykit.errors import InvalidPolicy
from policykit.i18n.catalog import like_source
from policykit.i18n.exchange import Exchange, Incoming, Outgoing


def export_po(document: str, source_locale: str, tag: str, items: list[Outgoing],
              revised: dt.date | None = None) -> str:
    """The PO file for ``items``; same inputs, same bytes (``revised`` is the date the header shows:
    the policy's ``last_updated``, not the clock, so an export is reproducible)."""
    import polib

    po = polib.POFile(wrapwidth=78)
    po.metadata = {
        "Project-Id-Version": document,
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": f"{revised.isoformat()} 00:00+0000" if revised else "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": tag.replace("-", "_"),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": source_locale,
        "X-Generator": "policyctl i18n export",
    }
    po.header = (f"Translation of {document} into {tag}, from {source_locale}.\n"
                 "Import it with `policyctl i18n import FILE`. Fuzzy entries are not imported:\n"
                 "the source changed since they were translated (#| shows the old source).")
    for item in items:
        unit = item.unit
        comments = [f"Section: {unit.context}" if unit.section else "Document"]
        comments += [f"Glossary: {hint}" for hint in item.glossary]
        entry = polib.POEntry(
            msgctxt=unit.key,
            msgid=unit.source,
            msgstr=like_source(unit.translated.text, unit.source) if unit.translated else "",
            comment="\n".join(comments),
            occurrences=[(unit.source_file, str(unit.source_pos.line))] if unit.source_pos.line else [],
        )
        if unit.state == "stale":
            entry.flags.append("fuzzy")
            if item.previous is not None:
                entry.previous_msgctxt = unit.key
                entry.previous_msgid = item.previous
            else:
                entry.comment += "\nStale: the source changed since this was translated."
        po.append(entry)
    return str(po)


def _msgstr_line(lines: list[str], start: int) -> int:
    """The 1-based line of the ``msgstr`` of the entry that starts at line ``start``."""
    for n in range(max(start, 1) - 1, len(lines)):
        if lines[n].startswith("msgstr"):
            return n + 1
    return start


def read_po(text: str, name: str) -> Exchange:
    """Parse a PO file; syntax errors become ``file:line`` diagnostics."""
    import polib

    try:
        po = polib.pofile(text)
    except (OSError, ValueError) as exc:
        raise InvalidPolicy([error(Pos(name, _line_of(str(exc)), 1), f"not a valid PO file: {exc}",
                                   "i18n.syntax")]) from None
    lines = text.splitlines()
    entries = []
    for entry in po:
        if entry.obsolete:
            continue
        pos = Pos(name, _msgstr_line(lines, entry.linenum), 1)
        entries.append(Incoming(entry.msgctxt or "", entry.msgid, entry.msgstr, "fuzzy" not in entry.flags, pos))
    tag = po.metadata.get("Language", "").replace("_", "-")
    header = Pos(name, 1, 1)
    if not tag:
        raise InvalidPolicy([error(header, "the PO header has no `Language:`; which locale is this?", "i18n.language")])
    return Exchange(tag, po.metadata.get("Project-Id-Version", ""), tuple(entries), header)


def _line_of(message: str) -> int:
    import re

    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 1
