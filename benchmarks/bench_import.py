"""Import speed: ``python benchmarks/run.py import``.

Figures (targets from issue #11):
- ``policyctl import`` of a 10,000-word policy as a whole process (Markdown, and the same policy as
  .docx), median of fresh processes, target < 2 s;
- the history of every policy of the corpus imported (one commit per version), and how many paragraphs
  kept their ids (identical: target 100 %; edited: at least 95 %).

The corpus is the Platform Governance Archive (PGA v2) dataset, collected with the Open Terms Archive
engine by the Lab Platform Governance, Media and Technology (ZeMKI, University of Bremen); Open Data
Commons Attribution License (ODC-By 1.0). It is kept in the repository as test data
(``tests/corpus/pga-privacy``, with its attribution), and read from there.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ENV = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
       "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
       "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
RUNS = 5


def corpus() -> Path:
    path = REPO / "tests" / "corpus" / "pga-privacy"
    if not path.is_dir():
        sys.exit(f"bench import: the corpus is not at {path}; restore it with `git checkout -- tests/corpus`")
    return path


def ten_thousand_words(base: Path) -> str:
    """The longest policy of the corpus, then sections of the others until the text has 10,000 words."""
    files = sorted(base.glob("*/*.md"), key=lambda p: -len(p.read_bytes()))
    text = files[0].read_text("utf-8")
    for other in files[1:]:
        if len(text.split()) >= 10_000:
            break
        if other.parent != files[0].parent:
            text += "\n\n" + re.sub(r"^.*\n=+\n", "", other.read_text("utf-8"), count=1)
    words = text.split()
    cut = len(" ".join(words[:10_000]))
    return text[: text.find(words[9_999], cut - len(words[9_999]) - 1) + len(words[9_999])] + "\n"


def _process(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "policykit", *args], check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def whole_process(source: Path, work: Path) -> list[float]:
    times = []
    for n in range(RUNS):
        dest = work / f"run-{source.suffix[1:]}-{n}"
        dest.mkdir()
        times.append(_process(["-C", str(dest), "import", str(source)]))
    return times


def main() -> None:
    sys.path.insert(0, str(REPO / "src"))
    from policykit import importing
    from policykit.importing.history import Continuity, continuity, import_history
    from policykit.load.project import load_policy
    from policykit.localise import localise
    from policykit.render.docx import render_docx
    from policykit.versions import load_version

    base = corpus()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        md = work / "policy.md"
        md.write_text(ten_thousand_words(base), "utf-8")
        words = len(md.read_text("utf-8").split())
        importing.import_file(md.read_bytes(), md.name, work / "made")
        docx = work / "policy.docx"
        docx.write_bytes(render_docx(localise(load_policy(work / "made"), "en")))
        for source in (md, docx):
            times = whole_process(source, work)
            print(f"policyctl import of a {words:,}-word policy ({source.suffix}), whole process: median "
                  f"{statistics.median(times):.2f} s, min {min(times):.2f} s over {RUNS} runs (target < 2 s)")
        total = Continuity()
        versions = 0
        start = time.perf_counter()
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            t = time.perf_counter()
            imported = import_history(folder, work / "history" / folder.name)
            print(f"  {folder.name}: {len(imported)} versions in {time.perf_counter() - t:.1f} s")
            versions += len(imported)
            previous = None
            for version in imported:
                policy = load_version(work / "history" / folder.name, version.commit).policy
                if previous is not None:
                    total = total + continuity(previous, policy)
                previous = policy
        elapsed = time.perf_counter() - start
        print(f"history of the whole corpus ({versions} versions, 6 policies): {elapsed:.1f} s including the "
              "id check, in-process")
        print(f"identical paragraphs that kept their id: {total.same_kept:,}/{total.same:,} "
              f"({total.same_kept / total.same:.2%}; in the same section too: {total.same_in_place / total.same:.2%})")
        print(f"edited paragraphs that kept their id: {total.edited_kept:,}/{total.edited:,} "
              f"({total.edited_kept / total.edited:.2%}; in the same section too: "
              f"{total.edited_in_place / total.edited:.2%}) (target ≥ 95 %)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
