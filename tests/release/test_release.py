"""`policyctl release` on real git repositories: what it writes, commits and tags, and every refusal."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import TRANSLATED_RELEASE, GitRepo, materialise_release

from policykit import yamlio
from policykit.changelog import dump_entry, parse_entry, read_entries
from policykit.cli import main
from policykit.load.project import load_project
from policykit.model import source_hash
from policykit.release import check_releases


@pytest.fixture
def git_project(tmp_path: Path) -> Iterator[GitRepo]:
    """The 2018 policy as released in TRANSLATED_RELEASE (its translations complete), committed once in
    a fresh repository — without the real changelog/, whose entries name commits of the project's own
    repository."""
    path = materialise_release(TRANSLATED_RELEASE, tmp_path / "repo")
    repo = GitRepo(path)
    repo.commit("Import the 2018 policy")
    yield repo


SUMMARY = """summary:
  en: |
    We now collect your device identifier. It is used to keep your account secure.
  ja: |
    お客様の端末識別子を取得します。アカウントの安全を守るために使います。
  de: pending
"""


def run(root: Path, *args: str) -> int:
    return main(["-C", str(root), *args])


def edit(root: Path, rel: str, change: object) -> None:
    """Round-trip edit of a YAML file (comments kept), as an editor would."""
    path = root / rel
    data = yamlio.load_roundtrip(path.read_text("utf-8"), rel)
    change(data)  # type: ignore[operator]
    path.write_text(yamlio.dump_roundtrip(data), "utf-8")


def set_block(root: Path, section: str, block: str, text: str, *, refresh: tuple[str, ...] = ("ja", "de")) -> None:
    """Change a block's source text; mark the translations as reviewed against it (their meaning holds)."""
    def source(data: object) -> None:
        for b in data["blocks"]:  # type: ignore[index]
            if b["id"] == block:
                b["text"] = yamlio.literal(text)

    edit(root, f"policy/sections/{section}.yaml", source)
    for tag in refresh:
        def translation(data: object) -> None:
            data["blocks"][block]["source_hash"] = source_hash(text)  # type: ignore[index]

        edit(root, f"locales/{tag}/{section}.yaml", translation)


def block_text(root: Path, section: str, block: str) -> str:
    data = yamlio.parse((root / f"policy/sections/{section}.yaml").read_bytes(), "x")
    return str(next(b["text"] for b in data["blocks"] if b["id"] == block))


def date_it(root: Path, day: str) -> None:
    """Move the policy's "last updated" date on, as an editor does with every change that matters."""
    edit(root, "policy/policy.yaml", lambda d: d.__setitem__("last_updated", dt.date.fromisoformat(day)))


def add_device_id(root: Path, *, dated: str | None = "2026-05-04") -> None:
    if dated:
        date_it(root, dated)

    def add(data: object) -> None:
        data["facts"]["data_categories"].append(yamlio.new_map([  # type: ignore[index]
            ("id", "device-id"), ("label", "Device identifier"), ("taxonomy", "user.device.device_id")]))

    edit(root, "policy/sections/collection.yaml", add)
    for tag, label in (("ja", "端末識別子"), ("de", "Gerätekennung")):
        def label_it(data: object, label: str = label) -> None:
            data["facts"]["data_categories"]["device-id"] = yamlio.new_map(  # type: ignore[index]
                [("label", label), ("source_hash", source_hash("Device identifier"))])

        edit(root, f"locales/{tag}/collection.yaml", label_it)


def first_release(repo: object) -> None:
    root = repo.path  # type: ignore[attr-defined]
    assert run(root, "release", "--published", "2018-05-01") == 0


def missing_space(repo: object) -> str:
    """Put back a missing space of the 2018 text (fixed in the real policy since 1.0.1) and commit it;
    the repaired text, for a test to fix it again."""
    root = repo.path  # type: ignore[attr-defined]
    text = block_text(root, "contact", "responsible-entity")
    assert "customers. We will" in text
    set_block(root, "contact", "responsible-entity", text.replace("customers. We will", "customers.We will"))
    repo.commit("The 2018 text, with its missing space")  # type: ignore[attr-defined]
    return text


