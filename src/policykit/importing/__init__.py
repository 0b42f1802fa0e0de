"""Import an existing policy (Word, HTML, Markdown, plain text) and its past versions.

::

    read(data, name)            a file -> Document (one reader per format, see READERS)
    sections.build(document)    -> Draft: sections and blocks with ids from words
    align.align(policy, draft)  -> the draft with the ids of the policy it revises
    project.apply(root, files)  validated in a temporary copy, then written; all or nothing
    history.import_history(folder, dest) -> one commit per dated version

The functions here are what ``policyctl import`` calls; a Python caller can call them
without the CLI. Facts are never made from the text: the editor adds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy
from policykit.importing.document import Document

Reader = Callable[[bytes, str], Document]


def _markdown(data: bytes, name: str) -> Document:
    from policykit.importing.markdown import read_markdown

    return read_markdown(data, name)


def _text(data: bytes, name: str) -> Document:
    from policykit.importing.markdown import read_text

    return read_text(data, name)


def _html(data: bytes, name: str) -> Document:
    from policykit.importing.html import read_html

    return read_html(data, name)


def _docx(data: bytes, name: str) -> Document:
    from policykit.importing.docx import read_docx

    return read_docx(data, name)


# The input formats, by file suffix: one reader each, imported only when used.
READERS: dict[str, Reader] = {
    ".md": _markdown, ".markdown": _markdown,
    ".txt": _text, ".text": _text,
    ".html": _html, ".htm": _html,
    ".docx": _docx,
}


def read(data: bytes, name: str) -> Document:
    """Read one input file (its format from its suffix)."""
    reader = READERS.get(Path(name).suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InvalidPolicy([error(Pos(name, 1, 1), f"cannot import a {Path(name).suffix or 'suffix-less'} file; "
                                   f"policyctl imports {known} (save a .doc or .odt as .docx first)",
                                   "import.format")])
    return reader(data, name)


@dataclass(frozen=True)
class Imported:
    """What an import did: the files it wrote (or would remove: None) and what it noticed."""

    files: tuple[str, ...]
    removed: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    sections: int
    blocks: int
    kept: int = 0  # blocks that kept their id (import onto a project)


def import_file(data: bytes, name: str, root: Path, *, document: str | None = None, title: str | None = None,
                controller: str | None = None, locale: str = "en") -> Imported:
    """A new project at ``root`` from one file; InvalidPolicy (nothing written) on bad input."""
    from policykit.errors import UsageError
    from policykit.importing import project, sections
    from policykit.load import POLICY_FILE, valid_locale_tag
    from policykit.vocabulary import ID_RE

    if (root / POLICY_FILE).exists():
        raise UsageError(f"{root / POLICY_FILE} exists: import onto it with --onto, or choose an empty folder")
    problem = valid_locale_tag(locale)
    if problem:
        raise UsageError(f"--locale: {problem}")
    if document is not None and not ID_RE.match(document):
        raise UsageError(f"--document {document!r} is not an id (lower-case letters, digits, hyphens)")
    draft = sections.build(read(data, name), title=title)
    doc_id = document or sections.slug(draft.title, words=4) or "privacy-policy"
    files = project.fresh_files(draft, source=Path(name).name, document=doc_id, controller=controller,
                                locale=locale)
    root.mkdir(parents=True, exist_ok=True)
    notes = list(draft.diagnostics)
    if not controller:
        notes.append(project.placeholder_note(root))
    found = project.apply(root, files)
    if not (root / ".gitignore").exists():
        from importlib import resources

        (root / ".gitignore").write_text(resources.files("policykit").joinpath("scaffold/gitignore").read_text("utf-8"),
                                         "utf-8")
    return Imported(tuple(files), (), (*notes, *found), len(draft.sections),
                    sum(len(s.blocks) for s in draft.sections))


def import_onto(data: bytes, name: str, root: Path, *, retired: dict[str, set[str]] | None = None) -> Imported:
    """The project at ``root`` revised to the text of one file, ids kept where the text continues."""
    from policykit.importing import align, project, sections
    from policykit.load.project import load_policy

    old = load_policy(root)
    draft = sections.build(read(data, name), title=old.title)
    aligned = align.align(old, draft, retired=retired)
    files, notes = project.onto_files(root, old, aligned)
    found = project.apply(root, files) if files else []
    return Imported(tuple(p for p, t in files.items() if t is not None),
                    tuple(p for p, t in files.items() if t is None), (*draft.diagnostics, *notes, *found),
                    len(draft.sections), sum(len(s.blocks) for s in aligned.draft.sections), len(aligned.matched))
