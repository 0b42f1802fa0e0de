"""Rendering figures for the real policy: ``python benchmarks/run.py render``.

Prints, per locale: HTML render time (the first page of the locale in a process,
which loads its CLDR data and chrome catalog, as the median of fresh processes; and
warm), PDF time through our path and bare
WeasyPrint on the same HTML with the same options (the ratio is what our path
adds: template, font check), and peak memory of one PDF per process; then the
WeasyPrint import time, PDFs/s with two worker processes, and the whole
``policyctl build --locale …`` of every locale as a process (wall time and peak memory).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policykit.model import Policy

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PDF_RUNS = 5
FIRST_RUNS = 7  # fresh processes per first-page figure: one GC pause or busy moment does not decide it


def _time(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _child(code: str) -> str:
    # Bytecode is written as it would be for a user (this shell may set PYTHONDONTWRITEBYTECODE).
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                          cwd=ROOT).stdout.strip()


# The first page of one locale in a fresh process, after the policy is loaded (loading is
# timed apart: it reads every locale). ``before`` renders one page in another locale first,
# which leaves out what a process does once (imports, the template compile). ``freeze``
# calls gc.freeze() after loading, so no collection walks the loaded policy again.
_FIRST = """
import json, time
from pathlib import Path
from policykit.load.project import load_policy
from policykit.localise import localise
from policykit.render.html import render_html
start = time.perf_counter()
policy = load_policy(Path('.'))
load = time.perf_counter() - start
if {freeze!r}:
    import gc
    gc.freeze()
if {before!r} is not None:
    render_html(localise(policy, {before!r}))
cpu, start = time.process_time(), time.perf_counter()
localised = localise(policy, {tag!r})
middle = time.perf_counter()
render_html(localised)
end, cpu = time.perf_counter(), time.process_time() - cpu
print(json.dumps({{"load": load, "localise": middle - start, "render": end - middle, "total": end - start,
                  "cpu": cpu}}))
