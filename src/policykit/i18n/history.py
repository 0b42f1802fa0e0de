"""The source text a stale translation was made from, and what changed since.

A translation records only the hash of its source. The text itself is found by
walking the versions of the source file in git history (newest first) until one
has that hash at the unit's id. Git access goes through :mod:`policykit.git`
(the only module that imports GitPython); when it is not available, or the text
is not in history (an uncommitted edit), the caller says "source changed" without
a diff.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from policykit import yamlio
from policykit.errors import PolicyError, VersionError
from policykit.i18n.catalog import Unit
from policykit.model import source_hash

# path (relative to the project) -> its contents at each commit that changed it, newest first
History = Callable[[str], Iterable[bytes]]


def git_history(root: Path) -> History | None:
    """File history read through :mod:`policykit.git`, or None when ``root`` is not in a git repository."""
    try:
        from policykit.git import Repository
    except ImportError:  # policykit.git is not there (an older checkout)
        return None
    try:
        repo = Repository(root)
    except VersionError:
        return None

    commits: list[str] = []
    blobs: dict[str, list[str]] = {}  # path -> its distinct blob ids, newest first

    def history(path: str) -> Iterator[bytes]:
        if not commits:
            commits.extend(c.sha for c in repo.history())
        if path not in blobs:
            found: list[str] = []
            for sha in commits:
                blob = repo.files(sha).get(path)
                if blob is not None and blob not in found:
                    found.append(blob)
            blobs[path] = found
        for blob in blobs[path]:
            yield repo.blob(blob)

    return history


def old_source(unit: Unit, recorded_hash: str, history: History) -> str | None:
    """The text of ``unit``'s source whose hash is ``recorded_hash``, from history; None if not found."""
    if unit.kind == "term":
        return None  # a vocabulary phrase is the package's: the project's history does not hold it
    for data in history(unit.source_file):
        raw = _parsed(data, unit.source_file)
        if raw is None:
            continue
        text = _extract(raw, unit)
        if text is not None and source_hash(text) == recorded_hash:
            return text
    return None


@lru_cache(maxsize=256)
def _parsed(data: bytes, name: str) -> Any:
    """One version of a source file, parsed once however many of its units are looked up."""
    try:
        return yamlio.parse(data, name)
    except PolicyError:
        return None


def _find(items: Any, item_id: str) -> Any:
    if isinstance(items, list):
        return next((i for i in items if isinstance(i, dict) and i.get("id") == item_id), None)
    return None


def _extract(raw: Any, unit: Unit) -> str | None:
    if not isinstance(raw, dict):
        return None
    value: Any = None
    if unit.key == "title" or (unit.kind == "title" and unit.section):
        value = raw.get("title")
    elif unit.key in ("controller_name", "controller_representative"):
        controller = raw.get("controller")
        field = "name" if unit.key == "controller_name" else "representative"
        value = controller.get(field) if isinstance(controller, dict) else None
    elif unit.kind == "block":
        block = _find(raw.get("blocks"), unit.key.split(".", 1)[1])
        value = block.get("text") if block else None
    else:
        _, kind, fid = unit.key.split(".", 2)
        facts = raw.get("facts")
        item = _find(facts.get(kind), fid) if isinstance(facts, dict) else None
        value = item.get("label") if item else None
    return value if isinstance(value, str) else None


_TOKEN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+|\s+|[^\w\s]", re.UNICODE)


def word_diff(before: str, after: str) -> str:
    """A one-line redline: ``[-removed-]{+added+}`` around the words that changed."""
    a, b = _TOKEN_RE.findall(before.strip()), _TOKEN_RE.findall(after.strip())
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + "".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + "".join(b[j1:j2]) + "+}")
    return re.sub(r"\s+", " ", "".join(out))
