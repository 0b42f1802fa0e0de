"""Reading and writing the project's files, never anything outside it.

Every file policyctl reads from a project folder comes through :func:`read`, and
every file it writes there through :func:`write`:

* only a **regular file inside the project** is read: a symbolic link is followed
  only when it stays inside the project folder (a committed link to ``/etc/passwd``
  or ``~/.ssh`` is an error), and a FIFO, a device or a socket is refused without
  being opened for reading (opening a FIFO blocks; ``/dev/zero`` never ends);
* the **size is checked before reading** (on the open file, so it cannot change
  between the check and the read), and no more than the limit is ever read;
* a file is **written** through a temporary file that is unique, created
  exclusively (``O_EXCL``: an existing name, a link planted at it included, is never
  opened) in the target's own folder, then renamed over the target: a reader sees
  the old file or the new one; a full disk leaves the old file and no temporary one.

Each refusal is an :class:`~policykit.errors.InvalidPolicy` located at the file, so
it is reported like any other problem of the project.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from policykit.diagnostics import Pos, error
from policykit.errors import InvalidPolicy, PolicyError

# The largest project file read (policy files are checked against the same limit by yamlio).
MAX_BYTES = 1024 * 1024
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class DiskFull(PolicyError):
    """The disk (or quota) is full: nothing was written, what was there is unchanged."""


def _refuse(rel: str, message: str, code: str) -> InvalidPolicy:
    return InvalidPolicy([error(Pos(rel, 1, 1), message, code)])


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, with every link resolved, is ``root`` or inside it."""
    try:
        return Path(os.path.realpath(path, strict=True)).is_relative_to(os.path.realpath(root))
    except (OSError, RuntimeError):  # missing, or a loop of links
        return False


def _resolved(root: Path, rel: str) -> str | None:
    """The real path of ``root/rel`` when it exists; InvalidPolicy when it leads outside ``root``."""
    path = root / rel
    try:
        real = os.path.realpath(path, strict=True)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refuse(rel, "a loop of symbolic links; replace the link with the file", "files.link-loop") from None
        if exc.errno in (errno.ENOTDIR,):
            return None
        raise _refuse(rel, f"cannot be read: {exc.strerror}", "files.unreadable") from None
    base = os.path.realpath(root)
    if not Path(real).is_relative_to(base):
        raise _refuse(rel, f"is a symbolic link to {real}, outside the project; policyctl reads only files "
                      "inside the project folder: copy the file in instead of linking to it", "files.outside")
    return real


def read(root: Path, rel: str, *, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes of the project file ``rel`` (relative to ``root``), or None when there is none.

    Raises :class:`InvalidPolicy` (located at ``rel``) for a link out of the project,
    a link loop, something that is not a regular file, or a file larger than ``limit``.
    """
    real = _resolved(root, rel)
    if real is None:
        return None
    try:
        # O_NONBLOCK: opening a FIFO returns at once (without it, it waits for a writer);
        # O_NOFOLLOW: the path was just resolved, a link planted meanwhile is refused.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except IsADirectoryError:
        return None
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _refuse(rel, f"cannot be read: {exc.strerror}", "files.unreadable") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return None
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(rel, f"is {_kind(st.st_mode)}, not a regular file; policyctl reads only regular files",
                          "files.not-regular")
        if st.st_size > limit:
            raise _refuse(rel, f"file is {st.st_size:,} bytes; the limit is {limit:,} (split it into smaller files)",
                          "files.too-large")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:  # grew while being read
        raise _refuse(rel, f"is larger than the limit of {limit:,} bytes", "files.too-large")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def listdir(root: Path, rel: str) -> list[str]:
    """The sorted names in the project folder ``rel``; empty when there is none. (Names only:
    a folder linked from outside is listed, and each file read from it is then refused.)"""
    try:
        return sorted(os.listdir(root / rel))
    except OSError:  # missing, not a folder, a loop of links
        return []


def write(root: Path, rel: str, data: bytes) -> None:
    """Replace (or create) the project file ``rel`` with ``data``, atomically and only inside ``root``.

    The folder it goes into must be inside the project (a linked folder that leads
    out is refused). :class:`DiskFull` when the disk is full: the file is as it was.
    """
    path = root / rel
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _written(rel, exc) from None
    if not inside(root, folder):
        raise _refuse(rel, "its folder is a symbolic link to outside the project; policyctl writes only inside "
                      "the project folder", "files.outside")
    write_file(path, data, shown=rel)


def write_file(path: Path, data: bytes, *, shown: str | None = None) -> None:
    """Replace ``path`` with ``data`` through a unique, exclusively created temporary file beside it.

    A link at ``path`` is replaced, never followed. :class:`DiskFull` when the disk is full.
    """
    # mkstemp: a random name, O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600. The final mode follows the umask.
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _written(shown or str(path), exc) from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _written(shown or str(path), exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _written(shown: str, exc: OSError) -> PolicyError:
    if exc.errno in _DISK_FULL:
        return DiskFull(f"{shown}: not written, the disk is full ({exc.strerror}); the file is unchanged "
                        "and no temporary file is left: free some space and run the command again")
    return PolicyError(f"{shown}: cannot be written: {exc.strerror}")
