"""A real git repository with three releases of the real policy, and a crawler for built sites.

Releases (changelog entries written as ``policyctl release`` writes them, via
:mod:`policykit.changelog`):

- 1.0.0  initial      published/effective 2018-05-01   the 2018 text
- 1.1.0  editorial    published/effective 2019-01-10   a typo fixed in security.measures (en + ja)
- 2.0.0  significant  published 2027-02-01, effective 2027-03-01: retention text changed and a new
  purpose (advertising, rule ``purpose.added`` which the shipped rules mark ``consent: true``)

After the third release the work tree changes again (unreleased), so a test can
check that old versions are built from their commits, never from today's files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from policykit import changelog
from policykit.model import source_hash

from ..conftest import TRANSLATED_RELEASE, GitRepo, materialise_release

TYPO_EN = "only authority access"
FIXED_EN = "only authorised access"
NEW_RETENTION = "We keep your personal information for at most 18 months after your last use of our services."
NEW_RETENTION_JA = "当社は、お客様が最後にサービスを利用された日から最長18か月間、お客様の個人情報を保存します。"
NEW_PURPOSE = """\
    - id: personalised-ads
      label: Showing you advertising based on how you use our services
      taxonomy: marketing.advertising
      legal_bases: [consent]
"""
DRAFT_TEXT = "Unreleased wording that must never appear in a released version."


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _set_hash(path: Path, block: str, new_source: str) -> None:
    """Point the translation of ``block`` at the hash of ``new_source`` (it was updated with it)."""
    text = path.read_text("utf-8")
    start = text.index(f"  {block}:\n")
    m = re.compile(r'source_hash: "[0-9a-f]{12}"').search(text, start)
    assert m
    path.write_text(text[:m.start()] + f'source_hash: "{source_hash(new_source)}"' + text[m.end():], "utf-8")


def _block_text(path: Path, block: str) -> str:
    from policykit import yamlio

    data = yamlio.parse(path.read_bytes(), path.name)
    return next(b["text"] for b in data["blocks"] if b["id"] == block)


def released_content(path: Path, commit: str) -> str:
    """The content hash ``policyctl release`` records: policy/ and locales/ at ``commit``."""
    from policykit.git import Repository

    repo = Repository(path)
    return changelog.content_hash((p, repo.blob(b)) for p, b in repo.files(commit).items())


@dataclass
class ReleasedRepo:
    repo: GitRepo
    path: Path
    entries: list[changelog.Entry]

    def release(self, version: str, level: str, published: str, effective: str, summary: dict[str, str | None],
                changes: tuple[changelog.ChangeRecord, ...] = ()) -> changelog.Entry:
        commit = self.repo.commit(f"Policy text for {version}")
        tree = self.repo.git("rev-parse", f"{commit}^{{tree}}")
        entry = changelog.Entry(
            version=version, document="privacy-policy", level=level,
            published=dt.date.fromisoformat(published), effective=dt.date.fromisoformat(effective),
            previous=self.entries[-1].version if self.entries else None, commit=commit, tree=tree,
            content_hash=released_content(self.path, commit), summary=summary, changes=changes)
        dest = self.path / changelog.entry_path(version)
        dest.parent.mkdir(exist_ok=True)
        dest.write_text(changelog.dump_entry(entry), "utf-8")
        self.repo.commit(f"Release {version}")
        self.entries.append(entry)
        return entry


def make_released_repo(path: Path) -> ReleasedRepo:
    # The 2018 text, as released in TRANSLATED_RELEASE (the real policy has been revised since).
    materialise_release(TRANSLATED_RELEASE, path)
    r = ReleasedRepo(GitRepo(path), path, [])
    r.release("1.0.0", "initial", "2018-05-01", "2018-05-01",
              {"en": "The 2018 privacy policy.", "ja": "2018年のプライバシーポリシー。", "de": None})

    security = path / "policy/sections/security.yaml"
    _replace(security, TYPO_EN, FIXED_EN)
    _set_hash(path / "locales/ja/security.yaml", "measures", _block_text(security, "measures"))
    _set_hash(path / "locales/de/security.yaml", "measures", _block_text(security, "measures"))
    r.release("1.1.0", "editorial", "2019-01-10", "2019-01-10", {"en": "A typo fixed.", "ja": "誤字を修正しました。"},
              (changelog.ChangeRecord("security.measures", "text-changed", "editorial", "typo-fix",
                                      "a misspelt word was corrected"),))

    old_retention = _block_text(security, "retention").strip()
    _replace(security, old_retention, NEW_RETENTION)
    ja = path / "locales/ja/security.yaml"
    ja_old = _block_text_tr(ja, "retention")
    _replace(ja, ja_old.strip(), NEW_RETENTION_JA)
    _set_hash(ja, "retention", _block_text(security, "retention"))
    _replace(path / "policy/sections/collection.yaml", "  purposes:\n", "  purposes:\n" + NEW_PURPOSE)
    r.release("2.0.0", "significant", "2027-02-01", "2027-03-01",
              {"en": "We now keep personal information for at most 18 months.",
               "ja": "個人情報の保存期間を最長18か月としました。"},
              (changelog.ChangeRecord("security.retention", "text-changed", "significant", "retention.changed",
                                      "How long data is kept changed."),
               changelog.ChangeRecord("facts.purposes.personalised-ads", "added", "significant", "purpose.added",
                                      "A new purpose of processing: advertising.", consent=True)))

    _replace(path / "policy/sections/security.yaml", NEW_RETENTION, DRAFT_TEXT)
    return r


def _block_text_tr(path: Path, block: str) -> str:
    from policykit import yamlio

    data = yamlio.parse(path.read_bytes(), path.name)
    return str(data["blocks"][block]["text"])


@pytest.fixture(scope="session")
def released_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-release repository, made once per session (copy it before changing it)."""
    import os

    from ..conftest import GIT_ENV

    old = {k: os.environ.get(k) for k in GIT_ENV}
    os.environ.update(GIT_ENV)
    try:
        return make_released_repo(tmp_path_factory.mktemp("released") / "repo").path
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def released(released_template: Path, tmp_path: Path) -> Path:
    """A private copy (git history included) of the three-release repository."""
    import shutil

    dest = tmp_path / "repo"
    shutil.copytree(released_template, dest, symlinks=True)
    return dest


# -- crawling ------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("name"):
            self.ids.add(str(a["name"]))
        for attr in ("href", "src"):
            value = a.get(attr)
            if value and not (tag == "link" and a.get("rel") in ("canonical", "alternate") and "://" in value):
                self.links.append(value)


def parse_page(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return parser


def resolve(site: Path, page: str, href: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link leads to (None for external links)."""
    url = urljoin("http://site/" + page, href)
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.netloc != "site":
        return None
    rel = unquote(parts.path.lstrip("/"))
    target = site / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def crawl(site: Path, start: str = "index.html") -> Iterator[tuple[str, str, str]]:
    """Every (page, href, problem) for internal links that lead nowhere, from every HTML page reachable."""
    seen: set[str] = set()
    queue = [start]
    ids: dict[Path, set[str]] = {}
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        parsed = parse_page(site / page)
        for href in parsed.links:
            found = resolve(site, page, href)
            if found is None:
                continue
            target, fragment = found
            if not target.is_file():
                yield page, href, "no such file"
                continue
            rel = target.relative_to(site).as_posix()
            if target.suffix == ".html":
                if target not in ids:
                    ids[target] = parse_page(target).ids
                if fragment and fragment not in ids[target]:
                    yield page, href, f"no id {fragment!r}"
                queue.append(rel)
