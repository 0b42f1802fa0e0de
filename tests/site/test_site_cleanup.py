"""Cleanup (issue 20, group 6): a build killed with SIGKILL leaves no process running (its workers,
their ``git cat-file``) and the next build removes its staging folder; a full disk (a real tmpfs,
filled) is one clear line and leaves nothing half-written."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policykit.site.cache import sweep

from ..conftest import REPO


def children(pid: int) -> dict[int, str]:
    """Every descendant of ``pid`` (pid -> command line), from /proc."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            commands[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = {}, [pid]
    while todo:
        parent = todo.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                found[child] = commands.get(child, "")
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status is left to collect


def build_process(root: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "CI": "1"}
    return subprocess.Popen([sys.executable, "-m", "policykit", "-C", str(root), "build"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


@pytest.mark.slow
def test_a_killed_build_leaves_no_process_and_the_next_build_removes_its_staging_folder(released: Path) -> None:
    site = released / "build/site"
    build = build_process(released)
    deadline = time.monotonic() + 120
    seen: dict[int, str] = {}
    while time.monotonic() < deadline:  # wait until its workers and a git cat-file run
        seen.update(children(build.pid))
        workers = [p for p, cmd in seen.items() if "python" in cmd and alive(p)]
        cat_files = [p for p, cmd in seen.items() if "cat-file" in cmd and alive(p)]
        staged = list(site.parent.glob(".site-new-*"))
        if len(workers) >= 2 and cat_files and staged:
            break
        assert build.poll() is None, "the build ended before it could be killed"
        time.sleep(0.05)
    else:
        pytest.fail(f"no workers, git cat-file and staging folder seen: {seen}")
    seen.update(children(build.pid))
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    ends = time.monotonic() + 20
    while time.monotonic() < ends and any(alive(p) for p in seen):
        time.sleep(0.1)
    left = {p: cmd for p, cmd in seen.items() if alive(p)}
    for pid in left:  # do not leave them to the rest of the test run
        os.kill(pid, signal.SIGKILL)
    assert left == {}, f"still running after the build was killed: {left}"
    assert list(site.parent.glob(".site-new-*")), "the killed build's staging folder should still be there"

    done = subprocess.run([sys.executable, "-m", "policykit", "-C", str(released), "build"], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO / "src"), "CI": "1"}, timeout=600)
    assert done.returncode == 0, done.stderr
    assert list(site.parent.glob(".site-new-*")) == []
    assert (site / "en/index.html").is_file()


def test_sweep_leaves_the_staging_folder_of_a_running_build_alone(tmp_path: Path) -> None:
    from policykit.site.cache import staging

    out = tmp_path / "site"
    stale = tmp_path / ".site-new-killed"
    (stale / "en").mkdir(parents=True)
    with staging(out) as mine:  # sweeps first: the killed build's folder goes
        assert not stale.exists()
        assert sweep(out) == [] and mine.is_dir()  # a build holds this one


def _namespace_with_tmpfs() -> list[str] | None:
    """How to run a shell where a small tmpfs can be mounted: a private mount namespace."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = subprocess.run([unshare, "-Urm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    return [unshare, "-Urm", "sh", "-c"] if probe.returncode == 0 else None


FULL_DISK = """
set -u
mount -t tmpfs -o size=2m tmpfs "$DISK"
cp -a "$PROJECT" "$DISK/p"
printf '%s\\n' "$MESSY" >> "$DISK/p/policy/sections/contact.yaml"
cp "$DISK/p/policy/sections/contact.yaml" "$DISK/before.yaml"
dd if=/dev/zero of="$DISK/filler" bs=1k 2>/dev/null
$PY -m policykit -C "$DISK/p" $COMMAND >"$LOGS/out.txt" 2>"$LOGS/err.txt"
echo "rc=$?"
cat "$LOGS/err.txt"
cmp -s "$DISK/before.yaml" "$DISK/p/policy/sections/contact.yaml" && echo "unchanged"
find "$DISK/p" -name '*.tmp' -o -name '*-tmp' -o -name '.*-new-*' -o -name '.*.new-*' | sed 's/^/LEFTOVER /'
"""


@pytest.mark.parametrize("command", ["fmt", "build --format json,html --out build/site"])
def test_a_full_disk_is_one_clear_line_and_leaves_nothing_half_written(project: Path, tmp_path: Path,
                                                                         command: str) -> None:
    shell = _namespace_with_tmpfs()
    if shell is None:
        pytest.skip("no private mount namespace here to make a small, full disk")
    disk = tmp_path / "disk"
    disk.mkdir()
    env = {**os.environ, "DISK": str(disk), "LOGS": str(tmp_path), "PROJECT": str(project), "PY": sys.executable,
           "COMMAND": command,
           "PYTHONPATH": str(REPO / "src"),
           # fmt has something to rewrite: a key indented the long way.
           "MESSY": "supplement:\n        note: added by hand"}
    done = subprocess.run([*shell, FULL_DISK], env=env, capture_output=True, text=True, timeout=300)
    out = done.stdout
    assert "rc=1" in out, out + done.stderr
    assert "the disk is full" in out and "Traceback" not in out, out
    assert "unchanged" in out, out
    assert "LEFTOVER" not in out, out
