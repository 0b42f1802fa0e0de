"""Load + validate: the real policy, and a generated 200-section, 5,000-block policy.

Prints in-process times (best of several runs) and the whole `policyctl validate`
process, which is what an editor waits for (targets: real < 0.5 s, generated < 3 s).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(dest: Path, sections: int = 200, blocks: int = 5000) -> Path:
    """A synthetic policy: ``sections`` sections, ``blocks`` blocks, facts and links in each."""
    (dest / "policy/sections").mkdir(parents=True)
    ids = [f"section-{i:03d}" for i in range(sections)]
    (dest / "policy/policy.yaml").write_text(
        "document: big\ntitle: Big policy\nsource_locale: en\nlocales: [en]\nnotice_period: P30D\n"
        "controller: {name: Big Ltd., country: JP}\nsections:\n" + "".join(f"  - {i}\n" for i in ids),
        "utf-8",
    )
    per = blocks // sections
    for n, sid in enumerate(ids):
        lines = [f"id: {sid}", f"title: Section {n}", "blocks:"]
        for b in range(per):
            lines += [
                f"  - id: block-{b}",
                "    text: |",
                f"      We may use your *personal information* for purpose {b} of section {n}, see "
                f"[the details](https://example.com/{sid}/{b}) or write to [us](mailto:privacy@example.com).",
            ]
        lines += ["facts:", "  data_categories:"]
        lines += [f"    - {{id: cat-{n}-{k}, label: Category {k}, taxonomy: user.contact.email}}" for k in range(5)]
        (dest / f"policy/sections/{sid}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return dest


def in_process(root: Path, runs: int = 5) -> float:
    from policykit.load.project import load_project

    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        loaded = load_project(root)
        best = min(best, time.perf_counter() - start)
        assert loaded.policy is not None and not any(d.severity == "error" for d in loaded.diagnostics)
    return best


def whole_process(root: Path, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "policyctl.py"), "-C", str(root), "validate"],
                       check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    try:
        big = generate(tmp / "big")
        print(f"real policy     in-process {in_process(ROOT) * 1000:7.1f} ms   "
              f"whole process {whole_process(ROOT) * 1000:7.1f} ms  (target < 500 ms)")
        print(f"200 sec / 5000 blocks in-process {in_process(big, 3) * 1000:7.1f} ms   "
              f"whole process {whole_process(big, 3) * 1000:7.1f} ms  (target < 3000 ms)")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
