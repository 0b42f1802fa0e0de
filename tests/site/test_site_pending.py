"""Any number of releases published and not yet in force (issue #13 of the site).

On top of the three releases of conftest.py (2.0.0: published 2027-02-01, effective
2027-03-01, a new purpose needing consent), 3.0.0 is released on 2027-02-05.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema

from policykit import changelog
from policykit.release import superseded_warnings
from policykit.site.build import Options, build_site

from ..conftest import REPO
from .conftest import ReleasedRepo, crawl

SCHEMAS = REPO / "src/policykit/schemas"
ATOM = "{http://www.w3.org/2005/Atom}"


def _third(released: Path, effective: str) -> changelog.Entry:
    from .conftest import GitRepo

    entries = changelog.read_entries(released)
    repo = ReleasedRepo(GitRepo(released), released, entries)
    contact = released / "policy/sections/contact.yaml"
    contact.write_text(contact.read_text("utf-8").replace("Huawei", "Huawei Group", 1), "utf-8")
    return repo.release("3.0.0", "significant", "2027-02-05", effective, {"en": "Contact details changed."},
                        (changelog.ChangeRecord("contact", "text-changed", "significant", "contact.changed",
                                                "How to reach us changed."),))


def _build(root: Path, today: str) -> Path:
    site = root / "build/site"
    build_site(root, Options(out=site, today=dt.date.fromisoformat(today), pdf=False, workers=0))
    return site


def _json(path: Path) -> dict:  # type: ignore[type-arg]
    data = json.loads(path.read_text("utf-8"))
    schema = "current" if path.name == "current.json" else "versions"
    jsonschema.validate(data, json.loads((SCHEMAS / f"{schema}.schema.json").read_text("utf-8")),
                        format_checker=jsonschema.FormatChecker())
    return data  # type: ignore[no-any-return]


def test_a_release_replaced_before_it_takes_effect_is_never_in_force(released: Path) -> None:
    _third(released, "2027-03-01")  # the same date as 2.0.0
    site = _build(released, "2027-02-10")
    current = _json(site / "en/current.json")
    assert current["in_force"]["version"] == "1.1.0"
    assert current["upcoming"]["version"] == "3.0.0" and [p["version"] for p in current["pending"]] == ["3.0.0"]
    assert current["upcoming"]["compare"] == "https://privacy.example.com/en/compare/1.1.0...3.0.0/"
    # 2.0.0's new purpose still reaches users, with 3.0.0: an app must ask for consent again.
    assert current["consent"] is True and current["notify"] is True
    versions = _json(site / "versions.json")
    status = {v["version"]: v["status"] for v in versions["versions"]}
    assert status == {"1.0.0": "superseded", "1.1.0": "in-force", "2.0.0": "never-in-force", "3.0.0": "upcoming"}
    home = (site / "en/index.html").read_text("utf-8")
    assert "This policy changes on" in home and "compare/1.1.0...3.0.0/" in home and "March 1, 2027" in home
    assert "was never in force" in (site / "en/2.0.0/index.html").read_text("utf-8")
    feed = ET.parse(site / "en/changes.atom").getroot()
    summaries = {e.findtext(f"{ATOM}id", "").rstrip("/").rsplit("/", 1)[-1]: e.findtext(f"{ATOM}summary", "")
                 for e in feed.findall(f"{ATOM}entry")}
    assert "Replaced by version 3.0.0 before it took effect" in summaries["2.0.0"]
    # The redline readers are sent to holds every change since the version in force, 2.0.0's too.
    compare = (site / "en/compare/1.1.0...3.0.0/index.html").read_text("utf-8")
    assert "purpose.added" in compare and "contact.changed" in compare
    assert list(crawl(site)) == []

    site = _build(released, "2027-03-02")  # the date passed: 3.0.0 in force, 2.0.0 never was
    status = {v["version"]: v["status"] for v in _json(site / "versions.json")["versions"]}
    assert status["2.0.0"] == "never-in-force" and status["3.0.0"] == "in-force"
    assert _json(site / "ja/current.json")["upcoming"] is None


def test_two_pending_releases_on_different_dates_are_both_announced(released: Path) -> None:
    _third(released, "2027-04-01")
    site = _build(released, "2027-02-10")
    current = _json(site / "de/current.json")
    assert [p["version"] for p in current["pending"]] == ["2.0.0", "3.0.0"]
    assert current["upcoming"]["version"] == "3.0.0" and current["consent"] is True
    home = (site / "en/index.html").read_text("utf-8")
    # The text first changes on 2.0.0's date; each release is named with its own.
    assert "This policy changes on" in home and home.index("March 1, 2027") < home.index("April 1, 2027")
    assert "Version 2.0.0 takes effect on" in home and "Version 3.0.0 takes effect on" in home
    assert "compare/1.1.0...3.0.0/" in home


def test_every_version_is_compared_with_the_one_in_force(released: Path) -> None:
    site = _build(released, "2027-03-02")  # 2.0.0 in force
    for locale in ("en", "ja"):
        assert (site / locale / "compare/1.0.0...2.0.0/index.html").is_file()
        assert "compare/1.0.0...2.0.0/" in (site / locale / "1.0.0/index.html").read_text("utf-8")
    form = (site / "en/compare/index.html").read_text("utf-8")
    assert "1.0.0...2.0.0/" in form and "1.0.0...1.1.0/" in form and "1.1.0...2.0.0/" in form


def _entry(version: str, published: str, effective: str) -> changelog.Entry:
    return changelog.Entry(version, "privacy-policy", "significant", dt.date.fromisoformat(published),
                           dt.date.fromisoformat(effective), None, "c" * 40, "t" * 40, "sha256:x", {})


def test_release_warns_when_it_replaces_a_pending_release() -> None:
    pending = _entry("2.0.0", "2027-02-01", "2027-03-01")
    in_force = _entry("1.0.0", "2018-05-01", "2018-05-01")
    same_day = list(superseded_warnings([in_force, pending], _entry("3.0.0", "2027-02-05", "2027-03-01")))
    assert len(same_day) == 1 and "replaces release 2.0.0 before it takes effect" in same_day[0]
    assert "2.0.0 will never be in force" in same_day[0]
    later = list(superseded_warnings([in_force, pending], _entry("3.0.0", "2027-02-05", "2027-04-01")))
    assert len(later) == 1 and "2.0.0 is still pending" in later[0]
    assert list(superseded_warnings([in_force], _entry("2.0.0", "2027-02-01", "2027-03-01"))) == []
