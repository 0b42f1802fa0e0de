"""The message families and their cases: each case makes a small project, breaks it the way a
legal editor would, and returns exactly what policyctl prints (stdout and stderr, in-process).

``golden/<family>.txt`` holds the expected output of every case of a family;
``python -m tests.messages.regenerate`` writes it anew (see README.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policykit.cli import main
from policykit.model import source_hash
from policykit.newproject import create

from ..conftest import GIT_ENV

Case = Callable[[Path], str]
GOLDEN = Path(__file__).parent / "golden"


def cli(*args: str) -> str:
    """What ``policyctl ARGS`` prints, stdout then stderr, and its exit code."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # --help, and argparse's own errors
            code = int(exc.code or 0)
    return f"{out.getvalue()}{err.getvalue()}[exit {code}]\n"


def project(tmp: Path, *, locales: str = "[en]", fallback: str = "") -> Path:
    """A project as `init` makes it, without completeness checks (they are not what these cases are about)."""
    root = tmp / "acme"
    create(root, document="privacy-policy", title="Privacy Policy", controller="ACME Ltd.", locale="en", git=False)
    policy = root / "policy/policy.yaml"
    text = policy.read_text("utf-8").replace("jurisdictions: [gdpr]\n", "jurisdictions: []\n")
    text = text.replace("locales: [en]\n", f"locales: {locales}\n" + (f"fallback_locales: {fallback}\n"
                                                                     if fallback else ""))
    policy.write_text(text, "utf-8")
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def validate(root: Path) -> str:
    return cli("-C", str(root), "validate")


CONTACT = "policy/sections/contact.yaml"
INTRO = "policy/sections/introduction.yaml"


# -- yaml: syntax and indentation ---------------------------------------------------
def _yaml(old: str, new: str, rel: str = CONTACT) -> Case:
    def case(tmp: Path) -> str:
        root = project(tmp)
        edit(root, rel, old, new)
        return validate(root)
    return case


YAML: dict[str, Case] = {
    "a-key-indented-one-space-less-in-a-list-item": _yaml("      label: Privacy contact",
                                                          "     label: Privacy contact"),
    "a-key-indented-under-a-key-that-has-a-value": _yaml("      role: privacy-contact",
                                                         "        role: privacy-contact"),
    "a-list-item-indented-more-than-its-siblings": _yaml(
        "      email: privacy@example.com\n", "      email: privacy@example.com\n     - id: dpo\n       label: DPO\n"),
    "a-value-with-a-colon": _yaml("title: How to contact us", "title: Contact: how to reach us"),
    "a-tab-for-indentation": _yaml("  - id: privacy-contact\n    text:", "  - id: privacy-contact\n\ttext:"),
    "a-missing-colon": _yaml("title: How to contact us", "title How to contact us"),
    "an-unclosed-quote": _yaml("title: How to contact us", 'title: "How to contact us'),
    "an-unclosed-bracket": _yaml("title: How to contact us", "title: [How to contact us"),
}


# -- schema: keys, types, ids, closed vocabularies -------------------------------------
FACTS = """  data_categories:
    - id: email
      label: E-mail address
      taxonomy: user.contact.email
"""


def _schema(old: str, new: str, rel: str = CONTACT, facts: bool = True) -> Case:
    def case(tmp: Path) -> str:
        root = project(tmp)
        if facts:
            (root / CONTACT).write_text((root / CONTACT).read_text("utf-8") + FACTS, "utf-8")
        edit(root, rel, old, new)
        return validate(root)
    return case


SCHEMA: dict[str, Case] = {
    "a-misspelt-required-key-is-one-error": _schema("taxonomy: user", "taxnomy: user"),
    "an-unknown-optional-key-is-a-warning": _schema("      taxonomy: user.contact.email",
                                                    "      taxonomy: user.contact.email\n      sorces: [web]"),
    "a-reference-to-no-item": _schema("      taxonomy: user.contact.email",
                                      "      taxonomy: user.contact.email\n      sources: [yuo]"),
    "a-taxonomy-key-misspelt": _schema("user.contact.email", "user.contact.emial"),
    "a-country-as-alpha-3": _schema(FACTS, FACTS + "  transfers:\n    - id: us\n      label: To the US\n"
                                    "      mechanism: adequacy\n      countries: [USA]\n"),
    "a-country-by-name": _schema(FACTS, FACTS + "  transfers:\n    - id: de\n      label: Transfers abroad\n"
                                 "      mechanism: adequacy\n      countries: [Germany]\n"),
    "an-enum-value-misspelt": _schema(FACTS, FACTS + "  transfers:\n    - id: eu\n      label: Within the EU\n"
                                      "      mechanism: adequcy\n"),
    "a-country-code-written-for-a-language": _schema("locales: [en]", "locales: [en, jp]", "policy/policy.yaml",
                                                     facts=False),
    "a-locale-with-an-underscore": _schema("source_locale: en", "source_locale: en_GB", "policy/policy.yaml",
                                           facts=False),
    "a-duplicate-key": _schema("title: How to contact us", "title: How to contact us\ntitle: Contact",
                               facts=False),
    "a-section-listed-twice-in-a-typo": _schema("  - contact\n", "  - contcat\n", "policy/policy.yaml", facts=False),
}


