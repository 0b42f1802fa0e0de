"""The content-hash cache, input fingerprints, and the atomic swap of a finished site.

Every file of the site is an *artefact* with a key: the SHA-256 of everything
its bytes depend on (tree id, locale, template hash, tool fingerprint and the
page's own parameters). The cache is a content-addressed folder
``objects/<key[:2]>/<key>``; a key that is already there is never rendered
again. A build assembles the new site in a temporary folder next to the old
one (hard links into the cache, so assembling 5,000 files costs milliseconds)
and swaps it in with one ``rename``: a failed build leaves the published site
as it was.

Nothing here imports a renderer: deciding that nothing changed is hashing only.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from policykit import __version__
from policykit.cachekey import hash_package
from policykit.cachestore import Cache, write_atomic
from policykit.templating import package_data

MANIFEST = "manifest.json"


def digest(*parts: Any) -> str:
    """A stable key for ``parts`` (JSON-serialisable values), as 64 hex digits."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _inside(base: Path, path: Path) -> bool:
    from policykit.files import inside

    return inside(base, path)


def _hash_files(base: Path, paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        if path.is_symlink() and not _inside(base, path):  # never read from outside: the load reports it
            h.update(path.relative_to(base).as_posix().encode() + b"\0link\0" + os.fsencode(os.readlink(path)))
        elif path.is_file():
            h.update(path.relative_to(base).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@package_data
def template_hash() -> str:
    """SHA-256 over every file of the installed package (:func:`policykit.cachekey.hash_package`):
    templates, stylesheets, catalogs, data and code. Forgotten with the package's data, so that
    ``serve`` keys its pages anew when a developer edits one."""
    return hash_package()


def tool_fingerprint() -> str:
    """The tool version plus the package hash, as :func:`policykit.cachekey.package_key` (a
    changed renderer is a new tool, even while the version number stays the same)."""
    return f"{__version__}+{template_hash()[:16]}"


def worktree_hash(root: Path, folders: Iterable[str]) -> str:
    """A tree id for files in the work tree: SHA-256 over the paths and bytes of ``folders``."""
    paths = [p for folder in folders for p in (root / folder).rglob("*") if p.is_file()]
    return "worktree:" + _hash_files(root, paths)


class Store:
    """Content-addressed artefacts, plus small JSON records (``meta/``) about trees."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._meta = Cache("meta", path)

    def object(self, key: str) -> Path:
        return self.path / "objects" / key[:2] / key

    def has(self, key: str) -> bool:
        return self.object(key).is_file()

    def put(self, key: str, data: bytes) -> Path:
        """Store ``data`` under ``key`` atomically (safe when two workers race)."""
        dest = self.object(key)
        # Read-only from the start (the umask still applies): objects are linked into sites,
        # nobody should edit one in place.
        write_atomic(dest, data, 0o444)
        return dest

    def meta(self, name: str) -> Any | None:
        """The record ``name`` written by this very code (:mod:`policykit.cachestore`: keyed by
        the name and the package key; a damaged one is None, and is made again)."""
        return self._meta.get_json(name.encode("utf-8"))

    def put_meta(self, name: str, value: Any) -> None:
        self._meta.put_json(name.encode("utf-8"), value)

    def forget_meta(self, name: str) -> None:
        self._meta.path(name.encode("utf-8")).unlink(missing_ok=True)


def read_manifest(store: Store, out: Path) -> dict[str, str] | None:
    """The ``path -> key`` map of the site last swapped into ``out``, if it is still there whole."""
    record = store.meta(_manifest_name(out))
    if not isinstance(record, dict) or record.get("out") != str(out.resolve()):
        return None
    files: dict[str, str] = record.get("files", {})
    # Thousands of stats: plain strings, not pathlib (this is most of a no-op rebuild).
    site, objects = str(out), str(store.path / "objects")
    stat, join = os.stat, os.path.join
    for rel, key in files.items():
        try:
            if stat(join(site, rel)).st_size != stat(join(objects, key[:2], key)).st_size:
                return None
        except OSError:
            return None
    return files


def write_manifest(store: Store, out: Path, files: Mapping[str, str]) -> None:
    store.put_meta(_manifest_name(out), {"out": str(out.resolve()), "files": dict(sorted(files.items()))})


def forget_manifest(store: Store, out: Path) -> None:
    """Drop the record of the site in ``out`` (a preview folder that is gone)."""
    store.forget_meta(_manifest_name(out))


def _manifest_name(out: Path) -> str:
    """One manifest per output folder: ``serve``'s preview and ``build``'s site share a cache
    without each making the other's next build start from scratch."""
    return MANIFEST.removesuffix(".json") + "-" + digest(str(out.resolve()))[:16]


class Assembly:
    """The new site laid out in ``tmp`` as hard links into the store (copies across devices).

    A build places each file as soon as its object exists, while the workers are still
    rendering, so what is left when they finish is the swap.
    """

    def __init__(self, store: Store, files: Mapping[str, str], tmp: Path) -> None:
        self.store, self.tmp = store, tmp
        self._waiting: dict[str, list[str]] = {}  # key -> paths not yet placed
        for rel, key in sorted(files.items()):
            self._waiting.setdefault(key, []).append(rel)
        self._made: set[str] = set()

    def place(self, key: str) -> None:
        """Lay out every path of ``key`` (an object now in the store)."""
        src = os.path.join(self.store.path, "objects", key[:2], key)
        for rel in self._waiting.pop(key, ()):
            dest = os.path.join(self.tmp, rel)
            folder = os.path.dirname(dest)
            if folder not in self._made:
                os.makedirs(folder, exist_ok=True)
                self._made.add(folder)
            try:
                os.link(src, dest)
            except OSError:
                shutil.copyfile(src, dest)

    def place_stored(self, skip: Iterable[str] = ()) -> None:
        """Lay out every waiting path but those of ``skip`` (the keys still being rendered:
        every other key of the build is in the store already)."""
        skipped = set(skip)
        for key in [k for k in self._waiting if k not in skipped]:
            self.place(key)

    def finish(self) -> None:
        """Lay out what is still waiting."""
        for key in list(self._waiting):
            self.place(key)


def _rename_exchange() -> Any | None:
    if not hasattr(os, "O_PATH"):  # Linux only
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return getattr(libc, "renameat2", None)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def swap_in(tmp: Path, out: Path) -> None:
    """Make ``tmp`` the site at ``out`` in one step and remove the old site.

    On Linux the two folders are exchanged atomically (``renameat2`` with
    ``RENAME_EXCHANGE``): a reader sees the old site or the new one, never
    neither. Elsewhere the old site is renamed away first (a moment without a site).
    """
    if not out.exists():
        os.replace(tmp, out)
        return
    exchange = _rename_exchange()
    if exchange is not None and exchange(_AT_FDCWD, os.fsencode(tmp), _AT_FDCWD, os.fsencode(out),
                                         _RENAME_EXCHANGE) == 0:
        shutil.rmtree(tmp, ignore_errors=True)  # now holds the old site (a concurrent sweep may take it)
        return
    old = out.with_name(f".{out.name}-old-{os.getpid()}")
    os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old)


@contextlib.contextmanager
def staging(out: Path) -> Any:
    """A fresh temporary folder beside ``out``; removed unless it was swapped in.

    The folder is locked (``flock``) while its build runs: the kernel drops the lock when the
    build ends, however it ends, so the next build removes the folders of builds that were
    killed (:func:`sweep`) and leaves those of builds still running alone.
    """
    import fcntl

    out.parent.mkdir(parents=True, exist_ok=True)
    sweep(out)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}-new-"))
    lock = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes a private folder; a site is meant to be read
        try:
            yield tmp
        finally:
            if tmp.exists():
                shutil.rmtree(tmp)
    finally:
        os.close(lock)


def sweep(out: Path) -> list[Path]:
    """Remove the staging folders (and renamed-away old sites) beside ``out`` that no running
    build holds: what a killed build left. The folders removed."""
    import fcntl

    removed = []
    for folder in [*out.parent.glob(f".{out.name}-new-*"), *out.parent.glob(f".{out.name}-old-*")]:
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a build is using it
        finally:
            os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed
