"""Completeness: parse the requirement sets, assess the real policy, assess a big one, and `policyctl check`.

Prints best-of-N times. The assessment walks every block once per declarable
requirement, so the big policy (200 sections, 5,000 blocks, 1,000 fact items)
shows whether that stays cheap.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best(fn: Callable[[], object], runs: int) -> float:
    out = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - start)
    return out


def generate(dest: Path, sections: int = 200, blocks: int = 5000) -> Path:
    (dest / "policy/sections").mkdir(parents=True)
    ids = [f"section-{i:03d}" for i in range(sections)]
    (dest / "policy/policy.yaml").write_text(
        "document: big\ntitle: Big policy\nsource_locale: en\nlocales: [en]\nnotice_period: P30D\n"
        "jurisdictions: [gdpr, appi, ccpa]\ncontroller: {name: Big Ltd., country: JP}\nsections:\n"
        + "".join(f"  - {i}\n" for i in ids), "utf-8")
    per = blocks // sections
    for n, sid in enumerate(ids):
        lines = [f"id: {sid}", f"title: Section {n}", "blocks:"]
        for b in range(per):
            lines += [f"  - id: block-{b}", f"    text: You may complain to a supervisory authority ({n}.{b}).",
                      "    satisfies: [gdpr.13.2.d]"]
        lines += ["facts:", "  rights:"]
        lines += [f"    - {{id: right-{n}-{k}, label: Right {k}, right: access}}" for k in range(5)]
        (dest / f"policy/sections/{sid}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return dest


def main() -> None:
    from policykit.completeness import assess, check_completeness, jurisdictions
    from policykit.load import FileSource, read_project

    def parse() -> None:
        jurisdictions()  # read anew on each call (no memo: docs/architecture.md, "Caches")

    sets = list(jurisdictions().values())
    real = read_project(FileSource(ROOT)).policy
    assert real is not None
    tmp = Path(tempfile.mkdtemp())
    try:
        big = read_project(FileSource(generate(tmp / "big"))).policy
        assert big is not None
        cmd = [sys.executable, str(ROOT / "policyctl.py"), "-C", str(ROOT), "check"]
        rows: list[tuple[str, Callable[[], object], int]] = [
            ("parse gdpr+appi+ccpa requirement sets", parse, 5),
            ("assess real policy (3 jurisdictions)", lambda: assess(real, sets), 20),
            ("validate check, real policy", lambda: list(check_completeness(real)), 20),
            ("assess 200 sections / 5000 blocks", lambda: assess(big, sets), 5),
            ("validate check, 5000 blocks (plausibility)", lambda: list(check_completeness(big)), 3),
            ("whole `policyctl check` on the real policy", lambda: subprocess.run(cmd, capture_output=True), 5),
        ]
        for label, fn, runs in rows:
            print(f"{label:<44} {best(fn, runs) * 1000:8.2f} ms")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
