"""What the release checks and the hostile-input limits cost (issue 20).

Prints, on the project's own repository (releases 1.0.0, 1.0.1, 2.0.0):
- the full release check (`check_releases`: every entry, twin, tag, chain, notice, ledger),
  first and repeated in one process (nothing of it is cached on disk);
- `verified_entries` when nothing changed since the last passing check (the stamp: what a
  no-op site rebuild pays), as a whole process, and whether it imported GitPython;
- the YAML depth guard: the character bound over every real file, and the event pass a file
  over the bound pays, against parsing it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best(fn: object, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    from policykit import yamlio, yamllimits
    from policykit.integrity import check_releases

    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", "--no-tags", str(ROOT), str(clone)], check=True)
        started = time.perf_counter()
        problems = list(check_releases(clone))
        cold = time.perf_counter() - started
        warm = best(lambda: list(check_releases(clone)))
        print(f"full release check, 3 releases: first {cold:.3f} s (fresh clone), again {warm:.3f} s; "
              f"{len(problems)} problem(s)")
        script = ("import sys, time; t = time.perf_counter(); from pathlib import Path; "
                  "from policykit.integrity import verified_entries; "
                  f"n = len(verified_entries(Path({str(clone)!r}))); "
                  "print(n, round(time.perf_counter() - t, 3), 'git' in sys.modules)")
        env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
        subprocess.run([sys.executable, "-c", script], check=True, env=env, capture_output=True)  # records the stamp
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", script], check=True, env=env, capture_output=True,
                                 text=True).stdout.split()
            runs.append((time.perf_counter() - started, out))
        whole, out = min(runs, key=lambda r: r[0])
        print(f"verified_entries, nothing changed (a no-op rebuild's share): {float(out[1]):.3f} s in-process, "
              f"{whole:.3f} s as a whole process; GitPython imported: {out[2]}")

    files = [*ROOT.glob("policy/**/*.yaml"), *ROOT.glob("locales/*/*.yaml"), *ROOT.glob("changelog/*.yaml")]
    texts = [p.read_text("utf-8") for p in files]
    bound = best(lambda: [yamllimits.depth_bound(t) for t in texts])
    over = sum(yamllimits.depth_bound(t) > yamllimits.MAX_DEPTH for t in texts)
    print(f"depth bound over {len(texts)} real files: {bound * 1000:.2f} ms in all; files over the bound "
          f"(paying the event pass): {over}")
    biggest = max(texts, key=len)
    nested = biggest + "\nzz: " + "[" * 40 + "]" * 40 + "\n"  # over the bound, within the limit
    parse = best(lambda: yamlio._parse(nested.encode(), "x.yaml"))
    guard = best(lambda: yamlio.check_depth(nested, "x.yaml"))
    print(f"largest file ({len(biggest):,} chars) forced over the bound: event pass {guard * 1000:.1f} ms, "
          f"whole parse {parse * 1000:.1f} ms")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
