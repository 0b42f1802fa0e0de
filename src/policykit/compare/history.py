"""The history of the policy: each commit that touched it, with its level and a one-line summary.

Each commit is compared with its first parent. The result depends only on the
two versions' contents, so it is cached per pair of tree ids (the ``policy/``
and ``locales/`` trees) and the rules, in the cache store (:mod:`policykit.cachestore`,
keyed also by the installed package): a second ``policyctl log`` reads it back. A commit that
changed only section or translation files is diffed on those files alone (the
rest of the policy is the same on both sides), which keeps a cold walk fast.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit.cachestore import Cache
from policykit.compare.diff import LEVELS, diff_policies, level_of
from policykit.errors import VersionError
from policykit.load import POLICY_FILE, SECTIONS_DIR
from policykit.versions import VersionCache, open_repository, release, releases

if TYPE_CHECKING:
    from policykit.compare.classify import RuleSet
    from policykit.git import Repository


@dataclass(frozen=True)
class LogEntry:
    commit: str
    date: dt.datetime
    subject: str
    level: str  # significant | minor | editorial | none
    summary: str
    counts: dict[str, int]
    consent: bool = False
    release: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"commit": self.commit, "date": self.date.isoformat(), "subject": self.subject,
                "level": self.level, "summary": self.summary, "counts": self.counts,
                "consent": self.consent, "release": self.release}


def history(root: Path, *, revision: str = "HEAD", since: str | None = None, limit: int | None = None,
            rules: RuleSet | None = None, cache: bool = True, workers: int | None = None,
            parallel_from: int | None = None) -> list[LogEntry]:
    """Commits that touched the policy up to ``revision``, newest first.

    ``since`` is a date (anything ``git log --since`` accepts) or a revision or
    release: then only the commits after it are listed. With many commits not
    yet cached (``parallel_from``, default :data:`PARALLEL_FROM`), the work is
    shared by ``workers`` processes (default: one per CPU); ``rules`` are then
    the project's rules, read again in each process.
    """
    from policykit.compare.classify import load_rules

    repo = open_repository(root)
    custom_rules = rules
    rules = rules or load_rules(root)
    after = None
    date = since
    if since:
        rel = release(root, since)
        try:
            after = repo.resolve(rel.commit if rel else since)
            date = None
        except VersionError:
            after = None
    tip = repo.resolve(revision) if revision != "HEAD" or repo.has_commits() else None
    if tip is None:
        return []
    commits = repo.history(tip, since=date, limit=limit, after=after)
    released = _released(root, repo)
    # One entry per pair of trees, in the cache store (keyed also by the package: a changed
    # heuristic anywhere in the package is a new classifier, whatever its version number).
    store = Cache("log") if cache else None
    keys = {c.sha: (f"{rules.fingerprint}\0{repo.tree_key(c.parents[0]) if c.parents else '-'}>"
                    f"{repo.tree_key(c.sha)}").encode() for c in commits}
    stored = {c.sha: found for c in commits
              if store is not None and isinstance(found := store.get_json(keys[c.sha]), dict)}
    todo = [(c.parents[0] if c.parents else None, c.sha) for c in commits if c.sha not in stored]
    n = workers if workers is not None else (os.cpu_count() or 1)
    threshold = PARALLEL_FROM if parallel_from is None else parallel_from
    parallel = custom_rules is None and n > 1 and (len(todo) >= threshold or workers is not None)
    found = _in_parallel(root, todo, n) if parallel else {}
    versions = VersionCache(repo)
    out = []
    for c in commits:
        summary = stored.get(c.sha) or found.get(c.sha)
        if summary is None:
            summary = _summarise(repo, versions, c.parents[0] if c.parents else None, c.sha, rules)
        if store is not None and c.sha not in stored:
            store.put_json(keys[c.sha], summary)
        out.append(LogEntry(c.sha, c.date, c.subject, summary["level"], summary["summary"], summary["counts"],
                         summary.get("consent", False), released.get(c.sha)))
    return out


def _released(root: Path, repo: Repository) -> dict[str, str]:
    """The version released from each commit (a release whose commit is not in the repository is left out)."""
    out = {}
    for r in releases(root):
        try:
            out[repo.resolve(r.commit)] = r.version
        except VersionError:
            continue
    return out


PARALLEL_FROM = 100  # uncached commits before starting worker processes pays off


def _in_parallel(root: Path, todo: list[tuple[str | None, str]], workers: int | None = None) -> dict[str, Any]:
    """Summaries of (parent, commit) pairs computed by worker processes, in contiguous chunks.

    Contiguous, so that each worker meets the same files again and its version cache hits.
    """
    from policykit.pool import die_with_parent, executor

    n = workers or os.cpu_count() or 1
    size = -(-len(todo) // n)
    chunks = [todo[i: i + size] for i in range(0, len(todo), size)]
    # The one pool (policykit.pool): never a fork of this process, which holds `git cat-file` pipes.
    with executor(len(chunks), preload=["policykit.compare.history", "policykit.compare.classify"],
                  initializer=die_with_parent) as pool:
        results = pool.map(_summarise_chunk, [str(root)] * len(chunks), chunks)
        return {sha: summary for part in results for sha, summary in part.items()}


def _summarise_chunk(root: str, pairs: list[tuple[str | None, str]]) -> dict[str, Any]:
    from policykit.compare.classify import load_rules

    repo = open_repository(Path(root))
    rules = load_rules(Path(root))
    versions = VersionCache(repo)
    return {sha: _summarise(repo, versions, parent, sha, rules) for parent, sha in pairs}


def _only(changed: set[str]) -> frozenset[str] | None:
    """The files a diff needs when only ``changed`` differ, or None when it needs them all."""
    need = {POLICY_FILE}
    for path in changed:
        parts = path.split("/")
        if path.startswith(SECTIONS_DIR + "/") and len(parts) == 3:
            need.add(path)
        elif parts[0] == "locales" and len(parts) == 3:
            need.add(path)
            need.add(f"{SECTIONS_DIR}/{parts[2]}")
        else:
            return None
    return frozenset(need)


def _summarise(repo: Repository, versions: VersionCache, parent: str | None, sha: str,
               rules: RuleSet) -> dict[str, Any]:
    from policykit.compare.classify import classify

    now = repo.files(sha)
    before = repo.files(parent) if parent else {}
    if POLICY_FILE not in now:
        return {"level": "none", "summary": "the policy was removed", "counts": {}}
    if POLICY_FILE not in before:
        return {"level": "none", "summary": "first version of the policy", "counts": {}}
    changed = {p for p in set(now) | set(before) if now.get(p) != before.get(p)}
    only = _only(changed)
    a = versions.policy(parent, only) if parent else None
    b = versions.policy(sha, only)
    if a is None or b is None:
        return {"level": "none", "summary": "the policy could not be read here (run `policyctl validate` on it)",
                "counts": {}}
    tags = sorted((set(a.translations) | set(b.translations)) - {b.source_locale})
    changes = classify(diff_policies(a, b, locales=tags), rules, before=a, after=b)
    counts = Counter(c.level for c in changes)
    level = level_of(changes)
    if not changes:
        return {"level": "none", "summary": "no change to the policy's content", "counts": {}}
    top = max(changes, key=lambda c: LEVELS.index(c.level))
    more = f" (+{len(changes) - 1} more)" if len(changes) > 1 else ""
    where = f"{top.path}" + (f" [{top.locale}]" if top.locale else "")
    return {"level": level, "summary": f"{where}: {top.reason}{more}",
            "counts": {lv: counts[lv] for lv in reversed(LEVELS) if counts[lv]},
            "consent": any(c.consent for c in changes)}
