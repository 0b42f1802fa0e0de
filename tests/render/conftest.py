"""Fixtures for rendering: the real policy, test locales written into a project copy,
and one build of the real policy shared by the tests that only read it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from policykit.load.project import load_policy
from policykit.model import Policy, source_hash

from ..conftest import REPO, copy_project


def add_locale(
    project: Path,
    tag: str,
    *,
    title: str | None = None,
    sections: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Write a (partial) translation ``locales/<tag>/`` and list ``tag`` in ``fallback_locales``.

    ``sections`` maps a section id to {"title": …, "<block id>": …}; hashes are those
    of the current source, so the entries are not stale.
    """
    policy = load_policy(project)
    folder = project / "locales" / tag
    folder.mkdir(parents=True)
    lines = [f"locale: {tag}"]
    if title is not None:
        lines.append(f"title: {{text: {json.dumps(title, ensure_ascii=False)}, "
                     f"source_hash: \"{source_hash(policy.title)}\"}}")
    (folder / "policy.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    for sid, entries in (sections or {}).items():
        section = policy.section(sid)
        assert section is not None, sid
        out = [f"section: {sid}"]
        if "title" in entries:
            out.append(f"title: {{text: {json.dumps(entries['title'], ensure_ascii=False)}, "
                       f"source_hash: \"{source_hash(section.title)}\"}}")
        blocks = {k: v for k, v in entries.items() if k != "title"}
        if blocks:
            out.append("blocks:")
            for bid, text in blocks.items():
                block = section.block(bid)
                assert block is not None and block.text is not None, bid
                out.append(f"  {bid}: {{text: {json.dumps(text, ensure_ascii=False)}, "
                           f"source_hash: \"{source_hash(block.text)}\"}}")
        (folder / f"{sid}.yaml").write_text("\n".join(out) + "\n", "utf-8")
    path = project / "policy/policy.yaml"
    text = path.read_text("utf-8")
    new, n = re.subn(r"^fallback_locales: \[(.*)\]$", lambda m: f"fallback_locales: [{m.group(1)}, {tag}]",
                     text, flags=re.M)
    if n == 0:
        new, n = re.subn(r"^locales: (\[.*\])$", lambda m: f"locales: {m.group(1)}\nfallback_locales: [{tag}]",
                         text, flags=re.M)
    assert n == 1, "could not list the test locale in policy/policy.yaml"
    path.write_text(new, "utf-8")


ARABIC = {
    "title": "سياسة الخصوصية",
    "introduction": {
        "title": "مقدمة",
        "scope": "تحترم شركة هواوي خصوصية العملاء. يرجى قراءة ما يلي لمعرفة تفاصيل سياسة الخصوصية.",
    },
}


@pytest.fixture
def rtl_project(project: Path) -> Path:
    """The real policy with a partial Arabic test locale (not part of the published policy)."""
    add_locale(project, "ar", title=ARABIC["title"],
               sections={"introduction": ARABIC["introduction"]})  # type: ignore[dict-item]
    return project


@pytest.fixture(scope="session")
def real_policy() -> Policy:
    return load_policy(REPO)


def every_locale(policy: Policy) -> list[str]:
    """``--locale`` for each locale: the render path of `build` for every locale and format.

    (A bare `policyctl build` builds the whole static site of issue #7 on top of it.)"""
    return [arg for tag in policy.all_locales for arg in ("--locale", tag)]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, real_policy: Policy) -> Path:
    """One build of (a copy of) the real policy: every locale, every format."""
    from policykit.cli import main

    project = copy_project(tmp_path_factory.mktemp("site-project"))
    assert main(["-C", str(project), "build", *every_locale(real_policy)]) == 0
    return project / "build" / "site"
