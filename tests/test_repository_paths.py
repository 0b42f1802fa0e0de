"""The repository is self-contained: no tracked file names a path outside it.

"Outside the repository" means a place on the machine that holds the clone, which a clean
clone elsewhere (CI, a contributor's laptop) does not have:

- a sibling of the clone: ``../shared``, ``../main``, ``../wt-…`` (the folders beside a
  working copy on the machines this project was started on);
- an absolute path into a home or work directory (``/work/…``, ``/home/<user>/…``,
  ``/Users/<user>/…``, ``/root/…``, ``C:\\Users\\…``), or into the folder that holds this
  clone, wherever it is;
- a relative link in the project's Markdown that climbs out of the repository
  (``../../x.md`` from ``docs/``; ``../README.md`` from ``docs/`` is inside and fine);
- Python that climbs from ``__file__`` past the repository's root, or from a ``REPO``/``ROOT``
  constant to its parent.

Not outside: paths in URLs (``https://host/home/…``), placeholders for the user's own files in
command examples (``~/privacy-policy.docx``, ``/tmp/…``), and relative paths that are test data
for the tool's own path checks (``state/../../outbox.sqlite3``). The vendored corpus of real
policies (``tests/corpus/``) is third-party text: its links point into its publishers' web sites,
so only the absolute-path patterns apply to it.

The second test holds every ``legal-basis.md#section`` reference to a heading of
docs/legal-basis.md, so that rules, requirement files and docstrings cite a section that exists.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

REPO = Path(__file__).resolve().parents[1]
LEGAL_BASIS = "docs/legal-basis.md"
THIRD_PARTY_TEXT = ("tests/corpus/",)
# This file, whose examples are the very paths it looks for: its planted-text tests show each is found.
SELF = Path(__file__).resolve().relative_to(REPO).as_posix()

_SIBLING = re.compile(r"(?<![\w.])\.\.[/\\]+(?:shared|main|wt-[\w-]+)(?![\w-])")
_ABSOLUTE = re.compile(r"(?<![\w./:~%$\\-])(?:/work/|/home/[\w.-]+|/Users/[\w.-]+|/root/|[A-Za-z]:\\+Users\\)")
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]\n]+\]:\s*<?(\S+?)>?\s*$", re.MULTILINE)
_FILE_PARENTS = re.compile(r"Path\(__file__\)(?:\.resolve\(\))?(?:\.parents\[(\d+)\]|((?:\.parent\b)+))")
_ROOT_PARENT = re.compile(r"\b(?:REPO|ROOT|REPO_ROOT|PROJECT_ROOT)\.parent\b")
_ANCHOR_REF = re.compile(r"legal-basis\.md#([\w-]+)")
_SHARED_ROOTS = {"/", "/tmp", "/var/tmp", tempfile.gettempdir()}
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Hit:
    """One place a file names something it should not: ``file:line:col: why: text``."""

    path: str
    line: int
    col: int
    why: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.why}: {self.text}"


def _hit(name: str, text: str, offset: int, why: str, found: str) -> Hit:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Hit(name, line, col, why, found)


def _link_leaves(name: str, target: str) -> bool:
    """Whether a relative link in file ``name`` resolves above the repository's root."""
    if re.match(r"^[a-zA-Z][\w+.-]*:|^#|^/", target):  # a URL, an anchor, a site-absolute path
        return False
    path = target.split("#", 1)[0].split("?", 1)[0]
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
    return joined == ".." or joined.startswith("../")


def _climbs(name: str, match: re.Match[str]) -> bool:
    """Whether ``Path(__file__)…parents[k]`` or ``.parent.parent…`` in ``name`` passes the root."""
    levels = int(match[1]) + 1 if match[1] is not None else match[2].count(".parent")
    return levels > len(PurePosixPath(name).parts)


def outside_references(name: str, text: str, home: Path = REPO) -> list[Hit]:
    """Every place ``text`` (the file ``name``, relative to the clone at ``home``) names a path outside it."""
    hits = [_hit(name, text, m.start(), "a folder beside the repository", m[0]) for m in _SIBLING.finditer(text)]
    hits += [_hit(name, text, m.start(), "an absolute path on one machine", m[0]) for m in _ABSOLUTE.finditer(text)]
    parent = str(home.resolve().parent)
    if parent not in _SHARED_ROOTS:  # /tmp/ is also a placeholder in examples ("import … /tmp/bluesky")
        start = text.find(parent + "/")
        while start >= 0:
            hits.append(_hit(name, text, start, "the folder that holds this clone", parent + "/"))
            start = text.find(parent + "/", start + 1)
    if name.startswith(THIRD_PARTY_TEXT):
        return hits
    if name.endswith(".md"):
        for m in _MD_LINK.finditer(text):
            group = 1 if m[1] is not None else 2
            if _link_leaves(name, m[group]):
                hits.append(_hit(name, text, m.start(group), "a link that leaves the repository", m[group]))
    if name.endswith(".py"):
        hits += [_hit(name, text, m.start(), "a path above the repository's root", m[0])
                 for m in _FILE_PARENTS.finditer(text) if _climbs(name, m)]
        hits += [_hit(name, text, m.start(), "the repository's parent folder", m[0])
                 for m in _ROOT_PARENT.finditer(text)]
    return hits


def tracked_texts(root: Path) -> list[tuple[str, str]]:
    """The tracked files of the git repository at ``root`` that are text, as (name, text)."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    texts = []
    for name in sorted(n for n in names.decode().split("\0") if n):
        path = root / name
        if not path.is_file():  # deleted in the working tree, not yet committed
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue
        texts.append((name, data.decode("utf-8", errors="replace")))
    return texts


def scan(root: Path) -> list[Hit]:
    return [hit for name, text in tracked_texts(root) if name != SELF for hit in outside_references(name, text, root)]


def slug(heading: str) -> str:
    """A heading's anchor as GitHub and most Markdown renderers make it."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", text))


