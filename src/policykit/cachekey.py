"""What every cache of policyctl is keyed by besides its input: the installed package itself.

Black keys its cache by its version and its mode (a folder per version, a file per
mode). A development install keeps one version number while its code changes, so
here the version stands beside a hash of every file of the installed package: each
module, template, stylesheet, catalog and data file, found by walking the package's
folder. There is no list of the modules a result depends on to keep up to date: a
new module, or an edit anywhere in the package, is a new key, and a cache never
serves what older code made.

Hashing the package (about 200 files, 1.5 MB) takes about 10 ms, once per process.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from policykit import __version__

PACKAGE = Path(__file__).resolve().parent


def package_files(base: Path = PACKAGE) -> list[Path]:
    """Every file of the package at ``base`` (not compiled bytecode), sorted."""
    found = []
    for folder, subfolders, files in os.walk(base):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        found += [Path(folder, name) for name in files if not name.endswith((".pyc", ".pyo"))]
    return sorted(found)


def hash_package(base: Path = PACKAGE) -> str:
    """SHA-256 over the relative path and bytes of every file of the package at ``base``."""
    h = hashlib.sha256()
    for path in package_files(base):
        h.update(path.relative_to(base).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@cache
def package_key() -> str:
    """``<version>+<16 hex digits of the package hash>``: the key of the code that made a cached result."""
    return f"{__version__}+{hash_package()[:16]}"