# -- links inside the policy ------------------------------------------------------------
def _link(text: str) -> Case:
    def case(tmp: Path) -> str:
        root = project(tmp)
        edit(root, INTRO, "handles your personal information.", f"handles your personal information.\n      {text}")
        return validate(root)
    return case


def _link_into_a_broken_section(tmp: Path) -> str:
    root = project(tmp)
    edit(root, INTRO, "handles your personal information.",
         "handles your personal information.\n      [Ask us](#contact.privacy-contact).")
    edit(root, CONTACT, "      label: Privacy contact", "     label: Privacy contact")
    return validate(root)


LINKS: dict[str, Case] = {
    "links-that-reach-a-section-a-block-and-a-fact": _link(
        "[Contact](#contact), [ask us](#contact.privacy-contact), [the table](#facts.contacts.privacy-contact)."),
    "a-block-id-misspelt": _link("[Ask us](#contact.privacy-contcat)."),
    "a-section-id-in-capitals": _link("[Contact](#Contact)."),
    "an-empty-fragment": _link("[Contact](#)."),
    "a-link-into-a-section-that-does-not-parse-is-not-a-second-error": _link_into_a_broken_section,
}


# -- translations: published means translated ----------------------------------------------
def translated(tmp: Path, *, locales: str = "[en, de]", fallback: str = "") -> Path:
    """A project published in German, every unit translated from the current source (written as
    JSON, which is YAML too)."""
    from policykit.i18n.catalog import units
    from policykit.load import FileSource, read_project

    root = project(tmp, locales=locales, fallback=fallback)
    policy = read_project(FileSource(root)).policy
    assert policy is not None
    files: dict[str, dict[str, Any]] = {}
    for unit in units(policy, "de"):
        key = "label" if unit.kind == "label" else "text"
        entry = {key: f"DE {unit.source.strip()}", "source_hash": source_hash(unit.source)}
        if unit.kind == "term":
            files.setdefault("vocabulary", {"locale": "de", "terms": {}})["terms"][
                unit.key.removeprefix("vocabulary:")] = entry
        elif unit.section == "":
            files.setdefault("policy", {"locale": "de"})[unit.key] = entry
        else:
            data = files.setdefault(unit.section, {"section": unit.section})
            if unit.kind == "title":
                data["title"] = entry
            elif unit.kind == "block":
                data.setdefault("blocks", {})[unit.key.split(".", 1)[1]] = entry
            else:
                _, kind, fid = unit.key.split(".", 2)
                data.setdefault("facts", {}).setdefault(kind, {})[fid] = entry
    (root / "locales/de").mkdir(parents=True)
    for name, data in files.items():
        (root / f"locales/de/{name}.yaml").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return root


def _complete(tmp: Path) -> str:
    return validate(translated(tmp))


def _source_edit(fallback: bool) -> Case:
    def case(tmp: Path) -> str:
        root = translated(tmp, locales="[en]" if fallback else "[en, de]", fallback="[de]" if fallback else "")
        # An editor adds a link to the English: the German is now stale (not wrong), waiting for its translator.
        edit(root, INTRO, "handles your personal information.",
             "handles your personal information ([contact](#contact)).")
        return validate(root)
    return case


def _half_translated(tmp: Path) -> str:
    root = translated(tmp)
    (root / "locales/de/contact.yaml").unlink()
    return validate(root)


def _translator_drops_a_link(tmp: Path) -> str:
    root = translated(tmp)
    text = (root / "locales/de/contact.yaml").read_text("utf-8")
    old = "[privacy@example.com](mailto:privacy@example.com)"
    assert old in text
    (root / "locales/de/contact.yaml").write_text(text.replace(old, "privacy@example.com", 1), "utf-8")
    return validate(root)