"""

_PEAK = """
from pathlib import Path
from policykit.load.project import load_policy
from policykit.localise import localise
from policykit.render.pdf import render_pdf
render_pdf(localise(load_policy(Path('.')), {tag!r}))
# This process's own peak: ru_maxrss would keep the parent's (this benchmark's, WeasyPrint loaded) across exec.
print(int(next(line for line in open('/proc/self/status') if line.startswith('VmHWM:')).split()[1]) / 1024)
"""


def html_figures(policy: Policy | None = None) -> None:
    """The HTML lines: the first page of each locale in fresh processes, and warm in this one.

    ``cd benchmarks && python -c "import bench_render; bench_render.html_figures()"`` prints only these.
    """
    sys.path.insert(0, str(SRC))
    from policykit.load.project import load_policy
    from policykit.localise import localise
    from policykit.render.html import render_html

    policy = policy or load_policy(ROOT)
    print(f"HTML (localise + render_html); first page of a locale: median of {FIRST_RUNS} fresh processes, each"
          " timing one page after load_policy (wall time; CPU time is the process's own, steadier on a busy machine):")
    print("  'cold': the process's first page (imports jinja2, compiles the template); 'after': the first page"
          " of the locale after one page in another; 'frozen': the same with gc.freeze() after load_policy")

    def first(tag: str, before: str | None, freeze: bool = False) -> list[dict[str, float]]:
        code = _FIRST.format(tag=tag, before=before, freeze=freeze)
        return [json.loads(_child(code)) for _ in range(FIRST_RUNS)]

    def ms(samples: list[dict[str, float]], key: str = "total") -> float:
        return statistics.median(s[key] for s in samples) * 1000

    _child(_FIRST.format(tag=policy.all_locales[0], before=None, freeze=False))  # writes .pyc files
    for i, tag in enumerate(policy.all_locales):
        before = policy.all_locales[1 if i == 0 else 0]
        cold, after, frozen = first(tag, None), first(tag, before), first(tag, before, freeze=True)
        warm = _time(lambda tag=tag: render_html(localise(policy, tag)), 50)
        spread = ", ".join(f"{s['total'] * 1000:.1f}" for s in sorted(after, key=lambda s: s["total"]))
        print(f"  {tag:8} cold {ms(cold):5.1f} ms   after {before}: {ms(after):4.1f} ms, CPU {ms(after, 'cpu'):4.1f} ms"
              f" (localise {ms(after, 'localise'):.1f} + render_html {ms(after, 'render'):.1f}; runs {spread})"
              f"   frozen {ms(frozen):4.1f} ms, CPU {ms(frozen, 'cpu'):4.1f} ms   warm {warm * 1000:4.2f} ms")

    loads = ", ".join(f"{s['load'] * 1000:.0f}" for s in after)
    print(f"  (load_policy, all locales, in the last of those processes: {loads} ms)")


def main() -> None:
    sys.path.insert(0, str(SRC))
    from policykit.load.project import load_policy
    from policykit.localise import localise

    start = time.perf_counter()
    policy = load_policy(ROOT)
    load_s = time.perf_counter() - start
    words = sum(len(b.text.split()) for s in policy.sections for b in s.blocks if b.text)
    print(f"policy: {len(policy.sections)} sections, {words} words (source); load + validate {load_s * 1000:.0f} ms")

    html_figures(policy)

    start = time.perf_counter()
    import weasyprint

    print(f"WeasyPrint import (in this process): {time.perf_counter() - start:.2f} s")
    print("  in a fresh process: " + _child(
        "import time; t = time.perf_counter(); import weasyprint; print(f'{time.perf_counter() - t:.2f} s')"))
    print("  `policyctl --help` imports WeasyPrint: " + _child(
        "import sys, contextlib, io\nfrom policykit.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()): main(['--help'])\n"
        "print('weasyprint' in sys.modules)"))

    from policykit.render.fonts import check_fonts
    from policykit.render.pdf import DEFAULT_VARIANT, pdf_html, render_pdf

    print(f"PDF per locale (warm; best of {PDF_RUNS}, ours and bare interleaved; variant {DEFAULT_VARIANT}):")
    for tag in policy.all_locales:
        localised = localise(policy, tag)
        render_pdf(localised)  # warm fonts and caches
        page = pdf_html(localised)
        ours, bare, untagged = [], [], []
        for _ in range(PDF_RUNS):
            ours.append(_time(lambda localised=localised: render_pdf(localised), 1))
            bare.append(_time(lambda page=page: weasyprint.HTML(string=page).write_pdf(pdf_variant=DEFAULT_VARIANT), 1))
            untagged.append(_time(lambda page=page: weasyprint.HTML(string=page).write_pdf(), 1))
        # What our path adds to WeasyPrint, timed on its own (steadier than the difference
        # of two ~0.5 s timings on a busy machine): the page template and the font check.
        template = _time(lambda localised=localised: pdf_html(localised), 20)
        check = _time(lambda page=page, tag=tag: check_fonts(page, tag), 20)
        peak = float(_child(_PEAK.format(tag=tag)))
        ratio = min(ours) / min(bare)
        added = (template + check) / min(bare)
        print(f"  {tag:8} ours {min(ours):.3f} s   bare WeasyPrint {min(bare):.3f} s   ratio {ratio:.3f}"
              f"   (untagged {min(untagged):.3f} s)")
        print(f"  {'':8} our additions: template {template * 1000:.1f} ms + font check {check * 1000:.1f} ms"
              f" = {added:.1%} of bare;  peak RSS one PDF/process {peak:.0f} MB")

    # render_pdf takes a LocalisedPolicy, which pickles: a pool maps it directly.
    jobs = [localise(policy, t) for t in policy.all_locales for _ in range(2)]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(render_pdf, jobs[:2]))  # each worker imports WeasyPrint once
        start = time.perf_counter()
        list(pool.map(render_pdf, jobs))
        elapsed = time.perf_counter() - start
    print(f"two worker processes: {len(jobs)} PDFs in {elapsed:.2f} s = {len(jobs) / elapsed:.1f} PDFs/s")

    # Every locale named: the render path of `build` (a bare `policyctl build` makes the
    # whole static site of issue #7 on top of it, measured by bench_site).
    locale_args = [arg for tag in policy.all_locales for arg in ("--locale", tag)]
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        peak_mb = 0.0
        for _ in range(2):
            argv = ["-C", str(ROOT), "build", *locale_args, "--out", str(Path(tmp) / "site")]
            # The peak of this process (VmHWM: ru_maxrss would keep this benchmark's across exec)
            # and of its workers, which count once their forkserver has been stopped and reaped.
            code = ("import resource, sys\nfrom multiprocessing import forkserver\nfrom policykit.cli import main\n"
                    f"rc = main({argv!r})\n"
                    "getattr(forkserver._forkserver, '_stop', lambda: None)()\n"
                    "own = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')).split()[1])\n"
                    "print(max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)\n"
                    "sys.exit(rc)")
            start = time.perf_counter()
            out = _child(code)
            runs.append(time.perf_counter() - start)
            peak_mb = max(peak_mb, float(out))
        files = sum(1 for p in Path(tmp, "site").rglob("*") if p.is_file()) - 1
        print(f"`policyctl build --locale …` of all {len(policy.all_locales)} locales ({files} files) as a process: "
              f"{min(runs):.2f} s (best of 2; {', '.join(f'{r:.2f}' for r in runs)}), peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
