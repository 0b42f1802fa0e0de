"""The release ledger: what this clone has seen of each release, kept outside the history.

Everything stored in the repository can be recomputed by a forger who can rewrite history; the
ledger lives in the git dir (or the file git config ``policyctl.releaseLedger`` names), so a later
rewrite of a release this clone saw is an error (:mod:`policykit.integrity` runs the check).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policykit import changelog, files
from policykit.changelog import Entry
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy, PolicyError

if TYPE_CHECKING:
    from policykit.git import Repository
    from policykit.gitrelease import TagRef

LEDGER_FILE = "releases.json"  # in the git dir's policyctl folder, unless policyctl.releaseLedger names one
LEDGER_KEY = "policyctl.releaseLedger"


@dataclass
class ReleaseEvidence:
    """What the repository says about one release, gathered while checking it."""

    entry: Entry
    commit: str = ""  # the content commit, resolved
    release_commit: str = ""  # the commit that added the entry
    entry_blob: str = ""
    twin_blob: str = ""
    tag: TagRef | None = None
    ok: bool = True


_FIELDS = ("commit", "tree", "entry_hash", "release_commit", "entry_blob", "twin_blob")


class Ledger:
    """What this clone has seen of each release, outside the history (the git dir, or the file
    git config ``policyctl.releaseLedger`` names): a later rewrite of any of it is an error."""

    def __init__(self, repo: Repository) -> None:
        configured = repo.config(LEDGER_KEY)
        self.path = Path(os.path.expanduser(configured)) if configured else repo.cache_dir / LEDGER_FILE
        self.shown = str(self.path)

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise InvalidPolicy([error(Pos(self.shown, 1, 1), f"the release ledger is damaged ({exc}); it is "
                                       "this clone's record of the releases it has seen: restore it, or delete it "
                                       "to trust the releases as they are now", "release.ledger")]) from None
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise InvalidPolicy([error(Pos(self.shown, 1, 1), "the release ledger is damaged (not a mapping of "
                                       "versions); restore it, or delete it to trust the releases as they are now",
                                       "release.ledger")])
        return data

    def check(self, releases: list[ReleaseEvidence], versions: set[str]) -> Iterator[Diagnostic]:
        try:
            seen = self._load()
        except InvalidPolicy as exc:
            yield from exc.diagnostics
            return
        changed = False
        for version, record in sorted(seen.items()):
            if version not in versions:
                yield error(Pos(changelog.entry_path(version), 1, 1), f"release {version} was seen by this clone "
                            f"on {record.get('seen', '?')} and its changelog entry is gone", "release.ledger")
        for rel in releases:
            now = _record(rel)
            before = seen.get(rel.entry.version)
            if before is None:
                seen[rel.entry.version] = now
                changed = True
                continue
            different = [f for f in _FIELDS if before.get(f) and before.get(f) != now.get(f)]
            if before.get("tag") and before.get("tag") != now.get("tag"):
                different.append("tag (deleted or replaced)" if now.get("tag") else "tag (deleted)")
            if different:
                yield error(rel.entry.pos, f"release {rel.entry.version} is not what this clone saw on "
                            f"{before.get('seen', '?')}: its {', '.join(different)} changed (history rewritten?); "
                            f"the record is {self.shown}", "release.ledger")
            elif now.get("tag") and not before.get("tag"):
                seen[rel.entry.version] = {**before, "tag": now["tag"]}
                changed = True
        if changed:
            self._save(seen)

    def _save(self, seen: dict[str, dict[str, str]]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            files.write_file(self.path, json.dumps(seen, indent=1, sort_keys=True).encode("utf-8"))
        except (OSError, PolicyError):
            pass  # a read-only git dir: the releases were checked all the same, only not recorded


def _record(rel: ReleaseEvidence) -> dict[str, str]:
    entry = rel.entry
    record = {"commit": rel.commit, "tree": entry.tree, "entry_hash": entry.entry_hash,
              "release_commit": rel.release_commit, "entry_blob": rel.entry_blob, "twin_blob": rel.twin_blob,
              "seen": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    if rel.tag is not None:
        record["tag"] = rel.tag.object
    return record