TRANSLATIONS: dict[str, Case] = {
    "every-unit-translated": _complete,
    "a-source-edit-makes-a-published-translation-stale": _source_edit(False),
    "a-source-edit-makes-a-fallback-translation-stale": _source_edit(True),
    "a-published-locale-with-missing-units": _half_translated,
    "a-current-translation-that-drops-a-link": _translator_drops_a_link,
}


# -- release: every reason at once, dates and durations in words -------------------------------
def _git(root: Path, *args: str, date: str = "2026-05-01T12:00:00+00:00") -> None:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def repository(tmp: Path, **kw: str) -> Path:
    root = project(tmp, **kw)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Start the policy")
    return root


def _first_release_everything_wrong(tmp: Path) -> str:
    root = repository(tmp)
    edit(root, "policy/policy.yaml", "notice_period: P30D", "notice_period: P30D\nlast_updated: 2026-06-01")
    edit(root, CONTACT, "      role: privacy-contact", "      role: privacy-contcat")
    _git(root, "commit", "-qam", "Date it and break a role")
    edit(root, INTRO, "handles", "processes")  # uncommitted
    return cli("-C", str(root), "release", "--published", "2026-05-04", "--effective", "2026-05-01")


def _significant_without_notice(tmp: Path) -> str:
    root = repository(tmp)
    assert "exit 0" in cli("-C", str(root), "release", "--published", "2026-05-04")
    _git(root, "checkout", "-q", "-b", "new-purpose")
    (root / CONTACT).write_text((root / CONTACT).read_text("utf-8") + "  purposes:\n    - id: ads\n"
                                "      label: Advertising\n      taxonomy: marketing.advertising\n", "utf-8")
    _git(root, "commit", "-qam", "Advertising")
    return cli("-C", str(root), "release", "--published", "2026-06-01", "--effective", "2026-06-10")


def _warnings_but_released(tmp: Path) -> str:
    root = repository(tmp)
    edit(root, "policy/policy.yaml", "notice_period: P30D", "notice_period: P1M\nlast_updated: 2026-07-01")
    _git(root, "commit", "-qam", "Date it")
    _git(root, "checkout", "-q", "-b", "draft")
    return cli("-C", str(root), "release", "--published", "2026-05-04", "--dry-run")


def _published_locale_incomplete_at_the_first_release(tmp: Path) -> str:
    root = translated(tmp)
    (root / "locales/de/contact.yaml").unlink()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Start the policy, half in German")
    return cli("-C", str(root), "release", "--published", "2026-05-04")


RELEASE: dict[str, Case] = {
    "the-first-release-with-every-problem-at-once": _first_release_everything_wrong,
    "a-significant-change-too-soon-from-a-branch": _significant_without_notice,
    "warnings-do-not-stop-a-release": _warnings_but_released,
    "a-published-locale-half-translated-at-the-first-release": _published_locale_incomplete_at_the_first_release,
}


# -- help: an example and the exit codes of every command ------------------------------------
def _help(*verb: str) -> Case:
    def case(tmp: Path) -> str:
        return cli(*verb, "--help")
    return case


def _helps() -> dict[str, Case]:
    from policykit.clihelp import HELP

    return {name.replace(" ", "-"): _help(*name.split()[1:] if name == "policyctl" else name.split())
            for name in HELP}


FAMILIES: dict[str, Callable[[], dict[str, Case]]] = {
    "yaml": lambda: YAML,
    "schema": lambda: SCHEMA,
    "links": lambda: LINKS,
    "translations": lambda: TRANSLATIONS,
    "release": lambda: RELEASE,
    "help": _helps,
}


# A release counts its notice from the moment it is made: the cases make theirs at this moment.
RELEASE_MOMENT = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def render(family: str, tmp: Path) -> str:
    """Every case of ``family`` and what policyctl printed, as the golden file holds it."""
    from unittest import mock

    with mock.patch("policykit.release.now", lambda: RELEASE_MOMENT):
        cases = FAMILIES[family]()
        return _render(cases, tmp)


def _render(cases: dict[str, Any], tmp: Path) -> str:
    parts = []
    for name, case in cases.items():
        folder = tmp / name
        folder.mkdir(parents=True)
        # Commit ids and content hashes depend on the scaffold's bytes: not what a message is about.
        out = re.sub(r"\b[0-9a-f]{12,64}\b", "<hash>", case(folder).replace(str(folder), "<tmp>"))
        parts.append(f"### {name}\n{out}")
    return "\n".join(parts)


def pinned_environment() -> dict[str, str]:
    """What the output depends on besides the cases: the terminal's width (argparse wraps to it)."""
    return {"COLUMNS": "100"}

