"""Writing an imported draft into a project, all or nothing.

A fresh import writes ``policy/policy.yaml`` and one file per section. An import onto a
project rewrites the sections' blocks and keeps everything the import cannot know: the
metadata of ``policy.yaml``, each section's facts and ``list`` blocks (after the paragraph
they followed), a kept block's other keys (``satisfies``) and the translations of every block
that keeps its id (stale where its text changed: their ``source_hash`` says so). Translations
of blocks that are gone go with them.

Every file is made in memory and the result is loaded and validated in a temporary copy of
the project before anything in the project changes; an error leaves the project untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from policykit import yamlio
from policykit.diagnostics import Diagnostic, Pos, has_errors, warning
from policykit.errors import InvalidPolicy
from policykit.importing.align import Aligned
from policykit.importing.sections import DraftSection, SectionedDocument
from policykit.load import LOCALES_DIR, POLICY_FILE, SECTIONS_DIR
from policykit.model import Policy, Section

Files = dict[str, str | None]  # project-relative path -> new text, or None to delete it
CONTROLLER_PLACEHOLDER = "[the controller's legal name]"
TRANSLATION_WORK = {"locale.stale", "locale.untranslated"}


def _section_map(section: DraftSection, previous: Any = None, keep: dict[str, Any] | None = None) -> Any:
    data = previous if previous is not None else yamlio.new_map()
    data["id"] = section.id
    data["title"] = section.title
    blocks = []
    for block in section.blocks:
        entry = (keep or {}).get(block.id)
        if entry is None:
            entry = yamlio.new_map([("id", block.id)])
        entry["text"] = yamlio.literal(block.text)
        yamlio.reorder(entry, ["id", "text"])
        blocks.append(entry)
    data["blocks"] = blocks
    yamlio.reorder(data, ["id", "title", "blocks", "facts"])
    return data


def fresh_files(draft: SectionedDocument, *, source: str, document: str, controller: str | None, locale: str) -> Files:
    """The files of a new project holding ``draft``."""
    head = [f"# Imported by `policyctl import` from {source}: check these settings (docs/format.md).",
            f"document: {document}",
            f"title: {json.dumps(draft.title, ensure_ascii=False)}",
            f"source_locale: {locale}",
            f"authoritative_locale: {locale}",
            f"locales: [{locale}]",
            "notice_period: P30D  # how long before a significant change takes effect: set the company's own",
            "controller:"]
    if controller:
        head.append(f"  name: {json.dumps(controller, ensure_ascii=False)}")
    else:
        head += ["  # the import never guesses a fact: write the controller's legal name here",
                 f"  name: {json.dumps(CONTROLLER_PLACEHOLDER)}"]
    head.append("sections:")
    head += [f"  - {s.id}" for s in draft.sections]
    # The same skeleton as `policyctl init`: translations and releases have their folders.
    files: Files = {POLICY_FILE: "\n".join(head) + "\n", f"{LOCALES_DIR}/.gitkeep": "", "changelog/.gitkeep": ""}
    for section in draft.sections:
        files[f"{SECTIONS_DIR}/{section.id}.yaml"] = yamlio.dump_roundtrip(_section_map(section))
    return files


def onto_files(root: Path, old: Policy, aligned: Aligned) -> tuple[Files, list[Diagnostic]]:
    """The changed files of the project at ``root`` once ``aligned`` replaces its text."""
    files: Files = {}
    notes: list[Diagnostic] = []
    draft = aligned.draft
    new_ids = {s.id for s in draft.sections}
    kept_sections = [s for s in old.sections if s.id not in new_ids and (s.facts or any(b.list for b in s.blocks))]
    for s in kept_sections:
        notes.append(warning(s.pos, f"section {s.id!r} is not in the imported text, but it has facts: kept with "
                             "its facts and lists (delete it yourself if it should go)", "import.kept-section"))
    order = _section_order(old, draft, {s.id for s in kept_sections})
    for section in draft.sections:
        files.update(_onto_section(root, old, aligned, section))
    for s in old.sections:
        if s.id not in new_ids and s not in kept_sections:
            files[f"{SECTIONS_DIR}/{s.id}.yaml"] = None
    text = (root / POLICY_FILE).read_text("utf-8")
    meta = yamlio.load_roundtrip(text, POLICY_FILE)
    if list(meta.get("sections") or []) != order:
        meta["sections"] = order
        files[POLICY_FILE] = yamlio.dump_roundtrip(meta)
    files.update(_translations(root, old, aligned, set(order)))
    return files, notes


def _section_order(old: Policy, draft: SectionedDocument, kept: set[str]) -> list[str]:
    order = [s.id for s in draft.sections]
    for n, s in enumerate(old.sections):  # a kept section goes after the one it followed
        if s.id in kept:
            prev = next((p.id for p in reversed(old.sections[:n]) if p.id in order), None)
            order.insert(order.index(prev) + 1 if prev else 0, s.id)
    return order


def _onto_section(root: Path, old: Policy, aligned: Aligned, section: DraftSection) -> Files:
    path = f"{SECTIONS_DIR}/{section.id}.yaml"
    before = old.section(section.id)
    if before is None:
        return {path: yamlio.dump_roundtrip(_section_map(section))}
    if [(b.id, b.text) for b in before.blocks if b.text is not None] == [(b.id, b.text) for b in section.blocks] \
            and before.title == section.title and _list_places(before) == _list_places_new(before, section):
        return {}  # the same text: the file stays as it is, comments and all
    raw = yamlio.load_roundtrip((root / path).read_text("utf-8"), path)
    by_id = {str(b.get("id")): b for b in raw.get("blocks") or []}
    keep = {}
    for block in section.blocks:
        where = aligned.matched.get((section.id, block.id))
        if where and where[0] == section.id and where[1] in by_id:
            keep[block.id] = by_id[where[1]]
        elif where and where[0] != section.id:  # moved here from another section: its keys come along
            other = (root / f"{SECTIONS_DIR}/{where[0]}.yaml").read_text("utf-8")
            moved = {str(b.get("id")): b for b in yamlio.load_roundtrip(other, where[0]).get("blocks") or []}
            if where[1] in moved:
                keep[block.id] = moved[where[1]]
    data = _section_map(section, raw, keep)
    blocks = data["blocks"]
    texts = [b.id for b in before.blocks]
    for n, b in enumerate(before.blocks):  # list blocks stay, after the paragraph they followed
        if b.list is None or b.id not in by_id:
            continue
        prev = next((x for x in reversed(texts[:n]) if any(str(e.get("id")) == x for e in blocks)), None)
        at = next((k + 1 for k, e in enumerate(blocks) if str(e.get("id")) == prev), 0 if prev is None else len(blocks))
        blocks.insert(at, by_id[b.id])
    new_text = yamlio.dump_roundtrip(data)
    return {} if new_text == (root / path).read_text("utf-8") else {path: new_text}


def _list_places(section: Section) -> list[tuple[str, str | None]]:
    """Each list block with the text block it follows."""
    out: list[tuple[str, str | None]] = []
    prev: str | None = None
    for b in section.blocks:
        if b.list is not None:
            out.append((b.id, prev))
        else:
            prev = b.id
    return out


def _list_places_new(before: Section, section: DraftSection) -> list[tuple[str, str | None]]:
    """Where the list blocks of ``before`` go in ``section``: after the paragraph they followed, if it is there."""
    kept = {b.id for b in section.blocks}
    return [(bid, prev if prev in kept else None) for bid, prev in _list_places(before)]


def _translations(root: Path, old: Policy, aligned: Aligned, sections: set[str]) -> Files:
    """Each locale's section files without the entries of blocks that are gone; moved blocks' entries move."""
    files: Files = {}
    new_blocks = {(s.id, b.id) for s in aligned.draft.sections for b in s.blocks}
    moved_in = {old_at: new_at for new_at, old_at in aligned.matched.items() if new_at[0] != old_at[0]}
    for tag, lt in old.translations.items():
        carried: dict[str, list[tuple[str, Any]]] = {}
        edited: dict[str, Any] = {}
        for sid in lt.sections:
            path = f"{LOCALES_DIR}/{tag}/{sid}.yaml"
            if sid not in sections:
                files[path] = None
                continue
            raw = yamlio.load_roundtrip((root / path).read_text("utf-8"), path)
            entries = raw.get("blocks") or {}
            before = old.section(sid)
            for bid in list(entries):
                block = before.block(str(bid)) if before else None
                if block is None or block.list is not None or (sid, str(bid)) in new_blocks:
                    continue
                target = moved_in.get((sid, str(bid)))
                if target:
                    carried.setdefault(target[0], []).append((target[1], entries[bid]))
                del entries[bid]
            edited[sid] = raw
        for sid, moved in carried.items():
            raw = edited.get(sid)
            if raw is None:
                raw = yamlio.new_map([("section", sid)])
                edited[sid] = raw
            entries = raw.setdefault("blocks", yamlio.new_map())
            for bid, entry in moved:
                entries[bid] = entry
        for sid, raw in edited.items():
            path = f"{LOCALES_DIR}/{tag}/{sid}.yaml"
            text = yamlio.dump_roundtrip(raw)
            current = root / path
            if not current.is_file() or current.read_text("utf-8") != text:
                files[path] = text
    return files


def apply(root: Path, files: Files) -> list[Diagnostic]:
    """Validate the project as ``files`` would make it; then write them. InvalidPolicy and no change on errors."""
    from policykit.load.project import load_project

    scratch = Path(tempfile.mkdtemp(prefix=".policyctl-import-", dir=root))
    try:
        for folder in ("policy", "locales"):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, scratch / folder, ignore=shutil.ignore_patterns(".*"))
        _write(scratch, files)
        loaded = load_project(scratch, level="policy")
        diagnostics = loaded.diagnostics
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # New and edited text leaves the published translations behind: that is the translators' work
    # (`i18n status`), which the import starts, not a reason to refuse it.
    waiting = [d for d in diagnostics if d.severity == "error" and d.code in TRANSLATION_WORK]
    blocking = [d for d in diagnostics if d not in waiting]
    if loaded.policy is None or has_errors(blocking):
        raise InvalidPolicy(sorted(blocking, key=Diagnostic.sort_key))
    _write(root, files)
    if waiting:
        blocking.append(warning(waiting[0].pos, f"{len(waiting)} translation unit(s) of published locales are now "
                                "stale or untranslated, e.g. " + waiting[0].message + "; `validate` reports them "
                                "as errors until they are translated (`policyctl i18n status`)", "import.translations"))
    return blocking


def _write(root: Path, files: Files) -> None:
    for rel, text in files.items():
        path = root / rel
        if text is None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)


def placeholder_note(root: Path) -> Diagnostic:
    return warning(Pos(POLICY_FILE, 1, 1), f"controller.name is a placeholder ({CONTROLLER_PLACEHOLDER}); "
                   "write the controller's legal name (or import with --controller NAME)", "import.controller")
