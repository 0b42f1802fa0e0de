"""The one disk cache store of policyctl: where caches live, how an entry is keyed, written and read.

Every result policyctl keeps on disk between runs goes through this module:

- **One folder**, picked here and nowhere else: ``$POLICYCTL_CACHE_DIR`` when set (a project
  or CI setting), else ``$XDG_CACHE_HOME/policyctl``, else ``~/.cache/policyctl``. The site's
  rendered files are the one exception to the folder, not to the rules: they are hard-linked
  into the published site, so they live beside the output folder (:func:`site_folder`).
- **One key**: an entry of the cache ``name`` for the input ``data`` (the exact bytes the
  result is a function of) is stored under the SHA-256 of the name, the package key
  (:func:`policykit.cachekey.package_key`: the version plus a hash of every file of the
  installed package, as Black keys its cache by version and mode) and the data. Changed code
  or changed input is a new key, so an entry is never stale and there is nothing to list.
- **Atomic writes**: an entry is written to a temporary name and renamed into place, so a
  reader sees the whole entry or none.
- **A damaged entry is a miss**: each entry carries a hash of its own bytes; one that is
  truncated or corrupt (a full disk, a killed writer, a bad sector) is removed and the result
  is computed again. A cache that cannot be read or written only costs speed.
- **One way to drop it all**: ``policyctl cache clear`` (:func:`clear`).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
from pathlib import Path
from typing import Any

FOLDER_ENV = "POLICYCTL_CACHE_DIR"
_MAGIC = b"policyctl-cache-1\n"
_CHECK = 32  # bytes of SHA-256 of the payload, after the magic line
_TMP_NAMES = itertools.count()


def user_folder() -> Path:
    """The folder of policyctl's caches: ``$POLICYCTL_CACHE_DIR``, ``$XDG_CACHE_HOME/policyctl``
    or ``~/.cache/policyctl``."""
    configured = os.environ.get(FOLDER_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policyctl"


def site_folder(out: Path, configured: Path | None = None) -> Path:
    """The site cache of the output folder ``out``: ``configured``, else ``.cache/site`` beside
    ``out`` (the same file system, so that a build hard-links its files instead of copying)."""
    return configured if configured is not None else out.parent / ".cache" / "site"


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` whole or not at all (a temporary name beside it, then a rename).

    Plain os calls and a name unique to this process: a cold site build writes thousands of
    files. The folder is made when the first file of it finds it missing.
    """
    made = False
    while True:
        tmp = path.parent / f".tmp-{os.getpid()}-{next(_TMP_NAMES)}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            break
        except FileExistsError:  # left by a killed process that had this pid
            continue
        except FileNotFoundError:  # a new folder, or the cache was cleared meanwhile
            if made:
                raise
            path.parent.mkdir(parents=True, exist_ok=True)
            made = True
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.close(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise
    os.replace(tmp, path)


class Cache:
    """One named cache of the store: bytes in, bytes out, keyed by input bytes and package key."""

    def __init__(self, name: str, folder: Path | None = None) -> None:
        self.name = name
        self.folder = (folder or user_folder()) / name

    def key(self, data: bytes) -> str:
        """The entry's key: SHA-256 of this cache's name, the package key and ``data``."""
        from policykit.cachekey import package_key

        h = hashlib.sha256(self.name.encode() + b"\0" + package_key().encode() + b"\0")
        h.update(data)
        return h.hexdigest()

    def path(self, data: bytes) -> Path:
        key = self.key(data)
        return self.folder / key[:2] / key

    def get(self, data: bytes) -> bytes | None:
        """What was stored for ``data`` by this code, or None (none, unreadable, or damaged: then removed)."""
        path = self.path(data)
        try:
            stored = path.read_bytes()
        except OSError:
            return None
        head = len(_MAGIC)
        payload = stored[head + _CHECK:]
        if stored[:head] == _MAGIC and hashlib.sha256(payload).digest() == stored[head: head + _CHECK]:
            return payload
        with contextlib.suppress(OSError):
            path.unlink()  # truncated or corrupt: computed and written again
        return None

    def put(self, data: bytes, value: bytes) -> None:
        """Keep ``value`` for ``data``; a cache that cannot be written only costs speed."""
        with contextlib.suppress(OSError):
            write_atomic(self.path(data), _MAGIC + hashlib.sha256(value).digest() + value, 0o600)

    def get_json(self, data: bytes) -> Any | None:
        """:meth:`get`, read as JSON (None when there is no entry, or it is not JSON)."""
        found = self.get(data)
        if found is None:
            return None
        try:
            return json.loads(found)
        except ValueError:
            return None

    def put_json(self, data: bytes, value: Any) -> None:
        self.put(data, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def clear(folders: list[Path] | None = None) -> list[Path]:
    """Remove the cache folders (default: the user folder); the folders that were there."""
    removed = []
    for folder in folders if folders is not None else [user_folder()]:
        if folder.is_dir():
            shutil.rmtree(folder)
            removed.append(folder)
    return removed
