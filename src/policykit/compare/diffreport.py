"""A classified diff of two versions, and its output formats (text, markdown, json, html).

:func:`compare` is what ``policyctl diff`` does, as a library call. Each output
format is a function ``(Report, color) -> str`` in ``FORMATS``; adding a format
is one function and one registry line. The JSON follows
``schemas/diff.schema.json``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykit.compare import prose
from policykit.compare.diff import LEVELS, Change, Localised, at_least, diff_policies, level_of
from policykit.model import Policy, Section
from policykit.versions import WORKTREE, LoadedVersion, default_base, load_version, open_repository

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Report:
    before: LoadedVersion
    after: LoadedVersion
    changes: tuple[Change, ...]
    locale: str = ""

    @property
    def level(self) -> str:
        return level_of(self.changes)

    def count(self, level: str) -> int:
        return sum(c.level == level for c in self.changes)

    @property
    def consent(self) -> list[Change]:
        return [c for c in self.changes if c.consent]

    @property
    def undecided(self) -> list[Change]:
        """Changes no rule explains: a person decides each before release (it counts as significant until then)."""
        return [c for c in self.changes if c.level == "review"]

    @property
    def notes(self) -> list[str]:
        """What to do before ``after`` can be released, when ``before`` is the release it follows."""
        if self.before.release is None:
            return []
        from policykit.release import last_updated_problem

        problem = last_updated_problem(self.before.policy, self.after.policy, self.level, self.before.release)
        return [f"{problem}; move it on before releasing"] if problem else []

    def fails(self, threshold: str | None) -> bool:
        return threshold is not None and at_least(self.level, threshold)

    def to_json(self) -> dict[str, Any]:
        def side(v: LoadedVersion) -> dict[str, Any]:
            return {"revision": v.revision, "commit": v.commit, "release": v.release}

        notes = self.notes
        return {
            "schema": SCHEMA_VERSION,
            "document": self.after.policy.document,
            "from": side(self.before),
            "to": side(self.after),
            "locale": self.locale or self.after.policy.source_locale,
            "level": self.level,
            "counts": {level: self.count(level) for level in reversed(LEVELS)},
            "consent": any(c.consent for c in self.changes),
            "changes": [c.to_json() for c in self.changes],
            **({"notes": notes} if notes else {}),
        }


def compare(root: Path, a: str | None = None, b: str | None = None, *, locale: str | None = None,
            rules: Any = None) -> Report:
    """Load versions ``a`` (default: latest release, else HEAD) and ``b`` (default: WORKTREE); diff and classify."""
    from policykit.compare.classify import classify, load_rules

    a, b = a or default_base(root), b or WORKTREE
    repo = open_repository(root) if WORKTREE not in (a, b) or a != b else None  # one repository for both
    va = load_version(root, a, repo=repo)
    vb = load_version(root, b, repo=repo)
    if locale and locale != vb.policy.source_locale and locale not in vb.policy.all_locales:
        from policykit.errors import UsageError

        raise UsageError(f"--locale {locale}: not a locale of this policy "
                         f"(it has {', '.join(vb.policy.all_locales)})")
    # Every translation's own changes count (a translation that now says something else is a change readers
    # of that language meet); --locale keeps only that language's.
    tags = (locale,) if locale else tuple(sorted((set(va.policy.translations) | set(vb.policy.translations))
                                                 - {vb.policy.source_locale}))
    changes = classify(diff_policies(va.policy, vb.policy, locales=tags), rules or load_rules(root),
                       before=va.policy, after=vb.policy)
    return Report(va, vb, tuple(changes), locale or "")


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    return FORMATS[fmt](report, color)


# -- helpers -------------------------------------------------------------------
def _ordered(report: Report) -> list[tuple[str, list[Change]]]:
    """Changes grouped by section (document metadata first), groups with the highest level first."""
    groups: dict[str, list[Change]] = {}
    for c in report.changes:
        groups.setdefault(c.section or "", []).append(c)

    def rank(c: Change) -> int:
        return -LEVELS.index(c.level) if c.level in LEVELS else 1

    out = [(k, sorted(v, key=rank)) for k, v in groups.items()]
    return sorted(out, key=lambda kv: min(rank(c) for c in kv[1]))


def _section_title(report: Report, sid: str) -> str:
    if not sid:
        return "Document"
    for policy in (report.after.policy, report.before.policy):
        section = policy.section(sid)
        if section is not None:
            return f"{sid} — {Localised(policy, report.locale).title(section)}"
    return sid


def _is_text(c: Change) -> bool:
    return isinstance(c.before, (str, type(None))) and isinstance(c.after, (str, type(None))) and (
        c.kind in ("text-changed", "retitled") or (c.target == "block" and c.kind in ("added", "removed"))
        or bool(c.locale))


def _trimmed(segments: list[prose.Segment], context: int = 40) -> Iterator[prose.Segment]:
    """Long unchanged stretches shortened to their ends."""
    for i, (op, text) in enumerate(segments):
        if op == "=" and len(text) > 2 * context + 3:
            head = text[:context] if i > 0 else ""
            tail = text[-context:] if i < len(segments) - 1 else ""
            # Only the ellipsis side is trimmed: the space next to an edit stays ("use [-a-]{+b+} more").
            yield op, (head.rstrip() + " …" if head else "…") + (" " + tail.lstrip() if tail else "")
        else:
            yield op, text


_LEVEL_COLOR = {"significant": "1;31", "review": "1;35", "minor": "33", "editorial": "2"}
DECIDE = ("a person must decide: no rule explains {n} change(s); until then they count as significant "
          "(record the decision in the release draft: `overrides:` with level, justification and by)")


def _text(report: Report, color: bool) -> str:
    def paint(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color and text else text

    before, after = report.before.label, report.after.label
    counts = ", ".join(f"{report.count(lv)} {lv}" for lv in reversed(LEVELS) if report.count(lv))
    lines = [f"{report.after.policy.document}: {before} → {after}"
             + (f" [{report.locale}]" if report.locale else ""),
             f"level: {paint(_LEVEL_COLOR.get(report.level, '0'), report.level.upper())}"
             + (f" ({counts})" if counts else " (no changes)")]
    if report.consent:
        lines.append(paint("1;31", f"fresh consent needed: {len(report.consent)} change(s)"))
    if report.undecided:
        lines.append(paint("1;35", DECIDE.format(n=len(report.undecided))))
    lines += [paint("33", f"before release: {note}") for note in report.notes]
    for sid, changes in _ordered(report):
        lines += ["", paint("1", _section_title(report, sid))]
        for c in changes:
            where = f" [{c.locale}]" if c.locale else ""
            lines.append(f"  {paint(_LEVEL_COLOR.get(c.level, '0'), c.level.ljust(11))} {c.path}{where}  "
                         f"{c.kind}")
            filed = f"{c.category}: " if c.category and not c.rule.startswith(c.category + ".") else ""
            lines.append(f"    {c.reason} [{filed}{c.rule}]")
            if c.citation:
                lines.append(paint("2", f"    {c.citation}"))
            if c.consent:
                # The deciding rule's own citation is printed above; a ground of data/consent.yaml is not.
                ground = "" if c.consent_basis.startswith("rule ") else c.consent_basis
                lines.append(paint("1;31", "    needs fresh consent" + (f": {ground}" if ground else "")))
            if c.justification:
                lines.append(f"    overridden from {c.classified_as}: {c.justification}")
            if _is_text(c) and c.kind != "moved":
                diff = "".join(
                    text if op == "=" else paint("31", f"[-{text}-]") if op == "-" else paint("32", f"{{+{text}+}}")
                    for op, text in _trimmed(prose.word_diff(c.before or "", c.after or "")))
                lines.extend("    │ " + line for line in diff.strip().splitlines())
    return "\n".join(lines)


def _md(text: str) -> str:
    return html.escape(text).replace("|", "\\|").replace("\n", "<br>")


def _markdown(report: Report, color: bool) -> str:
    icon = {"significant": "🔴", "review": "🟣", "minor": "🟡", "editorial": "⚪", "none": "✅"}
    lines = [f"### Privacy policy diff: `{report.before.label}` → `{report.after.label}`"
             + (f" ({report.locale})" if report.locale else ""), "",
             f"**Level: {icon.get(report.level, '')} {report.level}**", "",
             "| level | changes |", "|---|---:|"]
    lines += [f"| {icon[lv]} {lv} | {report.count(lv)} |" for lv in reversed(LEVELS)]
    if report.consent:
        lines += ["", f"> **Fresh consent needed** for {len(report.consent)} change(s): "
                  + ", ".join(f"`{c.path}`" for c in report.consent)]
    if report.undecided:
        lines += ["", f"> **A person must decide** {len(report.undecided)} change(s) no rule explains; they count "
                  "as significant until the decision is recorded (release draft: `overrides:` with level, "
                  "justification and `by`): " + ", ".join(f"`{c.path}`" for c in report.undecided)]
    lines += ["", *(f"> **Before release:** {_md(note)}" for note in report.notes)] if report.notes else []
    if not report.changes:
        lines += ["", "No changes."]
        return "\n".join(lines) + "\n"
    lines += ["", "#### Changes", "", "| level | where | change | reason | rule |", "|---|---|---|---|---|"]
    for _sid, changes in _ordered(report):
        for c in changes:
            reason = _md(c.reason) + (f"<br><sub>{_md(c.citation)}</sub>" if c.citation else "")
            if c.justification:
                reason += f"<br>*overridden from {c.classified_as}:* {_md(c.justification)}"
            where = f"`{c.path}`" + (f" [{c.locale}]" if c.locale else "")
            lines.append(f"| {icon.get(c.level, '')} {c.level} | {where} | {c.kind} | {reason} | `{c.rule}` |")
    redlines = [c for c in report.changes if _is_text(c) and c.level != "editorial"]
    if redlines:
        lines += ["", "<details><summary>Redline</summary>", ""]
        for c in redlines:
            lines += [f"**`{c.path}`**" + (f" [{c.locale}]" if c.locale else ""), "",
                      "> " + _html_diff(c.before or "", c.after or "").replace("\n", "<br>"), ""]
        lines.append("</details>")
    return "\n".join(lines) + "\n"


def _json(report: Report, color: bool) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)


def _html_diff(before: str, after: str) -> str:
    out = []
    for op, text in prose.word_diff(before, after):
        t = html.escape(text)
        out.append(t if op == "=" else f"<del>{t}</del>" if op == "-" else f"<ins>{t}</ins>")
    return "".join(out)


_CSS = """body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}
ins{background:#d4f7d4;text-decoration:none}del{background:#fbd4d4}
.block{white-space:pre-wrap;margin:.75rem 0}.added{border-left:4px solid #2a2}.removed{border-left:4px solid #c22}
.significant{color:#b00;font-weight:bold}.review{color:#808;font-weight:bold}.minor{color:#a60}.editorial{color:#666}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}"""


def _html(report: Report, color: bool) -> str:
    a, b = report.before.policy, report.after.policy
    tag = report.locale or b.source_locale
    la, lb = Localised(a, report.locale), Localised(b, report.locale)
    e = html.escape
    rows = "".join(f'<tr><td class="{e(c.level)}">{e(c.level)}</td><td><a href="#{e(c.section or "")}">'
                   f"{e(c.path)}</a></td><td>{e(c.kind)}</td><td>{e(c.reason)}</td></tr>"
                   for _sid, changes in _ordered(report) for c in changes)
    parts = [f'<!doctype html>\n<html lang="{e(tag)}"><head><meta charset="utf-8">',
             f"<title>{e(_doc_title(b, report.locale))}: {e(report.before.label)} → {e(report.after.label)}</title>",
             f"<style>{_CSS}</style></head><body>",
             f"<header><h1>{_html_diff(_doc_title(a, report.locale), _doc_title(b, report.locale))}</h1>",
             f"<p>{e(report.before.label)} → {e(report.after.label)}: "
             f'<span class="{e(report.level)}">{e(report.level)}</span></p>',
             *(f'<p class="note">Before release: {e(note)}</p>' for note in report.notes),
             f"<table><tr><th>level</th><th>where</th><th>change</th><th>reason</th></tr>{rows}</table></header>",
             "<main>"]
    sb = {s.id: s for s in b.sections}
    order = [s for s in b.sections] + [s for s in a.sections if s.id not in sb]
    for section in order:
        old, new = a.section(section.id), b.section(section.id)
        cls = "added" if old is None else "removed" if new is None else ""
        title = _html_diff(la.title(old) if old else "", lb.title(new) if new else "")
        parts.append(f'<section id="{e(section.id)}" class="{cls}"><h2>{title}</h2>')
        parts.extend(_html_blocks(old, new, la, lb, a, b))
        parts.append("</section>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def _doc_title(policy: Policy, locale: str) -> str:
    lt = policy.translations.get(locale)
    return lt.title.text if lt and lt.title else policy.title


def _html_blocks(old: Section | None, new: Section | None, la: Localised, lb: Localised,
                 a: Policy, b: Policy) -> Iterator[str]:
    e = html.escape
    blocks_b = list(new.blocks) if new else []
    ids_b = {x.id for x in blocks_b}
    blocks = blocks_b + [x for x in (old.blocks if old else ()) if x.id not in ids_b]
    for blk in blocks:
        before = old.block(blk.id) if old else None
        after = new.block(blk.id) if new else None
        cls = "added" if before is None else "removed" if after is None else ""
        sid = (new or old).id  # type: ignore[union-attr]
        if blk.list is not None:
            items_a = {f.id: f for f in (old.facts.get(blk.list, ()) if old else ())}
            items_b = {f.id: f for f in (new.facts.get(blk.list, ()) if new else ())}
            lis = []
            for fid in [*items_b, *(i for i in items_a if i not in items_b)]:
                fa, fb = items_a.get(fid), items_b.get(fid)
                text = _html_diff(la.label(fa) if fa else "", lb.label(fb) if fb else "")
                lis.append(f"<li>{text}</li>")
            yield f'<ul class="block {cls}" id="{e(sid)}.{e(blk.id)}">{"".join(lis)}</ul>'
            continue
        ta = la.block(old, before) if old and before else ""
        tb = lb.block(new, after) if new and after else ""
        yield f'<div class="block {cls}" id="{e(sid)}.{e(blk.id)}">{_html_diff(ta, tb)}</div>'


FORMATS: dict[str, Callable[[Report, bool], str]] = {
    "text": _text,
    "markdown": _markdown,
    "json": _json,
    "html": _html,
}
