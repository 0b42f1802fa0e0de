"""What the renderers write for the golden fixture, file by file (see README.md).

Two families, each a set of golden files under ``tests/golden/<family>/``:

- ``render``: ``project/v2`` as each locale's page (``render/<tag>.html``) and data
  (``render/<tag>.json``), through the format registry that ``build`` and the site use, as a site
  renders a release (version 2.0.0, with language and PDF links).
- ``diff``: ``policyctl diff`` from release 1.0.0 (``project/v1``, committed and released in a temp
  git repository) to the work tree (``project/v2``), in every text format: once as a pull request
  runs it (``diff/all-locales.*``: the source's words, every translation's own changes) and once per
  translation (``diff/<tag>.*``, ``--locale <tag>``: that language's words and changes).

The output is exact but for two stand-ins, each for a value that is not what a golden file is
about: the commit id of release 1.0.0 (it follows every byte of the fixture) and the stylesheet
of the HTML pages when it is the package's ``policy.css`` as it is (a change to it would repeat in
every page; it is reviewed in its own file).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from policykit.cli import main

from ..conftest import GitRepo, record_release

HERE = Path(__file__).parent
FIXTURE = HERE / "project"
LOCALES = ("en", "ja", "de", "zh-Hans")  # the fixture's: source, two published, one partial fallback
TRANSLATIONS = LOCALES[1:]
RENDERED = ("html", "json")  # the text formats of the registry (PDF and Word are binary)
DIFF_FORMATS = {"text": "txt", "markdown": "md", "json": "json", "html": "html"}
VERSION, EFFECTIVE = "2.0.0", dt.date(2025, 4, 1)  # v2 as a site shows it once released
RELEASED = "1.0.0"  # v1, as the diff goldens release it
COMMIT = f"<commit of {RELEASED}>"
STYLESHEET = "/* the package's policy.css, as it is (src/policykit/render/static/policy.css) */"


@dataclasses.dataclass(frozen=True)
class Family:
    files: tuple[str, ...]  # the golden files it makes, relative to tests/golden/
    make: Callable[[Path], dict[str, str]]  # (an empty temp folder) -> {file: text}


def project(version: str, dest: Path) -> Path:
    """A copy of ``project/<version>`` at ``dest``: outside this repository, whose git history and
    releases are not the fixture's."""
    for name in ("policy", "locales"):
        shutil.copytree(FIXTURE / version / name, dest / name)
    return dest


# -- render ---------------------------------------------------------------------------
def rendered(tmp: Path) -> dict[str, str]:
    from policykit.load.project import load_policy
    from policykit.localise import localise
    from policykit.render.formats import FORMATS
    from policykit.render.html import Links, alternates

    policy = load_policy(project("v2", tmp / "v2"))
    if tuple(policy.all_locales) != LOCALES:
        raise AssertionError(f"the fixture's locales are {policy.all_locales}, the golden files' {LOCALES}")
    files = {}
    for tag in LOCALES:
        page = dataclasses.replace(localise(policy, tag), version=VERSION, effective_from=EFFECTIVE)
        links = Links(languages=alternates(LOCALES, tag), pdf=f"{policy.document}.pdf")
        for name in RENDERED:
            text = FORMATS[name].render(page, links=links).decode("utf-8")
            files[f"render/{tag}.{name}"] = _stylesheet_elided(text) if name == "html" else text
    return files


def _stylesheet_elided(page: str) -> str:
    from policykit.render.html import stylesheet

    css = stylesheet("policy.css")
    return re.sub(r"(?s)(<style>\n)(.*?)(\n</style>)",
                  lambda m: m[1] + (STYLESHEET if m[2] == css else m[2]) + m[3], page)


# -- diff -----------------------------------------------------------------------------
def diffs(tmp: Path) -> dict[str, str]:
    repo = GitRepo(project("v1", tmp / "repo"))
    repo.commit("The policy of March 2025")
    commit = record_release(repo, RELEASED, day="2025-03-01").commit
    for name in ("policy", "locales"):
        shutil.rmtree(repo.path / name)
    project("v2", repo.path)
    files = {}
    for tag in (None, *TRANSLATIONS):
        for fmt, ext in DIFF_FORMATS.items():
            out = policyctl("-C", str(repo.path), "diff", "--format", fmt, *(("--locale", tag) if tag else ()))
            files[f"diff/{tag or 'all-locales'}.{ext}"] = out.replace(commit, COMMIT).replace(commit[:7], COMMIT)
    return files


def policyctl(*args: str) -> str:
    """What ``policyctl ARGS`` prints on standard output; anything on standard error, or an exit
    code but 0, is no output to freeze but a broken fixture."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    if code or err.getvalue():
        raise AssertionError(f"policyctl {' '.join(args)}: exit {code}\n{err.getvalue()}")
    return out.getvalue()


FAMILIES: dict[str, Family] = {
    "render": Family(tuple(f"render/{tag}.{name}" for tag in LOCALES for name in RENDERED), rendered),
    "diff": Family(tuple(f"diff/{tag}.{ext}" for tag in ("all-locales", *TRANSLATIONS)
                         for ext in DIFF_FORMATS.values()), diffs),
}


def make(family: str, tmp: Path) -> dict[str, str]:
    """Every golden file of ``family``, as policyctl makes it now."""
    files = FAMILIES[family].make(tmp)
    if set(files) != set(FAMILIES[family].files):
        raise AssertionError(f"{family} made {sorted(files)}, not {sorted(FAMILIES[family].files)}")
    return files


def pinned_environment() -> dict[str, str | None]:
    """What the output depends on besides the fixture: colour (None: unset)."""
    return {"NO_COLOR": "1", "FORCE_COLOR": None}
