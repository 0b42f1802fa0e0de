"""Translation workflow on the real policy (102 units per locale): status, export, import.

Prints in-process times (best of several runs) for: `i18n status` of every locale
with git history and 11 stale blocks (each needs a walk of history for its old
source), PO and XLIFF export of ja, import of that file (no edits: checks every
entry, writes nothing), and the glossary check that `validate` runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.com", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from policykit.i18n.exchange import Exchange, outgoing, plan
    from policykit.i18n.glossary import check_glossary
    from policykit.i18n.history import _parsed, git_history
    from policykit.i18n.po import export_po, read_po
    from policykit.i18n.status import status
    from policykit.i18n.xliff import export_xliff, read_xliff
    from policykit.load import FileSource, read_project

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("policy", "locales"):
            shutil.copytree(ROOT / name, root / name)
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "import")
        # Ten commits of unrelated edits, then one that touches 11 blocks: history to walk.
        intro = root / "policy/sections/introduction.yaml"
        for n in range(10):
            intro.write_text(intro.read_text("utf-8") + f"# note {n}\n", "utf-8")
            git(root, "commit", "-qam", f"note {n}")
        stale = 0
        for path in sorted((root / "policy/sections").glob("*.yaml")):
            first_text = r"(\n  - id: [a-z0-9-]+\n    text: \|\n      )"
            text, count = re.subn(first_text, r"\1Revised: ", path.read_text("utf-8"), count=1)
            path.write_text(text, "utf-8")
            stale += count
        git(root, "commit", "-qam", "revise")
        policy = read_project(FileSource(root)).policy
        assert policy is not None
        history = git_history(root)
        report = status(policy, None, history)
        assert [len(s.stale) for s in report][:2] == [stale, stale]
        assert all(st.diff for s in report for st in s.stale)
        print(f"  status, 3 locales, {stale} stale blocks in ja and de, git history (12 commits): "
              f"{best(lambda: (_parsed.cache_clear(), status(policy, None, git_history(root))), 3) * 1000:.0f} ms "
              "(cold: a new repository reader, nothing parsed yet)")
        print(f"  status, 3 locales, no history:                                  "
              f"{best(lambda: status(policy)) * 1000:.0f} ms")
        items = outgoing(policy, "ja", (), history)
        po = export_po(policy.document, policy.source_locale, "ja", items)
        xlf = export_xliff(policy.document, policy.source_locale, "ja", items)
        po_ms = best(lambda: export_po(policy.document, "en", "ja", items)) * 1000
        print(f"  export ja ({len(items)} units): PO {po_ms:.1f} ms, "
              f"XLIFF {best(lambda: export_xliff(policy.document, 'en', 'ja', items)) * 1000:.1f} ms "
              f"(+ history for stale: {best(lambda: outgoing(policy, 'ja', (), history), 3) * 1000:.0f} ms)")

        def check(exchange: Exchange) -> None:
            changes, _, diagnostics = plan(policy, exchange)
            assert not changes and not diagnostics

        print(f"  import ja, no edits (parse + check, nothing written): "
              f"PO {best(lambda: check(read_po(po, 'ja.po'))) * 1000:.0f} ms, "
              f"XLIFF {best(lambda: check(read_xliff(xlf.encode(), 'ja.xlf'))) * 1000:.0f} ms")
        print(f"  glossary check (validate), ja + de: {best(lambda: list(check_glossary(policy))) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