def dangling_anchors(root: Path) -> list[Hit]:
    """Every ``legal-basis.md#section`` reference whose section is not a heading of docs/legal-basis.md."""
    anchors = {slug(h) for h in _HEADING.findall((root / LEGAL_BASIS).read_text(encoding="utf-8"))}
    return [_hit(name, text, m.start(), "no such section in docs/legal-basis.md", m[0])
            for name, text in tracked_texts(root) if name != SELF and not name.startswith(THIRD_PARTY_TEXT)
            for m in _ANCHOR_REF.finditer(text) if m[1] not in anchors]


def test_no_tracked_file_names_a_path_outside_the_repository() -> None:
    hits = scan(REPO)
    assert not hits, "files name paths outside the repository:\n" + "\n".join(map(str, hits))


def test_every_legal_basis_reference_names_a_section_that_exists() -> None:
    hits = dangling_anchors(REPO)
    assert not hits, "\n".join(map(str, hits))


@pytest.mark.parametrize(("name", "text", "why"), [
    ("docs/architecture.md", "from [STYLE](../../shared/STYLE.md) in short", "a folder beside the repository"),
    ("docs/architecture.md", "see [the notes](../../notes/x.md)", "a link that leaves the repository"),
    ("README.md", "[notes]: ../elsewhere/notes.md", "a link that leaves the repository"),
    ("src/policykit/data/rules.yaml", "# Sources: /work/shared/regulatory.md (rows of table A)",
     "an absolute path on one machine"),
    ("policy/policy.yaml", "# of the original (/home/alice/source/policy.txt)", "an absolute path on one machine"),
    ("docs/import.md", r"read C:\Users\bob\corpus first", "an absolute path on one machine"),
    ("tests/cases/casefile.py", 'root = REPO.parent / "shared" / "corpus"', "the repository's parent folder"),
    ("tests/x/test_y.py", "DATA = Path(__file__).resolve().parents[3]", "a path above the repository's root"),
    ("benchmarks/b.py", "DATA = Path(__file__).resolve().parent.parent.parent", "a path above the repository's root"),
    ("tests/corpus/pga-privacy/x/v.md", "copied from /work/shared/corpus", "an absolute path on one machine"),
])
def test_a_planted_path_outside_the_repository_is_found(name: str, text: str, why: str) -> None:
    hits = outside_references(name, f"first line\n{text}\n", Path("/clones/policyctl"))
    assert why in {h.why for h in hits}
    assert {(h.path, h.line) for h in hits} == {(name, 2)}


def test_the_folder_holding_the_clone_is_found_wherever_it_is(tmp_path: Path) -> None:
    home = tmp_path / "clones" / "policyctl"
    hits = outside_references("Makefile", f"CORPUS = {tmp_path}/clones/corpus\n", home)
    assert [(h.line, h.col, h.why) for h in hits] == [(1, 10, "the folder that holds this clone")]


@pytest.mark.parametrize(("name", "text"), [
    ("docs/diff.md", "See [the README](../README.md) and [format](format.md#facts)."),
    ("docs/diff.md", "[rules](../src/policykit/data/rules.yaml), [site](https://example.org/home/alice/)"),
    ("README.md", "policyctl import ~/privacy-policy.docx; versions land in /tmp/bluesky"),
    ("tests/notify/test_notify_config.py", 'problems("outbox:\\n  path: state/../../outbox.sqlite3\\n")'),
    ("tests/foundation/test_init.py", '{"url": "file:///home/me/policyctl", "dir_info": {}}'),
    ("tests/x/test_y.py", "REPO = Path(__file__).resolve().parents[2]"),
    ("benchmarks/b.py", "ROOT = Path(__file__).resolve().parent.parent"),
    ("tests/corpus/pga-privacy/x/v.md", "[Terms](../../terms-of-service)"),
    ("docs/site.md", "Wall-clock figures on a machine shared with other work are noisy"),
])
def test_a_path_inside_the_repository_or_in_a_url_is_not_a_hit(name: str, text: str) -> None:
    assert outside_references(name, text) == []
    assert outside_references(name, text, Path("/tmp/policyctl")) == []  # a clone in /tmp: /tmp/ is no hit


def test_a_planted_file_in_a_git_repository_fails_the_scan(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "legal-basis.md").write_text("# Legal basis\n\n## Purposes\n", encoding="utf-8")
    (root / "docs" / "ok.md").write_text("[up](../README.md), [law](legal-basis.md#purposes)\n", encoding="utf-8")
    (root / "docs" / "bad.md").write_text("line\n[law](legal-basis.md#transfers) [n](../../shared/n.md)\n",
                                          encoding="utf-8")
    (root / "untracked.md").write_text("../shared/ignored\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "add", "docs"], cwd=root, check=True)
    assert [str(h) for h in scan(root)] == [
        "docs/bad.md:2:40: a folder beside the repository: ../shared",
        "docs/bad.md:2:37: a link that leaves the repository: ../../shared/n.md",
    ]
    assert [str(h) for h in dangling_anchors(root)] == [
        "docs/bad.md:2:7: no such section in docs/legal-basis.md: legal-basis.md#transfers",
    ]


def test_headings_slug_as_the_references_expect() -> None:
    assert slug("Completeness: GDPR") == "completeness-gdpr"
    assert slug("When fresh consent is needed") == "when-fresh-consent-is-needed"
    assert slug("Consent and legal-basis words") == "consent-and-legal-basis-words"