def test_the_first_release_is_recorded_committed_and_tagged(git_project: object,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    root = repo.path  # type: ignore[attr-defined]
    content = repo.git("rev-parse", "HEAD")  # type: ignore[attr-defined]
    assert run(root, "release", "--published", "2018-05-01") == 0
    out = capsys.readouterr().out
    assert "privacy-policy 1.0.0: initial" in out and "tagged privacy-policy-1.0.0" in out
    [entry] = read_entries(root)
    assert (entry.version, entry.level, entry.published, entry.effective) == (
        "1.0.0", "initial", dt.date(2018, 5, 1), dt.date(2018, 5, 1))
    assert entry.commit == content and entry.previous is None
    assert entry.tree == repo.git("rev-parse", f"{content}^{{tree}}")  # type: ignore[attr-defined]
    # The release commit holds exactly the two changelog files and what the release published
    # (page, PDF and JSON per locale, their hashes in the entry), on top of the content commit.
    files = repo.git("show", "--name-only", "--format=", "HEAD").split()  # type: ignore[attr-defined]
    kept = {f"published/1.0.0/{tag}/privacy-policy.{fmt}" for tag in entry.artefacts for fmt in ("html", "pdf", "json")}
    assert set(entry.artefacts) == {"en", "ja", "de", "zh-Hans"}
    assert sorted(files) == sorted(["changelog/1.0.0.md", "changelog/1.0.0.yaml", *kept])
    for tag, hashes in entry.artefacts.items():
        for fmt, recorded in hashes.items():
            data = (root / f"published/1.0.0/{tag}/privacy-policy.{fmt}").read_bytes()
            assert recorded == "sha256:" + hashlib.sha256(data).hexdigest()
    assert "published 12 file" not in out and "12 published file(s) in published/1.0.0/" in out
    assert "## Published files" in (root / "changelog/1.0.0.md").read_text("utf-8")
    assert repo.git("rev-parse", "HEAD~1") == content  # type: ignore[attr-defined]
    assert repo.git("rev-parse", "privacy-policy-1.0.0^{commit}") == repo.git("rev-parse", "HEAD")  # type: ignore[attr-defined]
    assert "# Privacy Policy 1.0.0" in (root / "changelog/1.0.0.md").read_text("utf-8")
    assert list(check_releases(root)) == []
    assert repo.git("status", "--porcelain") == ""  # type: ignore[attr-defined]

    # What was published stays as it was: validate names the file that changed, or is gone.
    from policykit.published import check_published

    assert list(check_published(root)) == []
    pdf = root / "published/1.0.0/ja/privacy-policy.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% restyled later\n")
    (root / "published/1.0.0/de/privacy-policy.json").unlink()
    assert run(root, "validate") == 1
    err = capsys.readouterr()
    assert "published/1.0.0/ja/privacy-policy.pdf:1:1: error: the published file changed after its release" in (
        err.out + err.err)
    assert "published/1.0.0/de/privacy-policy.json:1:1: error: the published file is missing" in err.out + err.err


def editorial_release(repo: object) -> Path:
    """Release 1.0.0 of the 2018 text with its missing space, then 1.0.1 fixing it; the project root."""
    root: Path = repo.path  # type: ignore[attr-defined]
    fixed = missing_space(repo)
    first_release(repo)
    set_block(root, "contact", "responsible-entity", fixed)
    repo.commit("Fix a missing space")  # type: ignore[attr-defined]
    assert run(root, "release", "--published", "2018-06-01") == 0
    return root


def test_an_editorial_fix_is_a_patch_release(git_project: object) -> None:
    root = editorial_release(git_project)
    entry = read_entries(root)[-1]
    assert (entry.version, entry.level, entry.previous) == ("1.0.1", "editorial", "1.0.0")
    assert [(c.path, c.level) for c in entry.changes] == [("contact.responsible-entity", "editorial")]


