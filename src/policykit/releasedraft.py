"""The editor's part of a release (``policyctl release --summary-file``): the summary per locale,
``pending`` where a translation is still to come, and any overrides of the classification."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policykit import yamlio
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy

if TYPE_CHECKING:
    from policykit.compare.classify import Override as ClassifyOverride


PENDING = "pending"


@dataclass(frozen=True)
class Draft:
    """The editor's part of a release (``--summary-file``): the summary per locale and any overrides."""

    summary: dict[str, str | None] = field(default_factory=dict)  # None: translation pending
    overrides: tuple[ClassifyOverride, ...] = ()
    file: str = ""


def read_draft(data: bytes, name: str) -> Draft:
    """Parse a release draft::

        summary:
          en: |
            What changes for users …
          ja: pending          # or null: the translation will follow
        overrides:
          - path: collection.definition
            level: editorial
            justification: Only the spelling changed; the meaning is the same.

    A file with only text (no ``summary:`` key) is the source-locale summary.
    """
    from policykit.compare.classify import Override as ClassifyOverride

    raw = yamlio.parse(data, name)
    if isinstance(raw, str):
        return Draft(summary={"": raw}, file=name)
    problems: list[Diagnostic] = []
    if not isinstance(raw, yamlio.LMap):
        raise InvalidPolicy([error(Pos(name, 1, 1), "a release draft is a mapping with `summary` "
                                   "(and optional `overrides`)", "release.draft")])
    for key in raw:
        if key not in ("summary", "overrides"):
            problems.append(error(raw.key_pos[key], f"unknown key {key!r} in a release draft "
                                  "(summary, overrides)", "release.draft"))
    summary: dict[str, str | None] = {}
    s = raw.get("summary")
    if isinstance(s, str):
        summary[""] = s
    elif isinstance(s, yamlio.LMap):
        for tag, text in s.items():
            if text is None or text == PENDING:
                summary[tag] = None
            elif isinstance(text, str) and text.strip():
                summary[tag] = text.strip() + "\n"
            else:
                problems.append(error(s.where(tag), f"summary for {tag!r} must be text, or `pending`",
                                      "release.draft"))
    elif s is not None:
        problems.append(error(raw.where("summary"), "summary must map locales to text", "release.draft"))
    overrides = []
    items = raw.get("overrides") or []
    for item, pos in zip(items, getattr(items, "item_pos", []), strict=False):
        if not isinstance(item, yamlio.LMap) or not isinstance(item.get("path"), str) \
                or not isinstance(item.get("level"), str):
            problems.append(error(pos, "an override needs `path`, `level` and `justification`", "release.draft"))
            continue
        unknown = sorted(set(item) - {"path", "level", "justification", "kind", "by"})
        if unknown:
            problems.append(error(item.key_pos[unknown[0]], f"unknown key {unknown[0]!r} in an override "
                                  "(path, level, justification, kind, by)", "release.draft"))
        overrides.append(ClassifyOverride(path=item["path"], level=item["level"],
                                          justification=str(item.get("justification") or ""),
                                          kind=str(item.get("kind") or ""), by=str(item.get("by") or ""),
                                          pos=item.pos))
    if problems:
        raise InvalidPolicy(problems)
    return Draft(summary=summary, overrides=tuple(overrides), file=name)
