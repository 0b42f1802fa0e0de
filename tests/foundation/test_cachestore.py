"""The one cache store: keyed by input bytes and the installed package, atomic, and a damaged
entry is recomputed, never served. Real files in temporary folders; a real copy of the package
for the package key."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policykit.cachestore import FOLDER_ENV, Cache, clear, user_folder, write_atomic

SRC = Path(__file__).resolve().parents[2] / "src"


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_a_value_is_read_back_for_the_same_input_bytes_only(tmp_path: Path) -> None:
    store = Cache("things", tmp_path)
    assert store.get(b"input") is None
    store.put(b"input", b"result")
    assert store.get(b"input") == b"result"
    assert store.get(b"input ") is None  # one byte more is another input
    assert Cache("other", tmp_path).get(b"input") is None  # and another cache another key
    assert [p.parent.parent for p in _entries(tmp_path)] == [tmp_path / "things"]
    assert not [p for p in (tmp_path / "things").rglob(".tmp-*")]  # written by rename: nothing left


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "not ours"])
def test_a_damaged_entry_is_a_miss_removed_and_then_recomputed(tmp_path: Path, damage: str) -> None:
    store = Cache("things", tmp_path)
    store.put_json(b"input", {"level": "minor", "counts": [1, 2, 3]})
    [entry] = _entries(tmp_path)
    data = entry.read_bytes()
    entry.write_bytes({"truncated": data[:-5], "flipped": data[:-3] + b"X" + data[-2:], "empty": b"",
                       "not ours": b'{"level": "significant"}'}[damage])
    assert store.get_json(b"input") is None
    assert not entry.exists()  # removed, so that it is written again whole
    store.put_json(b"input", {"level": "minor"})  # the caller's recomputation
    assert store.get_json(b"input") == {"level": "minor"}


def _probe(src: Path, cache: Path, action: str) -> str:
    code = ("import sys\nfrom policykit.cachestore import Cache\nc = Cache('probe')\n"
            "if sys.argv[1] == 'put':\n    c.put(b'same input', b'made by this code')\n"
            "print(c.get(b'same input'))\n")
    env = {**os.environ, "PYTHONPATH": str(src), FOLDER_ENV: str(cache)}
    run = subprocess.run([sys.executable, "-c", code, action], env=env, capture_output=True, text=True, check=True)
    return run.stdout.strip()


def test_a_change_anywhere_in_the_installed_package_is_a_miss(tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(SRC / "policykit", copy / "policykit", ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "cache"
    assert _probe(copy, cache, "put") == "b'made by this code'"
    assert _probe(copy, cache, "get") == "b'made by this code'"  # same package: a hit
    data = copy / "policykit" / "data" / "rules.yaml"
    data.write_bytes(data.read_bytes() + b"\n# an edit of a data file\n")
    assert _probe(copy, cache, "get") == "None"  # another package: a miss
    (copy / "policykit" / "data" / "rules.yaml").write_bytes((SRC / "policykit" / "data" / "rules.yaml").read_bytes())
    assert _probe(copy, cache, "get") == "b'made by this code'"
    (copy / "policykit" / "a_new_module.py").write_text("X = 1\n", "utf-8")  # no list to add it to
    assert _probe(copy, cache, "get") == "None"


def test_the_folder_is_the_setting_then_xdg_then_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FOLDER_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_folder() == tmp_path / "xdg" / "policyctl"
    monkeypatch.setenv(FOLDER_ENV, str(tmp_path / "project-cache"))
    assert user_folder() == tmp_path / "project-cache"
    Cache("things").put(b"x", b"y")
    assert _entries(tmp_path / "project-cache") and not (tmp_path / "xdg").exists()
    monkeypatch.delenv(FOLDER_ENV)
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_folder() == tmp_path / "home" / ".cache" / "policyctl"


def test_a_cache_under_a_file_only_costs_speed(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", "utf-8")
    store = Cache("things", tmp_path / "file")
    store.put(b"x", b"y")  # no error
    assert store.get(b"x") is None


def test_an_atomic_write_replaces_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    dest = tmp_path / "a" / "b" / "object"
    write_atomic(dest, b"first", 0o444)
    write_atomic(dest, b"second", 0o444)
    assert dest.read_bytes() == b"second" and not dest.stat().st_mode & 0o222
    assert [p.name for p in dest.parent.iterdir()] == ["object"]


def test_clear_removes_the_folders_and_says_which(tmp_path: Path) -> None:
    Cache("things", tmp_path / "user").put(b"x", b"y")
    (tmp_path / "site").mkdir()
    assert clear([tmp_path / "user", tmp_path / "site", tmp_path / "never-made"]) == [tmp_path / "user",
                                                                                      tmp_path / "site"]
    assert not (tmp_path / "user").exists() and not (tmp_path / "site").exists()


def test_policyctl_cache_clear_drops_the_user_cache_and_the_site_cache(tmp_path: Path) -> None:
    project, user = tmp_path / "project", tmp_path / "user"
    Cache("things", user).put(b"x", b"y")
    (project / "build" / ".cache" / "site" / "objects").mkdir(parents=True)
    env = {**os.environ, FOLDER_ENV: str(user)}

    def cache(action: str) -> str:
        return subprocess.run([sys.executable, "-m", "policykit", "-C", str(project), "cache", action], env=env,
                              capture_output=True, text=True, check=True).stdout

    assert cache("dir").splitlines() == [str(user), str(project / "build" / ".cache" / "site")]
    assert cache("clear").splitlines() == [f"removed {user}", f"removed {project / 'build' / '.cache' / 'site'}"]
    assert not user.exists() and (project / "build").is_dir()
    assert cache("clear") == "no cache to remove\n"
