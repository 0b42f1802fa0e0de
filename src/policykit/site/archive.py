"""Render what a release publishes, to keep it: each locale's page, PDF and JSON.

``policyctl release`` calls :func:`publish` after it has prepared the entry: the files
are rendered from the release's commit exactly as the site renders a version's files
(:mod:`policykit.site.workers`), written to ``published/<version>/<locale>/``, and
their hashes recorded in the entry (:mod:`policykit.published` names and checks them).
The page kept is the policy page itself; the site adds its notices and navigation
around it when it serves it, and serves the PDF and JSON byte for byte.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from policykit import files, published
from policykit.changelog import Entry
from policykit.site.plan import version_dir
from policykit.site.specs import PolicyPage, Record, Source


def render(root: Path, entry: Entry, locales: tuple[str, ...], source_locale: str) -> dict[str, dict[str, bytes]]:
    """``locale -> format -> bytes`` of what release ``entry`` publishes, rendered from its commit."""
    from policykit.site import workers

    record = Record(entry.version, entry.published, entry.effective, entry.level, locales, ())
    document = entry.document
    out: dict[str, dict[str, bytes]] = {}
    for tag in locales:
        here = version_dir(tag, entry.version)
        page = PolicyPage(Source(str(root), entry.commit, entry.tree), tag, record, document, source_locale, here,
                          languages=tuple((t, version_dir(t, entry.version)) for t in locales),
                          links=(("pdf", f"{here}{document}.pdf"), ("json", f"{here}{document}.json")))
        out[tag] = {"html": workers.policy_document(page), "pdf": workers.policy_file(page, "pdf"),
                    "json": workers.policy_file(page, "json")}
    return out


def publish(root: Path, entry: Entry) -> tuple[Entry, tuple[str, ...]]:
    """Render and write what ``entry`` publishes; the entry with their hashes, and the paths written."""
    from policykit.versions import load_version

    version = load_version(root, entry.commit)
    policy = version.policy
    rendered = render(root, entry, tuple(policy.all_locales), policy.source_locale)
    written = []
    for tag, formats in rendered.items():
        for fmt, data in formats.items():
            path = published.artefact_path(entry.version, tag, entry.document, fmt)
            files.write(root, path, data)  # inside the project only, atomically
            written.append(path)
    hashes = {tag: {fmt: published.sha256(data) for fmt, data in formats.items()}
              for tag, formats in rendered.items()}
    return dataclasses.replace(entry, artefacts=hashes), tuple(written)
