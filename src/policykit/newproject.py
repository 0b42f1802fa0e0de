"""A new policy project, set up in any repository: the files, git, pre-commit and CI.

:func:`create` writes a minimal valid policy (``src/policykit/scaffold/``), makes the
folder a git repository unless it is already inside one, adds a pre-commit
configuration and, with ``ci="github"``, a GitHub Actions workflow that installs
policyctl the way :func:`install_line` says: a pinned requirement that works in any
repository, or a wheel copied into the repository.

A project in a subfolder of a repository gets its hooks and workflow at the
repository's top, pointed at the subfolder (``policyctl -C <folder>``).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from string import Template
from typing import Any

from policykit.errors import UsageError

CI_SYSTEMS = ("github",)
WORKFLOW = ".github/workflows/privacy-policy.yml"
PRE_COMMIT = ".pre-commit-config.yaml"
WHEEL_FOLDER = ".github/policyctl"  # where a wheel given to --install is kept


@dataclass(frozen=True)
class Install:
    """How CI installs policyctl: a pip requirement, or a wheel file to copy into the repository."""

    requirement: str = ""
    wheel: Path | None = None


@dataclass(frozen=True)
class Created:
    target: Path
    written: tuple[str, ...]  # relative to the repository's top
    kept: tuple[str, ...] = ()  # files that existed and were left as they were
    git_top: Path | None = None  # the repository the project is in
    git_initialised: bool = False
    notes: tuple[str, ...] = field(default=())


def install_line(explicit: str | None = None, *, dist: Any = None) -> Install:
    """How a CI machine installs the policyctl running now (``explicit``: what ``--install`` said).

    ``explicit`` is a pip requirement (``policyctl==1.2.0``, ``policyctl @ git+https://…@v1.2.0``)
    or the path of a wheel. Without it, the installation's own record (PEP 610
    ``direct_url.json``) says: from an index, ``policyctl==<version>``; from version control,
    that repository at the exact commit; from a URL, that URL. A local folder (a checkout, an
    editable install) is nothing another machine can install from: UsageError says what to pass.
    """
    if explicit:
        if explicit.endswith(".whl"):
            wheel = Path(explicit).expanduser()
            if not wheel.is_file():
                raise UsageError(f"--install {explicit}: no such wheel file")
            return Install(wheel=wheel.resolve())
        if any(c in explicit for c in "\n\"`$"):
            raise UsageError(f"--install {explicit!r}: a pip requirement has no quotes, $ or line breaks")
        return Install(requirement=explicit)
    try:
        dist = dist or distribution("policyctl")
    except PackageNotFoundError:
        raise UsageError("policyctl is not installed as a package here: pass --install with a pip "
                         "requirement or a wheel") from None
    record = dist.read_text("direct_url.json")
    return Install(requirement=requirement_from(json.loads(record) if record else None, dist.version))


def requirement_from(direct_url: dict[str, Any] | None, version: str) -> str:
    """The pip requirement that installs what a PEP 610 record describes (None: from an index)."""
    if direct_url is None:
        return f"policyctl=={version}"
    url = str(direct_url.get("url", ""))
    vcs = direct_url.get("vcs_info")
    if vcs is not None:
        sub = direct_url.get("subdirectory")
        line = f"policyctl @ {vcs['vcs']}+{url}@{vcs['commit_id']}"
        return line + (f"#subdirectory={sub}" if sub else "")
    if "archive_info" in direct_url and url.startswith(("https://", "http://")):
        return f"policyctl @ {url}"
    raise UsageError(
        f"this policyctl was installed from a local folder ({url}), which a CI machine cannot install "
        "from: pass --install with a requirement that works anywhere (`policyctl==X.Y.Z` from your "
        "package index, or `policyctl @ git+https://HOST/policyctl@TAG`), or with a wheel built from "
        "that folder (`python -m pip wheel --no-deps -w dist FOLDER`), which is copied into the repository")


def _template(name: str) -> str:
    return resources.files("policykit").joinpath(f"scaffold/{name}").read_text("utf-8")


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def create(target: Path, *, document: str, title: str, controller: str, locale: str,
           ci: str | None = None, install: Install | None = None, git: bool = True) -> Created:
    """Write a new project at ``target``; never overwrites a file (those are listed as kept)."""
    from policykit import git as gitmod

    if ci is not None and ci not in CI_SYSTEMS:
        raise UsageError(f"--ci {ci}: choose from {', '.join(CI_SYSTEMS)}")
    if ci is not None and install is None:
        raise UsageError("--ci needs to know how CI installs policyctl (see install_line)")
    target.mkdir(parents=True, exist_ok=True)
    top = gitmod.work_tree_top(target)
    initialised = False
    if top is None and git:
        gitmod.init_repository(target)
        top, initialised = target.resolve(), True
    base = top or target.resolve()
    rel = target.resolve().relative_to(base).as_posix()
    prefix = "" if rel == "." else rel + "/"
    # JSON strings are valid YAML scalars, so any title or name is quoted safely.
    values = {"document": document, "locale": locale, "title": json.dumps(title, ensure_ascii=False),
              "controller": json.dumps(controller, ensure_ascii=False)}
    files = {
        f"{prefix}policy/policy.yaml": Template(_template("policy/policy.yaml")).substitute(values),
        f"{prefix}policy/sections/introduction.yaml": Template(
            _template("policy/sections/introduction.yaml")).substitute(values | {"controller": controller}),
        f"{prefix}policy/sections/contact.yaml": _template("policy/sections/contact.yaml"),
        f"{prefix}.gitignore": _template("gitignore"),
        f"{prefix}locales/.gitkeep": "",
        f"{prefix}changelog/.gitkeep": "",
        PRE_COMMIT: _fill(_template("pre-commit-config.yaml"),
                          {"DASH_C": f"-C {rel} " if prefix else "", "PREFIX": prefix}),
    }
    notes = []
    if ci == "github":
        assert install is not None
        requirement = install.requirement
        if install.wheel is not None:
            kept_at = f"{WHEEL_FOLDER}/{install.wheel.name}"
            (base / WHEEL_FOLDER).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(install.wheel, base / kept_at)
            # pip runs in the project folder (the workflow's working-directory)
            requirement = ("../" * (rel.count("/") + 1) if prefix else "./") + kept_at
            notes.append(f"CI installs policyctl from {kept_at} (copied from {install.wheel}): commit it")
        files[WORKFLOW] = _fill(_template("ci/github.yml"),
                                {"PROJECT": rel, "PREFIX": prefix, "INSTALL": requirement})
    written, kept = [], []
    for name, text in files.items():
        path = base / name
        if path.exists():
            kept.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written.append(name)
    return Created(target=target, written=tuple(written), kept=tuple(kept), git_top=top,
                   git_initialised=initialised, notes=tuple(notes))