def test_a_significant_release_needs_notice_and_a_summary_then_queues_notices(
        git_project: object, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    root = repo.path  # type: ignore[attr-defined]
    first_release(repo)
    add_device_id(root)
    (root / "policy" / "notify.yaml").write_text(
        "outbox: {path: state/outbox.sqlite3}\nchannels:\n"
        "  - id: log\n    type: command\n    command: ['true']\n    locales: [en, ja, de]\n", "utf-8")
    repo.commit("Collect device identifiers")  # type: ignore[attr-defined]
    draft = root.parent / "draft.yaml"
    draft.write_text(SUMMARY, "utf-8")
    capsys.readouterr()

    assert run(root, "release", "--published", "2026-05-04", "--summary-file", str(draft)) == 1
    err = capsys.readouterr().err
    # 30 days from 2026-05-04 09:00 UTC end on 2026-06-03 at 09:00: the first whole day after is 06-04.
    assert "needs --effective DATE" in err and "--effective 2026-06-04 (Thursday 4 June 2026) or later" in err
    assert run(root, "release", "--published", "2026-05-04", "--effective", "2026-05-20",
               "--summary-file", str(draft)) == 1
    err = capsys.readouterr().err
    assert "less than the notice period of 30 days (notice_period: P30D)" in err and "2026-06-04 (" in err
    assert run(root, "release", "--published", "2026-05-04", "--effective", "2026-06-08") == 1
    assert "needs an editor's summary" in capsys.readouterr().err
    draft.write_text(SUMMARY.replace("  de: pending\n", ""), "utf-8")
    assert run(root, "release", "--published", "2026-05-04", "--effective", "2026-06-08",
               "--summary-file", str(draft)) == 1
    assert "the summary has no 'de'" in capsys.readouterr().err

    draft.write_text(SUMMARY, "utf-8")
    assert run(root, "release", "--published", "2026-05-04", "--effective", "2026-06-08",
               "--summary-file", str(draft)) == 0
    out = capsys.readouterr().out
    assert "privacy-policy 2.0.0: significant" in out and "summary in de is pending" in out
    assert "notify: 2.0.0: 3 job(s) added" in out
    entry = read_entries(root)[-1]
    assert entry.summary["de"] is None and entry.summary["ja"].startswith("お客様の端末識別子")
    assert any(c.path == "facts.data_categories.device-id" and c.level == "significant" for c in entry.changes)
    md = (root / "changelog/2.0.0.md").read_text("utf-8")
    assert "facts.data_categories.device-id" in md and "_Translation pending._" in md


def test_a_minor_or_significant_release_moves_the_last_updated_date_on(
        git_project: object, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    root = repo.path  # type: ignore[attr-defined]
    first_release(repo)
    add_device_id(root, dated=None)
    repo.commit("Collect device identifiers")  # type: ignore[attr-defined]
    draft = root.parent / "draft.yaml"
    draft.write_text("overrides:\n  - path: facts.data_categories.device-id\n    level: minor\n"
                     "    justification: Covered by the existing account data.\n", "utf-8")
    release = ["release", "--published", "2026-05-04", "--summary-file", str(draft)]
    assert run(root, *release) == 1
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate((root / "policy/policy.yaml").read_text("utf-8").splitlines(), 1)
                if text.startswith("last_updated:"))
    assert f"policy/policy.yaml:{line}:" in err
    assert "`last_updated` is still 2018-05-01, as in release 1.0.0, but the changes are minor" in err
    assert "set `last_updated: 2026-05-04`" in err
    assert len(read_entries(root)) == 1

    date_it(root, "2018-04-01")
    repo.commit("Date it (wrongly)")  # type: ignore[attr-defined]
    assert run(root, *release) == 1
    assert "`last_updated` 2018-04-01 is earlier than release 1.0.0's 2018-05-01" in capsys.readouterr().err

    date_it(root, "2026-05-04")
    repo.commit("Date it")  # type: ignore[attr-defined]
    assert run(root, *release) == 0
    entry = read_entries(root)[-1]
    assert (entry.version, entry.level) == ("1.1.0", "minor")
    assert any(c.path == "policy.last_updated" and c.level == "editorial" for c in entry.changes)


def test_refused_when_the_policy_is_invalid(git_project: object, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    root = repo.path  # type: ignore[attr-defined]
    edit(root, "policy/policy.yaml", lambda d: d.__setitem__("notice_period", "thirty days"))
    repo.commit("Break the notice period")  # type: ignore[attr-defined]
    assert run(root, "release", "--published", "2018-05-01") == 1
    err = capsys.readouterr().err
    assert "policy/policy.yaml:12:16: error: notice_period 'thirty days' is not an ISO 8601 duration" in err
    assert not (root / "changelog" / "1.0.0.yaml").exists()


def test_refused_with_uncommitted_policy_changes(git_project: object, capsys: pytest.CaptureFixture[str]) -> None:
    root = git_project.path  # type: ignore[attr-defined]
    (root / "locales" / "ja" / "notes.txt").write_text("draft", "utf-8")
    set_block(root, "updates", "changes", "Huawei may update this policy.", refresh=())
    assert run(root, "release", "--published", "2018-05-01") == 1
    err = capsys.readouterr().err
    assert "uncommitted changes to the policy" in err
    assert "policy/sections/updates.yaml" in err and "locales/ja/notes.txt" in err


def test_refused_when_nothing_changed(git_project: object, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    first_release(repo)
    root = repo.path  # type: ignore[attr-defined]
    (root / "README.txt").write_text("not the policy", "utf-8")
    repo.commit("Unrelated")  # type: ignore[attr-defined]
    assert run(root, "release") == 1
    assert "nothing changed since release 1.0.0" in capsys.readouterr().err


def test_refused_when_only_formatting_changed(git_project: object, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    first_release(repo)
    root = repo.path  # type: ignore[attr-defined]
    path = root / "policy" / "sections" / "minors.yaml"
    path.write_text("# A comment changes no meaning.\n" + path.read_text("utf-8"), "utf-8")
    repo.commit("Comment")  # type: ignore[attr-defined]
    assert run(root, "release") == 1
    assert "not in anything the policy says" in capsys.readouterr().err


def test_refused_when_the_version_does_not_match_the_level(git_project: object,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    first_release(repo)
    root = repo.path  # type: ignore[attr-defined]
    add_device_id(root)
    repo.commit("Collect device identifiers")  # type: ignore[attr-defined]
    draft = root.parent / "draft.yaml"
    draft.write_text(SUMMARY, "utf-8")
    common = ["--published", "2026-05-04", "--effective", "2026-06-08", "--summary-file", str(draft)]
    assert run(root, "release", "--version", "1.1.0", *common) == 1
    assert "announces a minor change, but this release is significant: use 2.0.0" in capsys.readouterr().err
    assert run(root, "release", "--version", "1.0.0", *common) == 1
    assert "not higher than the last release 1.0.0" in capsys.readouterr().err
    assert run(root, "release", "--version", "3.0.0", *common) == 0


def test_a_lowered_significant_change_needs_a_justification(git_project: object,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    first_release(repo)
    root = repo.path  # type: ignore[attr-defined]
    add_device_id(root)
    repo.commit("Collect device identifiers")  # type: ignore[attr-defined]
    draft = root.parent / "draft.yaml"
    draft.write_text("overrides:\n  - path: facts.data_categories.device-id\n    level: minor\n", "utf-8")
    assert run(root, "release", "--published", "2026-05-04", "--summary-file", str(draft)) == 1
    assert "needs a written justification" in capsys.readouterr().err
    draft.write_text("overrides:\n  - path: facts.data_categories.device-id\n    level: minor\n"
                     "    justification: Only collected on devices the customer registers; covered by "
                     "the existing account data.\n", "utf-8")
    assert run(root, "release", "--published", "2026-05-04", "--summary-file", str(draft)) == 0
    entry = read_entries(root)[-1]
    assert entry.version == "1.1.0" and entry.level == "minor"
    [o] = entry.overrides
    assert (o.path, o.was, o.level) == ("facts.data_categories.device-id", "significant", "minor")
    assert "covered by the existing account data" in (root / "changelog/1.1.0.md").read_text("utf-8")


def test_a_stale_translation_blocks_the_release(git_project: object, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    fixed = missing_space(repo)
    first_release(repo)
    root = repo.path  # type: ignore[attr-defined]
    set_block(root, "contact", "responsible-entity", fixed, refresh=("ja",))  # de not reviewed
    repo.commit("Fix a missing space, ja reviewed")  # type: ignore[attr-defined]
    assert run(root, "release") == 1
    err = capsys.readouterr().err
    assert "locales/de/contact.yaml:12:7: error: [de] the text of contact.responsible-entity is stale" in err


def test_dry_run_changes_nothing(git_project: object, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    root = repo.path  # type: ignore[attr-defined]
    head = repo.git("rev-parse", "HEAD")  # type: ignore[attr-defined]
    assert run(root, "release", "--dry-run", "--published", "2018-05-01") == 0
    assert "dry run" in capsys.readouterr().out
    assert not (root / "changelog" / "1.0.0.yaml").exists()
    assert repo.git("rev-parse", "HEAD") == head and repo.git("tag") == ""  # type: ignore[attr-defined]


# -- immutability and finding versions again ------------------------------------------

def test_an_entry_edited_after_release_fails_validation(git_project: object) -> None:
    repo = git_project
    first_release(repo)
    root = repo.path  # type: ignore[attr-defined]
    path = root / "changelog" / "1.0.0.yaml"
    path.write_text(path.read_text("utf-8").replace("effective: 2018-05-01", "effective: 2018-04-01"), "utf-8")
    found = [d for d in load_project(root).diagnostics if d.code == "release.edited"]
    assert found and str(found[0]).startswith("changelog/1.0.0.yaml:3:1: error: changelog entry 1.0.0 was edited")


def test_an_entry_rewritten_with_a_fresh_hash_is_still_caught(git_project: object) -> None:
    repo = git_project
    first_release(repo)
    root = repo.path  # type: ignore[attr-defined]
    path = root / "changelog" / "1.0.0.yaml"
    entry = parse_entry(path.read_bytes(), "changelog/1.0.0.yaml")
    from dataclasses import replace

    path.write_text(dump_entry(replace(entry, effective=dt.date(2018, 4, 1))), "utf-8")  # self-consistent
    repo.commit("Backdate the release")  # type: ignore[attr-defined]
    [d] = [d for d in load_project(root).diagnostics if d.severity == "error"]
    assert d.code == "release.edited" and "differs from the one its release commit" in d.message


def test_an_entry_whose_commit_holds_other_content_fails_validation(git_project: object) -> None:
    repo = git_project
    root = repo.path  # type: ignore[attr-defined]
    assert run(root, "release", "--published", "2018-05-01", "--dry-run") == 0
    from policykit.release import prepare, write

    prepared = prepare(root, published=dt.date(2018, 5, 1))
    from dataclasses import replace

    forged = replace(prepared, entry=replace(prepared.entry, content_hash="sha256:" + "0" * 64))
    write(root, forged)
    [d] = [d for d in load_project(root).diagnostics if d.severity == "error"]
    assert d.code == "release.content" and "no longer holds the content it released" in d.message


def test_validation_finds_each_entry_commit_in_one_walk_and_catches_a_forged_content_hash(
        git_project: object) -> None:
    from policykit.git import Repository
    from policykit.gitrelease import first_added_each

    root = editorial_release(git_project)
    git_repo = Repository(root)
    files = ["changelog/1.0.0.yaml", "changelog/1.0.1.yaml", "changelog/9.9.9.yaml"]
    tagged = {f"changelog/{v}.yaml": git_project.git("rev-parse", f"privacy-policy-{v}^{{commit}}")  # type: ignore[attr-defined]
              for v in ("1.0.0", "1.0.1")}
    assert first_added_each(git_repo, files) == tagged  # each entry was added by its release's commit

    # A release's content hash is computed from its files on every run (keeping it measured no
    # gain: docs/architecture.md, "Caches"), so a forged entry is caught.
    assert [d for d in load_project(root).diagnostics if d.severity == "error"] == []
    entry = read_entries(root)[-1]
    from dataclasses import replace

    forged = replace(entry, content_hash="sha256:" + "0" * 64)
    (root / entry.file).write_text(dump_entry(forged), "utf-8")  # with a fresh entry_hash
    errors = [d for d in load_project(root).diagnostics if d.severity == "error"]
    assert "release.content" in {d.code for d in errors}


def test_a_version_is_found_from_the_changelog_without_tags(git_project: object, tmp_path: Path) -> None:
    repo = git_project
    first_release(repo)
    root = repo.path  # type: ignore[attr-defined]
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-tags", str(root), str(clone)], check=True)
    assert subprocess.run(["git", "tag"], cwd=clone, capture_output=True, text=True).stdout == ""
    from policykit.versions import load_version

    version = load_version(clone, "1.0.0")
    assert version.commit == read_entries(clone)[0].commit and version.policy.document == "privacy-policy"
    assert list(check_releases(clone)) == []


def test_a_broken_draft_is_reported_at_its_line(git_project: object, capsys: pytest.CaptureFixture[str]) -> None:
    root = git_project.path  # type: ignore[attr-defined]
    draft = root.parent / "draft.yaml"
    draft.write_text("summary:\n  en: [not, text]\nsummry: x\n", "utf-8")
    assert run(root, "release", "--summary-file", str(draft)) == 1
    err = capsys.readouterr().err
    assert "draft.yaml:2:7" in err or "draft.yaml:3:1" in err


def test_a_change_left_to_review_is_released_only_with_a_recorded_decision(
        git_project: object, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_project
    first_release(repo)
    root = repo.path  # type: ignore[attr-defined]
    # A team that has every wording change decided by a person says so in its rules.
    (root / "policy/rules.yaml").write_text(
        "rules:\n  - id: house.wording\n    when: {on: text}\n    level: review\n"
        "    reason: \"Our legal team decides every wording change.\"\n", "utf-8")
    repo.commit("Every wording change is decided by legal")  # type: ignore[attr-defined]
    fixed = missing_space(repo).replace("customers. We will", "customers. We will always")
    set_block(root, "contact", "responsible-entity", fixed)
    date_it(root, "2026-05-04")
    repo.commit("Promise more")  # type: ignore[attr-defined]
    capsys.readouterr()
    assert run(root, "diff", "HEAD~2", "HEAD", "--format", "markdown", "--fail-on", "significant") == 3
    summary = capsys.readouterr().out
    assert "**A person must decide** 1 change(s)" in summary and "`contact.responsible-entity`" in summary
    draft = root.parent / "draft.yaml"
    draft.write_text("overrides:\n  - path: contact.responsible-entity\n    level: minor\n"
                     "    justification: A stronger promise to customers; nothing more is done with data.\n",
                     "utf-8")
    assert run(root, "release", "--published", "2026-05-04", "--summary-file", str(draft)) == 1
    err = capsys.readouterr().err
    assert "deciding contact.responsible-entity (left to review: Our legal team decides every wording change.) " \
           "needs a written `justification` and who decided (`by`)" in err
    draft.write_text("overrides: []\n", "utf-8")
    assert run(root, "release", "--published", "2026-05-04", "--summary-file", str(draft)) == 1
    assert "1 change(s) no rule explains need a person's decision: contact.responsible-entity" in \
        capsys.readouterr().err
    draft.write_text("overrides:\n  - path: contact.responsible-entity\n    level: minor\n"
                     "    justification: A stronger promise to customers; nothing more is done with data.\n"
                     "    by: Aiko Tanaka (legal)\n", "utf-8")
    assert run(root, "release", "--published", "2026-05-04", "--summary-file", str(draft)) == 0
    entry = read_entries(root)[-1]
    assert entry.level == "minor"
    [o] = entry.overrides
    assert (o.path, o.was, o.level, o.by) == ("contact.responsible-entity", "review", "minor", "Aiko Tanaka (legal)")
    assert "review → **minor** (decided by Aiko Tanaka (legal))" in \
        (root / f"changelog/{entry.version}.md").read_text("utf-8")
    assert run(root, "validate") == 0
