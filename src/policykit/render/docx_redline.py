"""``diff A B --format docx``: version B as Word, every text change from A as a tracked change.

What counsel reviews in Word or LibreOffice: inserted and deleted words are real revisions
(accept or reject each), and each changed block, heading or fact table has a comment that
gives every change's level, kind, path, reason and rule (and its legal citation). Accepting
every revision gives B's text; rejecting every one gives A's. Changes that are not text
(fact attributes, metadata, moves) are in comments only: there are no words to track.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from policykit.compare.diff import Change, Localised
from policykit.importing.document import Span
from policykit.importing.docx import BLOCK_MARK, SECTION_MARK, bookmark
from policykit.model import Block, Policy, Section
from policykit.render.docx import EPOCH, paragraph_diff, pieces, word_runs, write_facts, write_piece, write_pieces
from policykit.word import Run, Writer
from policykit.word.model import Change as Mark

if TYPE_CHECKING:
    from policykit.compare.diffreport import Report
    from policykit.localise import LocalisedPolicy


def comment_text(changes: Sequence[Change]) -> str:
    """One line per change: ``SIGNIFICANT text-changed collection.purposes: reason [rule]`` (+ citation)."""
    lines = []
    for c in changes:
        where = f" [{c.locale}]" if c.locale else ""
        lines.append(f"{(c.level or 'unclassified').upper()} {c.kind} {c.path}{where}: {c.reason} [{c.rule}]")
        if c.citation:
            lines.append(f"    {c.citation}")
        if c.justification:
            lines.append(f"    overridden from {c.classified_as}: {c.justification}")
    return "\n".join(lines)


def _merged_order(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """``new``'s ids, with those only in ``old`` put back after the id they followed."""
    out = list(new)
    for n, item in enumerate(old):
        if item in out:
            continue
        prev = next((x for x in reversed(old[:n]) if x in out), None)
        out.insert(out.index(prev) + 1 if prev else 0, item)
    return out


class _Redline:
    def __init__(self, report: Report) -> None:
        from policykit.localise import localise

        self.report = report
        self.a, self.b = report.before.policy, report.after.policy
        self.la, self.lb = Localised(self.a, report.locale), Localised(self.b, report.locale)
        tag = report.locale or self.b.source_locale
        self.tables_a: LocalisedPolicy = localise(self.a, tag if tag in self.a.all_locales else self.a.source_locale)
        self.tables_b: LocalisedPolicy = localise(self.b, tag)
        places = self._places()
        self.by_place: dict[str, list[Change]] = {}
        for c in report.changes:
            place = self._place(c)
            self.by_place.setdefault(place if place in places else "", []).append(c)
        self.writer = Writer(title=f"{self.b.title}: {report.before.label} → {report.after.label}", language=tag,
                             date=EPOCH)

    def _places(self) -> set[str]:
        """Where the document has room for a comment: the title, headings, blocks, shown fact tables."""
        out = {""}
        for policy in (self.a, self.b):
            for s in policy.sections:
                out.add(s.id)
                out.update(f"{s.id}.{b.id}" for b in s.blocks)
                out.update(f"facts:{s.id}:{b.list}" for b in s.blocks if b.list)
        return out

    @staticmethod
    def _place(c: Change) -> str:
        if c.target == "block":
            return ".".join(c.path.split(".")[:2])
        if c.target == "fact":
            return f"facts:{c.section}:{c.path.split('.')[1]}"
        if c.target == "section":
            return c.section
        return ""

    def _comment(self, *places: str) -> bool:
        changes = [c for place in places for c in self.by_place.pop(place, [])]
        if changes:
            self.writer.begin_comment(comment_text(changes))
        return bool(changes)

    def render(self) -> bytes:
        w = self.writer
        commented = self._comment("")
        w.heading(_text_runs(self._doc_title(self.a), self._doc_title(self.b)), 0)
        if commented:
            w.end_comment()
        for sid in _merged_order([s.id for s in self.a.sections], [s.id for s in self.b.sections]):
            self.section(self.a.section(sid), self.b.section(sid))
        return w.save()

    def _doc_title(self, policy: Policy) -> str:
        lt = policy.translations.get(self.report.locale)
        return lt.title.text if lt and lt.title else policy.title

    def section(self, old: Section | None, new: Section | None) -> None:
        w = self.writer
        sid = (new or old).id  # type: ignore[union-attr]
        mark: Mark = "ins" if old is None else "del" if new is None else ""
        title_a = self.la.title(old) if old else ""
        title_b = self.lb.title(new) if new else ""
        blocks = [*(old.blocks if old else ()), *(new.blocks if new else ())]
        shown = {b.list for b in blocks if b.list}
        kinds = {*(old.facts if old else {}), *(new.facts if new else {})} - shown
        commented = self._comment(sid, *(f"facts:{sid}:{k}" for k in sorted(kinds)))
        w.begin_block(bookmark(SECTION_MARK, sid))
        w.heading([Run(title_b or title_a, change=mark)] if mark else _text_runs(title_a, title_b), 1, mark=mark)
        w.end_block()
        if commented:
            w.end_comment()
        ids = _merged_order([b.id for b in old.blocks] if old else [], [b.id for b in new.blocks] if new else [])
        for bid in ids:
            self.block(sid, old.block(bid) if old else None, new.block(bid) if new else None, old, new)

    def block(self, sid: str, before: Block | None, after: Block | None, old: Section | None,
              new: Section | None) -> None:
        w = self.writer
        block = after or before
        assert block is not None
        commented = self._comment(f"{sid}.{block.id}", *([f"facts:{sid}:{block.list}"] if block.list else []))
        if block.list is not None:
            self.facts(sid, block, gone=after is None)
        else:
            text_a = self.la.block(old, before) if old and before and before.text is not None else None
            text_b = self.lb.block(new, after) if new and after and after.text is not None else None
            w.begin_block(bookmark(BLOCK_MARK, block.id))
            if text_a is None or text_b is None:
                mark: Mark = "ins" if text_a is None else "del"
                write_pieces(w, pieces(text_b if text_b is not None else text_a or ""), mark=mark)
            elif text_a == text_b:
                write_pieces(w, pieces(text_b))
            else:
                for piece, content, paragraph_mark in paragraph_diff(pieces(text_a), pieces(text_b)):
                    write_piece(w, piece, content, mark=paragraph_mark)
            w.end_block()
        if commented:
            w.end_comment()

    def facts(self, sid: str, block: Block, *, gone: bool) -> None:
        source = self.tables_a if gone else self.tables_b
        section = next((s for s in source.sections if s.id == sid), None)
        shown = next((b for b in section.blocks if b.id == block.id), None) if section else None
        if shown is not None:
            write_facts(self.writer, shown, mark="del" if gone else "")


def _text_runs(before: str, after: str) -> list[Run]:
    return word_runs([Span(before)], [Span(after)]) if before != after else [Run(after)]


def render_redline(report: Report) -> bytes:
    """The redline of ``report`` as a .docx."""
    return _Redline(report).render()
