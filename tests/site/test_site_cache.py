"""The site's content-addressed store: whole objects, read-only, nothing half-written left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from policykit import cachestore
from policykit.site import cache
from policykit.site.cache import Store


def test_put_stores_whole_read_only_objects_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    data = os.urandom(300_000)  # more than one write may take
    path = store.put("ab" + "0" * 62, data)
    assert path.read_bytes() == data and store.has("ab" + "0" * 62)
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    store.put("ab" + "0" * 62, data)  # a second put of the same key (two workers racing) is harmless
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_put_steps_over_a_temporary_file_a_killed_process_left(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    folder = tmp_path / "store/objects/cd"
    folder.mkdir(parents=True)
    n = next(cachestore._TMP_NAMES) + 1
    stale = folder / f".tmp-{os.getpid()}-{n}"  # the very name the next put would take
    stale.write_bytes(b"half")
    assert store.put("cd" + "1" * 62, b"whole").read_bytes() == b"whole"
    assert stale.read_bytes() == b"half"


def test_put_recreates_a_store_deleted_under_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.put("ef" + "2" * 62, b"one")
    import shutil

    shutil.rmtree(tmp_path / "store")
    assert store.put("ef" + "3" * 62, b"two").read_bytes() == b"two"


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    import resource
    import signal

    store = Store(tmp_path / "store")
    store.put("aa" + "5" * 62, b"small")
    # The file size limit makes write() fail with EFBIG, as a full disk fails it with ENOSPC.
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, old_limit[1]))
    try:
        with pytest.raises(OSError):
            store.put("aa" + "4" * 62, os.urandom(300_000))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
    assert sorted(p.name for p in (tmp_path / "store/objects/aa").iterdir()) == ["aa" + "5" * 62]


_IMPORTED = """
import datetime as dt, sys
from pathlib import Path
from policykit.site.build import Options, build_site
root = Path(sys.argv[1])
build_site(root, Options(out=root / "build/site", today=dt.date(2027, 2, 10), pdf=False, workers=0, draft=True))
print("\\n".join(m.__file__ for name, m in sys.modules.items() if name.startswith("policykit.") and m.__file__))
"""


def test_the_key_of_a_page_covers_every_module_a_build_renders_with(released: Path) -> None:
    # A page is keyed on the installed package (cachekey: every file of it, walked, no list of
    # modules to keep up to date), so no module a build imports can change a page's bytes
    # without a new key (load.py once became load/, and a hand-kept list missed it).
    import subprocess
    import sys

    from policykit.cachekey import package_files

    base = Path(cache.__file__).resolve().parent.parent
    covered = {p.resolve() for p in package_files()}
    run = subprocess.run([sys.executable, "-c", _IMPORTED, str(released)], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(base.parent)})
    used = {Path(f).resolve() for f in run.stdout.split()}
    assert used and not used - covered, sorted(used - covered)
    assert any(p.suffix == ".j2" for p in covered) and any(p.suffix == ".po" for p in covered)
