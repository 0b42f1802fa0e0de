"""Proof of what was published: each release's files, kept as they were, and their hashes.

At release, ``policyctl release`` renders the version's page, PDF and JSON in every
locale (:mod:`policykit.site.archive`), writes them to
``published/<version>/<locale>/<document>.{html,pdf,json}``, commits them with the
changelog entry and records each file's SHA-256 in the entry (``artefacts``), which
the entry's own hash covers. From then on the site serves those bytes for that
version, whatever the templates become, and ``validate`` reports a file that is
missing or no longer matches its recorded hash (:func:`check_published`).

Releases made before hashes were recorded have no ``artefacts``: the site renders
them from their commit with today's templates, as it always did, and says nothing
is recorded for them (``versions.json``: ``"published": null``).

Nothing here renders; this module only names, hashes and checks files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from policykit import files
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy
from policykit.validate import register_project

PUBLISHED_DIR = "published"
FORMATS = ("html", "pdf", "json")


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def artefact_path(version: str, locale: str, document: str, fmt: str) -> str:
    """Where a published file is kept, from the project's root (``published/2.0.0/ja/privacy-policy.pdf``)."""
    from policykit.changelog import parse_version

    parse_version(version)  # validated before it becomes a file name, as the locale and document are
    if "/" in locale or locale.startswith(".") or "/" in document or fmt not in FORMATS:
        raise ValueError(f"not a published file: {version}/{locale}/{document}.{fmt}")
    return f"{PUBLISHED_DIR}/{version}/{locale}/{document}.{fmt}"


def read(root: Path, path: str, recorded: str) -> bytes:
    """The bytes of published file ``path``; :class:`InvalidPolicy` when missing or changed."""
    data, problem = _read(root, path, recorded)
    if problem is not None or data is None:
        raise InvalidPolicy([problem] if problem else [])
    return data


# A published PDF embeds its fonts (CJK ones are large): more than a policy file may be.
_LIMIT = 64 * 1024 * 1024


def _read(root: Path, path: str, recorded: str) -> tuple[bytes | None, Diagnostic | None]:
    """The file's bytes and, when it is missing or changed, what is wrong (regular files inside
    the project only: :func:`policykit.files.read` refuses links out and anything else)."""
    data = files.read(root, path, limit=_LIMIT)
    if data is None:
        return None, error(Pos(path, 1, 1), f"the published file is missing (its release recorded {recorded}); "
                           f"restore it from the release commit: git checkout <release commit> -- {path}",
                           "published.missing")
    actual = sha256(data)
    if actual != recorded:
        return data, error(Pos(path, 1, 1), f"the published file changed after its release: its release recorded "
                           f"{recorded}, the file is {actual}; what was published must stay as it was "
                           f"(git checkout <release commit> -- {path})", "published.changed")
    return data, None


@register_project
def check_published(root: Path) -> Iterator[Diagnostic]:
    """Every file a release recorded must be there with the bytes it had (``validate`` runs this)."""
    from policykit.changelog import read_entries

    try:
        entries = read_entries(root)
    except InvalidPolicy:
        return  # check_releases reports the broken entry
    for entry in entries:
        for path, recorded in paths(entry.version, entry.document, entry.artefacts).items():
            try:
                problem = _read(root, path, recorded)[1]
            except InvalidPolicy as exc:  # a link out of the project, not a regular file
                yield from exc.diagnostics
                continue
            if problem is not None:
                yield problem


def paths(version: str, document: str, artefacts: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """``path -> recorded hash`` of every file of a release's ``artefacts``."""
    return {artefact_path(version, locale, document, fmt): digest
            for locale, files in artefacts.items() for fmt, digest in files.items()}
