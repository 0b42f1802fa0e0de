"""Proof of what was published: a release's files are served byte for byte, whatever the
templates become; older releases (no hashes) are rendered as before; a changed file stops
the build and `validate`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from policykit import changelog, published
from policykit.errors import InvalidPolicy
from policykit.site import archive
from policykit.site.build import Options, build_site

TODAY = dt.date(2027, 3, 10)  # 2.1.0 (published 2027-02-05, in force from 2027-03-05) is in force
VERSION = "2.1.0"


def _publish(root: Path) -> changelog.Entry:
    """Release 2.1.0 as `policyctl release` does: the entry records what the release published,
    and the release commit adds the entry with those files."""
    from .conftest import GitRepo, released_content

    repo = GitRepo(root)
    repo.git("checkout", "--", "policy")  # drop conftest's unreleased draft text
    contact = root / "policy/sections/contact.yaml"
    contact.write_text(contact.read_text("utf-8").replace("Huawei", "Huawei Group", 1), "utf-8")
    commit = repo.commit("Policy text for 2.1.0")
    entry = changelog.Entry(VERSION, "privacy-policy", "minor", dt.date(2027, 2, 5), dt.date(2027, 3, 5), "2.0.0",
                            commit, repo.git("rev-parse", f"{commit}^{{tree}}"), released_content(root, commit),
                            {"en": "Our name in the contact details."})
    entry, written = archive.publish(root, entry)
    assert len(written) == 12
    (root / changelog.entry_path(VERSION)).write_text(changelog.dump_entry(entry), "utf-8")
    repo.commit("Release 2.1.0")
    return entry


def _build(root: Path, cache: str) -> Path:
    out = root / "build" / cache / "site"
    build_site(root, Options(out=out, today=TODAY, pdf=False, workers=0, cache_dir=root / "build" / cache / "c"))
    return out


def test_a_published_release_is_served_as_published_after_the_templates_change(
        released: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    entry = _publish(released)
    assert set(entry.artefacts) == {"en", "ja", "de", "zh-Hans"}
    kept = {p: (released / p).read_bytes() for p in published.paths(VERSION, entry.document, entry.artefacts)}
    text = " ".join(page.extract_text() for page in PdfReader(released / "published/2.1.0/en/privacy-policy.pdf").pages)
    assert "18 months" in " ".join(text.split()) and "Huawei Group" in text  # 2.1.0's own text

    # Later, the templates change (a restyle): the released version's files do not.
    import policykit.render.html as html

    restyled = html.stylesheet("policy.css") + "\nbody { font-family: Restyled; }\n"
    monkeypatch.setattr(html, "stylesheet", lambda name: restyled if name == "policy.css" else "")
    site = _build(released, "later")
    for tag in ("en", "ja"):
        for fmt in ("html", "pdf", "json"):
            served = (site / tag / VERSION / f"privacy-policy.{fmt}").read_bytes()
            assert served == kept[f"published/{VERSION}/{tag}/privacy-policy.{fmt}"], (tag, fmt)
        page = (site / tag / VERSION / "index.html").read_text("utf-8")
        assert "Restyled" not in page and 'class="site-nav"' in page  # the site's parts around it, not restyled
        # The page in force at /<tag>/ and a release recorded before hashes existed take today's templates.
        assert "Restyled" in (site / tag / "index.html").read_text("utf-8")
        assert "Restyled" in (site / tag / "1.1.0/index.html").read_text("utf-8")
    versions = json.loads((site / "versions.json").read_text("utf-8"))
    by_id = {v["version"]: v for v in versions["versions"]}
    assert by_id[VERSION]["locales"]["ja"]["published"] == entry.artefacts["ja"]
    assert by_id["1.1.0"]["locales"]["ja"]["published"] is None


def test_a_changed_published_file_stops_the_build_and_validate(released: Path) -> None:
    _publish(released)
    site = _build(released, "first")
    before = (site / "de/2.1.0/privacy-policy.json").read_bytes()
    path = "published/2.1.0/de/privacy-policy.json"
    (released / path).write_bytes(before.replace(b"privacy", b"PRIVACY", 1))
    with pytest.raises(InvalidPolicy, match=r"2\.1\.0/de/privacy-policy\.json:1:1: .*changed after its release"):
        _build(released, "second")
    problems = [str(d) for d in published.check_published(released)]
    assert len(problems) == 1 and problems[0].startswith(f"{path}:1:1: error: the published file changed")
