"""A release is what it was (issue 20, group 1): real releases, then real forgeries (a moved tag, an
edited twin, a rewritten entry, a deleted entry, history rewritten and force-pushed with every hash
recomputed, a tag signed by a key that is not allowed), each an error in validate, and refused by
build, notify enqueue and diff."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from tests.conftest import GIT_ENV, REPO, GitRepo
from tests.release.test_release import editorial_release, run

from policykit.changelog import dump_entry, read_entries
from policykit.errors import InvalidPolicy
from policykit.integrity import verified_entries
from policykit.load.project import load_project


def error_codes(root: Path) -> list[str]:
    return sorted(d.code for d in load_project(root).diagnostics if d.severity == "error")


def errors(root: Path) -> list[str]:
    return [str(d) for d in load_project(root).diagnostics if d.severity == "error"]


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True, capture_output=True,
                          text=True)
    return done.stdout.strip()


# -- forgeries of a project with releases 1.0.0 and 1.0.1 -------------------------------------

def move_tag(repo: GitRepo) -> None:
    git(repo.path, "tag", "-f", "-a", "-m", "moved", "privacy-policy-1.0.0", "HEAD")


def edit_twin(repo: GitRepo) -> None:
    md = repo.path / "changelog/1.0.0.md"
    md.write_text(md.read_text("utf-8").replace("initial", "significant"), "utf-8")
    repo.commit("Tidy the changelog")


def rewrite_entry(repo: GitRepo) -> None:
    path = repo.path / "changelog/1.0.0.yaml"
    [entry] = [e for e in read_entries(repo.path) if e.version == "1.0.0"]
    path.write_text(dump_entry(replace(entry, effective=dt.date(2018, 4, 1))), "utf-8")  # a fresh entry_hash
    repo.commit("Backdate the first release")


def delete_earlier_entry(repo: GitRepo) -> None:
    (repo.path / "changelog/1.0.0.yaml").unlink()
    (repo.path / "changelog/1.0.0.md").unlink()
    repo.commit("Drop the first release")


def delete_latest_entry(repo: GitRepo) -> None:
    (repo.path / "changelog/1.0.1.yaml").unlink()
    (repo.path / "changelog/1.0.1.md").unlink()
    repo.commit("Drop the last release")


FORGERIES: dict[str, tuple[Callable[[GitRepo], None], str]] = {
    "moved tag": (move_tag, "release.tag"),
    "edited twin": (edit_twin, "release.edited"),
    "rewritten entry": (rewrite_entry, "release.edited"),
    "deleted earlier entry": (delete_earlier_entry, "release.deleted"),
    "deleted latest entry": (delete_latest_entry, "release.deleted"),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_forged_release_is_an_error_wherever_a_release_is_used(
        git_project: GitRepo, forgery: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = editorial_release(git_project)
    assert error_codes(root) == []
    forge, code = FORGERIES[forgery]
    forge(git_project)
    assert code in error_codes(root)
    assert run(root, "validate") == 1
    # build, notify enqueue and diff refuse what validate rejects, with validate's located reasons.
    capsys.readouterr()
    from policykit.site.build import Options, build_site

    with pytest.raises(InvalidPolicy):
        build_site(root, Options(out=tmp_path / "site", pdf=False, workers=0))
    assert not (tmp_path / "site").exists()
    assert run(root, "notify", "enqueue", "1.0.1") == 1
    assert "changelog/1.0." in capsys.readouterr().err
    if forgery != "deleted latest entry":  # then 1.0.1 is no release to name
        assert run(root, "diff", "1.0.0" if "earlier" not in forgery else "HEAD~1", "1.0.1") == 1
        assert "changelog/1.0." in capsys.readouterr().err


def test_an_untouched_project_is_built_and_diffed(git_project: GitRepo, tmp_path: Path) -> None:
    root = editorial_release(git_project)
    from policykit.site.build import Options, build_site

    report = build_site(root, Options(out=tmp_path / "site", pdf=False, workers=0, today=dt.date(2026, 6, 1)))
    assert report.versions[:2] == ("1.0.0", "1.0.1")
    assert run(root, "diff", "1.0.0", "1.0.1") == 0


def test_an_entry_written_by_hand_is_not_a_release(git_project: GitRepo) -> None:
    root = editorial_release(git_project)
    latest = read_entries(root)[-1]
    (root / "changelog/1.0.2.yaml").write_text(dump_entry(replace(latest, version="1.0.2", previous="1.0.1")),
                                               "utf-8")
    assert "release.uncommitted" in error_codes(root)


# -- history rewritten, every hash recomputed, force-pushed ------------------------------------

def clone(source: Path | str, dest: Path, *extra: str) -> Path:
    subprocess.run(["git", "clone", "-q", *extra, str(source), str(dest)], check=True, env={**os.environ, **GIT_ENV})
    return dest


def forge_history(forger: Path) -> None:
    """Rewrite release 1.0.0 as a forger with push access would: drop the release commit, change the
    released text, and release it again with `policyctl release`: every hash in the repository is
    recomputed and consistent."""
    git(forger, "tag", "-d", "privacy-policy-1.0.0")
    git(forger, "reset", "-q", "--hard", "HEAD~1")
    section = forger / "policy/sections/contact.yaml"
    section.write_text(section.read_text("utf-8").replace("Contact", "Kontakt", 1), "utf-8")
    git(forger, "commit", "-q", "-a", "--amend", "-m", "Import the 2018 policy")
    assert run(forger, "release", "--published", "2018-05-01") == 0
    git(forger, "push", "-q", "-f", "origin", "main", "refs/tags/privacy-policy-1.0.0")


def test_a_rewritten_history_is_caught_by_every_clone_that_saw_the_release(
        git_project: GitRepo, tmp_path: Path) -> None:
    root = git_project.path
    assert run(root, "release", "--published", "2018-05-01") == 0
    origin = clone(root, tmp_path / "origin.git", "--bare")
    victim = clone(origin, tmp_path / "victim")
    assert error_codes(victim) == []  # the victim's clone records what release 1.0.0 is
    forge_history(clone(origin, tmp_path / "forger"))

    git(victim, "fetch", "-q", "-f", "--tags", "origin")
    git(victim, "reset", "-q", "--hard", "origin/main")
    found = errors(victim)
    assert any("release 1.0.0 is not what this clone saw on" in e and "commit" in e and "tag" in e
               for e in found), found
    # A fresh clone of the forged history has no record to compare with: it is consistent, and it
    # passes. The limit docs/release.md names: only signed tags (below) catch this in a fresh clone.
    assert error_codes(clone(origin, tmp_path / "fresh")) == []


# -- signed release tags, checked against keys configured outside the repository ---------------

def ssh_key(folder: Path, name: str) -> tuple[Path, str]:
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key, (folder / f"{name}.pub").read_text("utf-8").strip()


def trust(repo: Path, key: Path, allowed: Path, since: str = "1.0.0") -> None:
    """This clone's own settings (.git/config, never committed): sign with ``key``, accept ``allowed``."""
    for name, value in (("gpg.format", "ssh"), ("user.signingKey", str(key)),
                        ("gpg.ssh.allowedSignersFile", str(allowed)), ("policyctl.signedReleasesFrom", since)):
        git(repo, "config", name, value)


