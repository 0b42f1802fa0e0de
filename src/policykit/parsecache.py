"""Parse results remembered: in memory, and on disk in the user's cache folder.

A history walk, a diff or a site build meets the same file in many versions, and parsing
is the slowest part of loading one, so :mod:`policykit.yamlio` asks this module before it
parses. An entry is keyed by the file's exact bytes and name (the name is in every
position) and, on disk, by the code that produced it (like ``.pyc`` files), so it can never
be stale. Errors are never remembered: a file that fails is parsed, and fails, again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from policykit.memo import LRU

# The memory cache holds each result pickled - immutable bytes, no objects for the garbage
# collector to walk - and every call unpickles its own copy (the values are mutable: no
# caller can change what another reads). Bounded by the bytes held, so a long-lived process
# stays small.
_PARSED: LRU[tuple[bytes, str], bytes] = LRU(32 * 1024 * 1024, lambda key, frozen: len(key[0]) + len(frozen))
# Setting this variable (to anything) keeps parse results off the disk.
NO_DISK_CACHE_ENV = "POLICYCTL_NO_PARSE_CACHE"


def remembered(data: bytes, name: str, parse: Callable[[bytes, str], Any], *,
               code: tuple[str, ...], kinds: tuple[type, ...]) -> Any:
    """``parse(data, name)``, or a copy of what it returned before for the same bytes and name.

    ``code``: the source files whose code shapes the result (their bytes name the disk
    folder, so changed code never reads old entries). ``kinds``: the container types a
    result may be, besides scalars; an entry read from disk that is anything else is
    removed and parsed again.
    """
    key = (data, name)
    frozen = _PARSED.get(key)
    if frozen is not None:
        return pickle.loads(frozen)
    stored = _disk_path(data, name, code)
    found = _disk_read(stored, kinds) if stored else None
    if found is not None:
        frozen, value = found
    else:
        value = parse(data, name)  # errors are raised, never remembered
        frozen = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if stored:
            _disk_write(stored, frozen)
    _PARSED.put(key, frozen)
    return value


@cache
def _disk_folder(code: tuple[str, ...]) -> Path | None:
    """The parser's folder in the user's cache, or None when the disk cache is off.

    The folder is named after the code that produces and reads the entries (the parser's
    files, this module, the Python version): a new policyctl starts a fresh folder and
    removes the ones other code has not written to for a week.
    """
    if os.environ.get(NO_DISK_CACHE_ENV):
        return None
    import sys

    fingerprint = hashlib.blake2b(digest_size=8)
    for module in (*code, __file__):
        try:
            fingerprint.update(Path(module).read_bytes())
        except OSError:
            return None  # no source to fingerprint (a zipped install): never trust old entries
    fingerprint.update(sys.version.encode())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policyctl"
    folder = base / f"yaml-{fingerprint.hexdigest()}"
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, mode=0o700)
        except FileExistsError:
            pass  # another process made it first
        except OSError:
            return None  # a read-only home only costs speed
        _remove_unused(base, folder)
    # Entries are pickles: only a folder that is ours and that nobody else can write to is read.
    try:
        st = folder.stat()
    except OSError:
        return None
    if st.st_uid != os.getuid() or st.st_mode & 0o022:
        return None
    return folder


def _remove_unused(base: Path, keep: Path) -> None:
    import shutil
    import time

    for old in base.glob("yaml-*"):
        try:
            unused = time.time() - old.stat().st_mtime > 7 * 24 * 3600
        except OSError:
            continue
        if old != keep and unused:
            shutil.rmtree(old, ignore_errors=True)


def _disk_path(data: bytes, name: str, code: tuple[str, ...]) -> Path | None:
    folder = _disk_folder(code)
    if folder is None:
        return None
    digest = hashlib.blake2b(name.encode() + b"\0" + data, digest_size=20).hexdigest()
    return folder / digest[:2] / digest[2:]


def _disk_read(path: Path, kinds: tuple[type, ...]) -> tuple[bytes, Any] | None:
    """An entry and its value; None when there is none or it cannot be read (it is then parsed again)."""
    try:
        frozen = path.read_bytes()
    except OSError:
        return None
    try:
        value = pickle.loads(frozen)
    except Exception:  # incomplete: being written right now, or its writer was killed
        value = _DAMAGED
    if isinstance(value, (*kinds, str, int, float, bool)) or value is None:
        return frozen, value
    with contextlib.suppress(OSError):
        path.unlink()  # so that it is written again, whole
    return None


_DAMAGED = object()


def _disk_write(path: Path, frozen: bytes) -> None:
    # One file, created exclusively and written in one go: a reader that meets it half-written
    # (another worker of the same build) cannot load a pickle without its end, and parses the
    # file itself. No temporary name and rename: a cold site build writes about 1,200 entries.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        try:
            fd = os.open(path, flags, 0o600)
        except FileNotFoundError:  # the first entry of its folder
            path.parent.mkdir(exist_ok=True, mode=0o700)
            fd = os.open(path, flags, 0o600)
    except OSError:  # written by another process meanwhile, or a read-only cache: only speed is lost
        return
    try:
        view = memoryview(frozen)
        while view:
            view = view[os.write(fd, view):]
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        return
    os.close(fd)
