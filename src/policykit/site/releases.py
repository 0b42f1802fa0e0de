"""The versions a site shows: each release's facts (read from its commit, cached by tree
id in the site's store) and the work tree as a draft.

Only the ``policy.yaml`` files of a release are read here (its document, locales,
titles and controller): the plan needs no more, and a no-op rebuild reads nothing
but the store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit.errors import InvalidPolicy, VersionError
from policykit.site import cache
from policykit.site.timeline import DRAFT, Version

if TYPE_CHECKING:
    from policykit.changelog import Entry

_META_VERSION = 1


def _meta_of(files: Any, label: str) -> dict[str, Any]:
    """Document, locales and titles of a tree, from its policy.yaml files (no full load)."""
    from policykit import yamlio

    def parse(data: bytes, path: str) -> Any:
        # Parsed under the plain path, so the versions that share a file share its parse
        # (yamlio remembers by bytes and name); the label goes into error messages only.
        try:
            return yamlio.parse(data, path)
        except InvalidPolicy as exc:
            raise InvalidPolicy([dataclasses.replace(d, pos=dataclasses.replace(d.pos, file=f"{label}:{d.pos.file}"))
                                 for d in exc.diagnostics]) from None

    data = files.read("policy/policy.yaml")
    if data is None:
        raise VersionError(f"{label}: no policy/policy.yaml")
    raw = parse(data, "policy/policy.yaml")
    source = str(raw.get("source_locale") or "en")
    locales = tuple(dict.fromkeys([source, *(raw.get("locales") or []), *(raw.get("fallback_locales") or [])]))
    titles = {source: str(raw.get("title") or "")}
    for tag in locales[1:]:
        tdata = files.read(f"locales/{tag}/policy.yaml")
        t = parse(tdata, f"locales/{tag}/policy.yaml") if tdata else None
        title = t.get("title") if isinstance(t, dict) else None
        titles[tag] = str(title.get("text")) if isinstance(title, dict) and title.get("text") else titles[source]
    controller = raw.get("controller")
    return {"v": _META_VERSION, "document": str(raw.get("document") or ""), "source_locale": source,
            "locales": list(locales), "titles": titles, "base_url": raw.get("base_url"),
            "controller": str(controller.get("name") or "") if isinstance(controller, dict) else ""}


def _meta_name(tree: str) -> str:
    return "tree-" + cache.digest(tree)[:32]


def _meta(store: cache.Store, tree: str, load: Callable[[], Any], label: str) -> dict[str, Any]:
    meta = _stored_meta(store, tree)
    if meta is None:
        meta = _meta_of(load(), label)
        store.put_meta(_meta_name(tree), meta)
    return meta


def _stored_meta(store: cache.Store, tree: str) -> dict[str, Any] | None:
    meta = store.meta(_meta_name(tree))
    return meta if isinstance(meta, dict) and meta.get("v") == _META_VERSION else None


def _version(meta: dict[str, Any], **kw: Any) -> Version:
    return Version(document=meta["document"], source_locale=meta["source_locale"], locales=tuple(meta["locales"]),
                   titles=meta["titles"], base_url=meta.get("base_url"), controller=meta.get("controller", ""), **kw)


def released_versions(root: Path, store: cache.Store, entries: Sequence[Entry]) -> list[Version]:
    stored = {e.tree: _stored_meta(store, e.tree) for e in entries}
    metas = {tree: meta for tree, meta in stored.items() if meta is not None}
    missing = list({e.tree: e for e in entries if e.tree not in metas}.values())
    if missing:
        metas.update(_read_metas(root, missing))
        for e in missing:
            store.put_meta(_meta_name(e.tree), metas[e.tree])
    return [_version(metas[e.tree], id=e.version, tree=e.tree, commit=e.commit, entry=e) for e in entries]


def _read_metas(root: Path, entries: Sequence[Entry]) -> dict[str, dict[str, Any]]:
    """The facts of each entry's tree, from its policy.yaml files only (not every blob of it).

    Two rounds for all entries at once: each release's policy.yaml, then the
    ``locales/<tag>/policy.yaml`` of the locales it lists.
    """
    from policykit import yamlio
    from policykit.gitsource import GitTreeSource
    from policykit.versions import open_repository

    repo = open_repository(root)
    top = repo.path_ids((e.commit, "policy/policy.yaml") for e in entries)
    files = {e.tree: {"policy/policy.yaml": oid} for e, oid in zip(entries, top, strict=True) if oid}
    wanted = []
    for e in entries:
        if e.tree not in files:
            repo.resolve(e.commit)  # a missing commit says so; else the commit has no policy
            raise VersionError(f"release {e.version}: no policy/policy.yaml in commit {e.commit[:12]}")
        try:
            raw = yamlio.parse(repo.blob(files[e.tree]["policy/policy.yaml"]), "policy/policy.yaml")
        except InvalidPolicy:
            continue  # _meta_of reports it, with the release named
        listed = [*(raw.get("locales") or []), *(raw.get("fallback_locales") or [])] if isinstance(raw, dict) else []
        wanted += [(e, f"locales/{tag}/policy.yaml") for tag in listed if isinstance(tag, str) and "/" not in tag]
    for (e, path), oid in zip(wanted, repo.path_ids((e.commit, path) for e, path in wanted), strict=True):
        if oid:
            files[e.tree][path] = oid
    return {e.tree: _meta_of(GitTreeSource(repo, files[e.tree], f"release {e.version}"), f"release {e.version}")
            for e in entries}


def _prefixes(tag: str) -> list[str]:
    parts = tag.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def draft_version(root: Path, store: cache.Store) -> Version:
    """The work tree as a version: one tree id per locale (the source plus that locale's folders)."""
    from policykit.load import FileSource

    policy_tree = cache.worktree_hash(root, ["policy"])
    meta = _meta(store, policy_tree + "|" + cache.worktree_hash(root, ["locales"]), lambda: FileSource(root),
                 "work tree")
    trees = {}
    for tag in meta["locales"]:
        folders = [f"locales/{t}" for t in _prefixes(tag) if (root / "locales" / t).is_dir()]
        trees[tag] = cache.digest(policy_tree, cache.worktree_hash(root, folders) if folders else "")
    return _version(meta, id=DRAFT, tree=cache.digest(policy_tree, sorted(trees.items())), locale_trees=trees)


def check_draft(root: Path) -> None:
    from policykit.diagnostics import has_errors
    from policykit.i18n.gate import COVERAGE_CODES
    from policykit.load.project import load_project

    loaded = load_project(root)
    # A draft is a preview: a translation still to be updated shows as it is (releases refuse it).
    if loaded.policy is None or has_errors(d for d in loaded.diagnostics if d.code not in COVERAGE_CODES):
        raise InvalidPolicy(loaded.diagnostics)