@pytest.mark.skipif(subprocess.run(["ssh-keygen", "-?"], capture_output=True).returncode == 127,
                    reason="ssh-keygen is not installed")
def test_signed_tags_catch_a_rewrite_even_in_a_fresh_clone(git_project: GitRepo, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    editor, editor_pub = ssh_key(keys, "editor")
    forger_key, _ = ssh_key(keys, "forger")
    allowed = keys / "allowed_signers"
    allowed.write_text(f'editor@example.com namespaces="git" {editor_pub}\n', "utf-8")
    root = git_project.path
    trust(root, editor, allowed)
    assert run(root, "release", "--published", "2018-05-01") == 0
    assert "SSH SIGNATURE" in git(root, "cat-file", "tag", "privacy-policy-1.0.0")
    assert error_codes(root) == []

    origin = clone(root, tmp_path / "origin.git", "--bare")
    forger = clone(origin, tmp_path / "forger")
    trust(forger, forger_key, allowed)  # the forger signs with a key of their own
    forge_history(forger)

    fresh = clone(origin, tmp_path / "fresh")
    trust(fresh, editor, allowed)  # the reader's trust, set up outside the repository
    found = errors(fresh)
    assert any("the signature of tag privacy-policy-1.0.0 does not verify" in e for e in found), found

    # Without tags (as CI clones), a clone that requires signatures cannot prove anything: an error.
    bare = clone(origin, tmp_path / "no-tags", "--no-tags")
    trust(bare, editor, allowed)
    assert any("has no tag, but releases from 1.0.0 on must carry a signed tag" in e for e in errors(bare))

    # An unsigned tag in place of the signed one is no better.
    git(root, "tag", "-f", "-a", "-m", "unsigned", "privacy-policy-1.0.0", "HEAD")
    assert any("has an unsigned tag" in e for e in errors(root))


# -- the project's own releases ----------------------------------------------------------------

def test_the_projects_releases_validate_in_a_fresh_clone_without_tags(tmp_path: Path) -> None:
    """1.0.0, 1.0.1 and 2.0.0 as released: what CI's clone (no tags, no ledger) checks and proves."""
    fresh = clone(f"file://{REPO}", tmp_path / "fresh", "--no-tags")
    assert [e.version for e in verified_entries(fresh)][:3] == ["1.0.0", "1.0.1", "2.0.0"]
    assert error_codes(fresh) == []
    assert run(fresh, "diff", "1.0.1", "2.0.0", "--format", "json") == 0
    ledger = Path(git(fresh, "rev-parse", "--git-common-dir"))
    assert ((fresh / ledger) if not ledger.is_absolute() else ledger).joinpath("policyctl/releases.json").is_file()


def test_a_passing_check_is_remembered_in_the_cache_store_and_a_damaged_record_is_checked_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYCTL_CACHE_DIR", str(tmp_path / "cache"))
    fresh = clone(f"file://{REPO}", tmp_path / "fresh", "--no-tags")
    first = [e.version for e in verified_entries(fresh)]
    [record] = [p for p in (tmp_path / "cache" / "releases-verified").rglob("*") if p.is_file()]
    whole = record.read_bytes()
    record.write_bytes(whole[:-3])  # truncated: a miss, the check runs again and writes it whole
    assert [e.version for e in verified_entries(fresh)] == first
    assert record.read_bytes() == whole
    (fresh / "changelog" / "1.0.0.yaml").write_text("version: 9.9.9\n", "utf-8")  # another input: checked anew
    with pytest.raises(InvalidPolicy):
        verified_entries(fresh)



def test_the_record_of_a_passing_check_is_keyed_by_what_git_says_after_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check asks git its refs and config once and stamps what it vouched for with them, rehashing the
    ledger it wrote: the record is under the key a later run computes anew, which then checks nothing."""
    from policykit import integrity
    from policykit.cachestore import Cache

    monkeypatch.setenv("POLICYCTL_CACHE_DIR", str(tmp_path / "cache"))
    fresh = clone(f"file://{REPO}", tmp_path / "fresh", "--no-tags")
    before = integrity._stamp(fresh, integrity._git_state(fresh))
    integrity.verify_releases(fresh)
    after = integrity._stamp(fresh, integrity._git_state(fresh))
    assert before is not None and after is not None and before != after  # the check wrote the ledger
    assert Cache("releases-verified").get(after) is not None and Cache("releases-verified").get(before) is None

    def checked(*args: object) -> None:
        raise AssertionError("checked again")

    monkeypatch.setattr(integrity._Checker, "run", checked)
    integrity.verify_releases(fresh)


def test_the_check_through_the_diffs_repository_finds_what_its_own_finds(git_project: GitRepo) -> None:
    """``diff`` lends the release check the repository it reads its versions through (one object reader,
    each blob read once): the check finds, located, exactly what it finds opening its own."""
    from policykit.git import Repository
    from policykit.integrity import _Checker, check_releases, verify_releases

    root = editorial_release(git_project)
    for forgery in ("", "rewritten entry"):
        if forgery:
            FORGERIES[forgery][0](git_project)
        repo = Repository(root)
        repo.files(repo.resolve("HEAD"))  # the diff has read a version already
        own = list(check_releases(root))
        assert [str(d) for d in _Checker(root, repo).run()] == [str(d) for d in own]
        assert bool(own) == bool(forgery)
    with pytest.raises(InvalidPolicy) as caught:
        verify_releases(root, repo)
    assert [str(d) for d in caught.value.diagnostics] == [str(d) for d in own if d.severity == "error"]
