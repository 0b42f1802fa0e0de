"""A policy project with a significant release in its changelog and a notify config (for the notify tests)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from policykit.changelog import ChangeRecord, Entry, dump_entry

REPO = Path(__file__).resolve().parents[2]
VERSION = "9.0.0"
SUMMARY = {
    "en": "We now collect your device identifier and approximate location.\n\nData is kept for at most two years.",
    "ja": "端末識別子とおおよその位置情報を取得するようになります。\n\nデータの保存期間は最長2年です。",
    "de": "Wir erheben nun Ihre Gerätekennung und Ihren ungefähren Standort.\n\nDaten werden höchstens zwei Jahre "
          "gespeichert.",
}


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def entry(version: str = VERSION, level: str = "significant", summary: dict[str, str | None] | None = None, *,
          consent: bool = False, previous: str = "8.1.0", published: dt.date = dt.date(2026, 5, 4),
          effective: dt.date = dt.date(2026, 6, 8), path: str = "facts.data_categories.device-id") -> Entry:
    """A released entry: a new data category (significant) and a typo fix; with ``consent``, also a new purpose
    that needs fresh consent (rule purpose.added)."""
    consenting = (ChangeRecord("facts.purposes.profiling", "added", "significant", "purpose.added",
                               "A new purpose of processing: profiling (marketing.advertising).", consent=True),)
    return Entry(
        version=version, document="privacy-policy", level=level,
        published=published, effective=effective, previous=previous,
        commit="0" * 40, tree="1" * 40, content_hash="sha256:" + "2" * 64,
        summary=dict(SUMMARY if summary is None else summary),
        changes=(
            ChangeRecord(path, "added", "significant", "data-category.added",
                         "A new category of personal data is collected: device identifier (user.device)."),
            ChangeRecord("collection.definition", "text-changed", "editorial", "typo-fix", "Spelling only."),
            *(consenting if consent else ()),
        ),
    )


def write_release(project: Path, e: Entry | None = None) -> Entry:
    """Release ``e`` as `policyctl release` records one, since notify refuses any release that
    `validate` would: the project committed in a real git repository, the entry bound to that
    commit and committed, after the release it names as ``previous`` (made first if missing)."""
    from dataclasses import replace

    from tests.conftest import GitRepo

    from policykit.changelog import content_hash, read_entries
    from policykit.git import Repository

    e = e or entry()
    repo = GitRepo(project)
    sha = repo.commit(f"The policy of {e.version}")
    files = Repository(project).files(sha)
    bound = {"commit": sha, "tree": repo.git("rev-parse", f"{sha}^{{tree}}"),
             "content_hash": content_hash((p, (project / p).read_bytes()) for p in files)}
    (project / "changelog").mkdir(exist_ok=True)
    released = read_entries(project)
    if not released and e.previous:
        first = replace(e, version=e.previous, level="initial", previous=None, changes=(), **bound)
        (project / "changelog" / f"{first.version}.yaml").write_text(dump_entry(first), "utf-8")
        repo.commit(f"Release {first.version}")
        released = [first]
    e = replace(e, previous=released[-1].version if released else None, **bound)
    (project / "changelog" / f"{e.version}.yaml").write_text(dump_entry(e), "utf-8")
    repo.commit(f"Release {e.version}")
    return e


CONSENT_URL = "https://account.example.com/{locale}/consent/{version}"


def write_config(project: Path, channels: str, *, lease: str = "PT30S", max_attempts: int = 5,
                 backoff: str = "PT0.05S", workers: int = 4, outbox: str = "path: state/outbox.sqlite3") -> None:
    (project / "policy" / "notify.yaml").write_text(
        f"outbox:\n  {outbox}\n  workers: {workers}\n  lease: {lease}\n"
        f"  max_attempts: {max_attempts}\n  backoff: {{initial: {backoff}, max: PT1S}}\n"
        f"urls:\n  consent: \"{CONSENT_URL}\"\n"
        f"channels:\n{channels}", "utf-8")


def webhook_channel(url: str, channel_id: str = "app", locales: str = "[en, ja, de]") -> str:
    return (f"  - id: {channel_id}\n    type: webhook\n    url: {url}\n    secret_env: TEST_WEBHOOK_SECRET\n"
            f"    locales: {locales}\n    timeout: PT5S\n")


def email_channel(port: int, recipients_file: str = "state/recipients.txt", channel_id: str = "customers") -> str:
    return (f"  - id: {channel_id}\n    type: email\n    locales: [en, ja, de]\n    host: 127.0.0.1\n"
            f"    port: {port}\n    tls: none\n    from: Privacy Team <privacy@example.com>\n"
            f"    unsubscribe: \"https://account.example.com/unsubscribe?address={{recipient}}\"\n"
            f"    recipients: {{file: {recipients_file}}}\n    timeout: PT5S\n")


def policyctl(project: Path, *args: str, env: dict[str, str] | None = None,
              check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a separate process, as a user would."""
    full_env = {**os.environ, **(env or {})}
    done = subprocess.run([sys.executable, str(REPO / "policyctl.py"), "-C", str(project), *args],
                          capture_output=True, text=True, env=full_env, timeout=120)
    if check and done.returncode != 0:
        raise AssertionError(f"policyctl {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done
