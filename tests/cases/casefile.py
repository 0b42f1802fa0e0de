"""Judgement case files (see README.md): read them, and apply a case's edits to a copy of a release.

``python -m tests.cases.casefile`` checks every case file: its keys, that each edit applies
exactly once, and that the edited policy still loads and validates. It also checks the corpus
labels (``corpus/<policy>.yaml``): each pair consecutive in the policy's ``versions.tsv`` and
every pair labelled once, every ``quote`` found in the newer version (and not already in the
older one) and every ``removed`` in the older one (and gone from the newer), whitespace
normalised, the keys and levels valid (a pair's level is the highest of its changes). The
corpus is kept in the repository, in ``tests/corpus/pga-privacy`` (with its attribution). It
never asks the classifier: a case is labelled before anyone sees what the tool says of it.
"""

from __future__ import annotations

import copy
import functools
import io
import itertools
import re
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykit import yamlio
from policykit.diagnostics import Diagnostic
from policykit.errors import InvalidPolicy

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent
LEVELS = ("significant", "minor", "editorial")
TOOL_LEVELS = (*LEVELS, "review")
BASES = ("2.0.0", "1.0.0")
CASE_KEYS = {"id", "base", "edits", "level", "accept", "consent", "rule", "citation", "reason", "note", "batch"}
EDIT_KEYS = {"block", "locale", "before", "after", "fact", "set", "section", "add", "remove"}
# The real policies the corpus labels are about (Platform Governance Archive, ODC-By 1.0: see its README.md).
CORPUS = REPO / "tests" / "corpus" / "pga-privacy"
CORPUS_FILE_KEYS = {"policy", "attribution", "pairs"}
PAIR_KEYS = {"from", "to", "level", "noise", "reason", "changes", "note"}
CHANGE_KEYS = {"quote", "removed", "level", "consent", "rule", "citation", "reason", "note"}
CHANGE_LEVELS = ("significant", "minor")  # an editorial change is not listed


class CaseError(Exception):
    """A case file that cannot be used as written (its file and case in the message)."""


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    file: str
    base: str
    edits: tuple[dict[str, Any], ...]
    level: str
    accept: tuple[str, ...]
    consent: bool
    rule: str | None
    citation: str
    reason: str
    locales: tuple[str, ...] = field(default=())
    batch: str | None = None  # cases written together, held out from the tool's development when written

    @property
    def material(self) -> bool:
        return self.level == "significant"

    @property
    def language(self) -> str:
        """The language of the edited text: a translation's tag, else ``en`` (facts and source)."""
        return self.locales[0] if self.locales else "en"


def load_cases(folder: Path = CASES / "classify") -> list[Case]:
    """Every case of every file under ``folder``, checked for form; ids unique across files."""
    out: list[Case] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yamlio.load_roundtrip(path.read_text("utf-8"), path.name)
        category = str(data.get("category", path.stem))
        for raw in data.get("cases") or ():
            case = _case(raw, category, path.name)
            if case.id in seen:
                raise CaseError(f"{path.name}: case {case.id!r} is also in {seen[case.id]}")
            seen[case.id] = path.name
            out.append(case)
    return out


def _case(raw: Any, category: str, file: str) -> Case:
    where = f"{file}: case {raw.get('id')!r}"
    unknown = set(raw) - CASE_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
    level, accept = raw.get("level"), tuple(raw.get("accept") or ())
    if level not in LEVELS:
        raise CaseError(f"{where}: level must be one of {LEVELS}, not {level!r}")
    if not accept or set(accept) - set(TOOL_LEVELS):
        raise CaseError(f"{where}: accept must list levels among {TOOL_LEVELS}")
    if str(raw.get("base")) not in BASES:
        raise CaseError(f"{where}: base must be one of {BASES}")
    edits = tuple(dict(e) for e in raw.get("edits") or ())
    if not edits:
        raise CaseError(f"{where}: no edits")
    for e in edits:
        if set(e) - EDIT_KEYS:
            raise CaseError(f"{where}: unknown edit keys {sorted(set(e) - EDIT_KEYS)}")
    return Case(
        id=str(raw["id"]), category=category, file=file, base=str(raw["base"]), edits=edits, level=level,
        accept=accept, consent=bool(raw.get("consent", False)), rule=raw.get("rule"),
        citation=str(raw.get("citation", "")), reason=str(raw.get("reason", "")),
        locales=tuple(sorted({str(e["locale"]) for e in edits if e.get("locale")})),
        batch=str(raw["batch"]) if raw.get("batch") else None,
    )


def release_commit(version: str) -> str:
    entry = yamlio.parse((REPO / "changelog" / f"{version}.yaml").read_bytes(), version)
    return str(entry["commit"])


def materialise(version: str, dest: Path) -> Path:
    """policy/ and locales/ exactly as released in ``version``, at ``dest``."""
    tar = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", release_commit(version), "policy",
                          "locales"], check=True, capture_output=True).stdout
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(dest, filter="data")
    return dest


def apply(case: Case, root: Path) -> None:
    """Apply ``case``'s edits to the project at ``root`` (a materialised release), in order."""
    for number, edit in enumerate(case.edits, 1):
        where = f"{case.file}: case {case.id!r}, edit {number}"
        if "block" in edit:
            _edit_text(root, edit, where)
        elif "fact" in edit:
            _edit_fact(root, edit, where)
        else:
            raise CaseError(f"{where}: an edit needs `block` or `fact`")


def _load(path: Path, where: str) -> Any:
    if not path.is_file():
        raise CaseError(f"{where}: no file {path.name}")
    return copy.deepcopy(_roundtrip(path.read_text("utf-8"), path.name))


@functools.lru_cache(maxsize=256)
def _roundtrip(text: str, name: str) -> Any:
    """A file of a release, parsed once: every case edits a copy of the same few files."""
    return yamlio.load_roundtrip(text, name)


def _save(path: Path, data: Any) -> None:
    path.write_text(yamlio.dump_roundtrip(data), "utf-8")


def _replace_once(text: str, before: str, after: str, where: str) -> str:
    count = text.count(before)
    if count != 1:
        raise CaseError(f"{where}: `before` is found {count} times in the text, not once: {before!r}")
    return text.replace(before, after)


def _edit_text(root: Path, edit: dict[str, Any], where: str) -> None:
    section, _, block = str(edit["block"]).partition(".")
    locale = edit.get("locale")
    if locale:
        path = root / "locales" / str(locale) / f"{section}.yaml"
        data = _load(path, where)
        if block == "title":
            entry = data["title"]
        else:
            entry = (data.get("blocks") or {}).get(block)
            if entry is None:
                raise CaseError(f"{where}: {path.name} has no translation of block {block!r}")
        entry["text"] = yamlio.literal(_replace_once(str(entry["text"]), edit["before"], edit["after"], where))
    else:
        path = root / "policy" / "sections" / f"{section}.yaml"
        data = _load(path, where)
        if block == "title":
            data["title"] = _replace_once(str(data["title"]), edit["before"], edit["after"], where)
        else:
            found = [b for b in data["blocks"] if b.get("id") == block]
            if not found or "text" not in found[0]:
                raise CaseError(f"{where}: section {section!r} has no text block {block!r}")
            found[0]["text"] = yamlio.literal(_replace_once(str(found[0]["text"]), edit["before"], edit["after"],
                                                            where))
    _save(path, data)


def _edit_fact(root: Path, edit: dict[str, Any], where: str) -> None:
    parts = str(edit["fact"]).split(".")
    if len(parts) != 3 or parts[0] != "facts":
        raise CaseError(f"{where}: a fact is named facts.<kind>.<id>, not {edit['fact']!r}")
    _, kind, fid = parts
    if "add" in edit:
        section = edit.get("section")
        if not section:
            raise CaseError(f"{where}: adding a fact needs its `section`")
        path = root / "policy" / "sections" / f"{section}.yaml"
        data = _load(path, where)
        facts = data.setdefault("facts", yamlio.new_map())
        items = facts.setdefault(kind, [])
        if any(i.get("id") == fid for i in items):
            raise CaseError(f"{where}: section {section!r} already has {kind} item {fid!r}")
        items.append(yamlio.new_map([("id", fid), *dict(edit["add"]).items()]))
        _save(path, data)
        return
    for path in sorted((root / "policy" / "sections").glob("*.yaml")):
        if fid not in path.read_text("utf-8"):  # the item's id is written in its file: skip the others unread
            continue
        data = _load(path, where)
        items = (data.get("facts") or {}).get(kind) or []
        found = [i for i in items if i.get("id") == fid]
        if not found:
            continue
        if edit.get("remove"):
            items.remove(found[0])
        for key, value in dict(edit.get("set") or {}).items():
            if value is None:
                found[0].pop(key, None)
            else:
                found[0][key] = value
        _save(path, data)
        return
    raise CaseError(f"{where}: no section has {kind} item {fid!r}")


def check(cases: list[Case], work: Path) -> list[str]:
    """Problems of the cases as written: an edit that does not apply, or one that leaves the policy with an
    error its base release does not have.

    A case is judged by what its edit ADDS: the base release may itself fail today's ``validate`` (a
    later release added a unit its translations lack), so the errors of the edited policy are compared
    with the base's, each keyed by file, check and message without line or column (an edit moves lines).
    A translation made stale by the case's own edit of its source is expected (the case edits the
    controlling text; translators follow later), so it is no problem either.
    """
    problems = []
    bases: dict[str, tuple[Path, dict[tuple[str, str, str], Diagnostic]]] = {}
    for case in cases:
        if case.base not in bases:
            root = materialise(case.base, work / f"base-{case.base}")
            bases[case.base] = root, {_key(d): d for d in _errors(root)}
        base_root, base_errors = bases[case.base]
        root = work / case.id
        shutil.copytree(base_root, root)
        try:
            apply(case, root)
        except CaseError as exc:
            problems.append(str(exc))
            continue
        added = [d for d in _errors(root) if not _expected(d, case, base_errors.get(_key(d)))]
        if added:
            problems.append(f"{case.file}: case {case.id!r} leaves the policy invalid: {added[0]}"
                            + (f" (and {len(added) - 1} more)" if len(added) > 1 else ""))
        shutil.rmtree(root)
    return problems


def _errors(root: Path) -> list[Diagnostic]:
    from policykit.load.project import load_project

    return [d for d in load_project(root).diagnostics if d.severity == "error"]


# A position inside a message ("source: policy/sections/cookies.yaml:9:7") and a share of words translated
# ("96% of words are") move with any edit; the rest of the message names what is wrong.
_MOVING = re.compile(r":\d+:\d+|\b\d+% ")


_LOCALE = re.compile(r"locale '([\w-]+)'")
_UNITS = re.compile(r"not translated [^:]*: (.*?); translate them")


def _key(d: Diagnostic) -> tuple[str, str, str]:
    """A diagnostic without where in its file it is: equal before and after an edit that moved lines. A
    locale's untranslated units are one diagnostic per locale (its message counts and names them)."""
    if d.code == "locale.untranslated":
        found = _LOCALE.search(d.message)
        return d.pos.file, d.code, found.group(1) if found else d.message
    return d.pos.file, d.code, _MOVING.sub("#", d.message)


def _expected(d: Diagnostic, case: Case, base: Diagnostic | None) -> bool:
    """Whether the edited policy's error ``d`` is one the case may bring: the base release's own error,
    or a translation left behind by the case's own edit of the controlling text (a unit made stale, a
    new fact's label not translated yet)."""
    if d.code == "locale.untranslated":
        added = {str(e["fact"]) for e in case.edits if "add" in e}
        return _named(d) <= _named(base) | added
    return base is not None or _made_stale(d, case)


def _named(d: Diagnostic | None) -> set[str]:
    found = _UNITS.search(d.message) if d is not None else None
    return {u.strip() for u in found.group(1).split(",")} if found else set()


_STALE = re.compile(r"^\[[\w-]+\] (?:the text of |the label of )?(\S+) is stale")


def _made_stale(d: Diagnostic, case: Case) -> bool:
    """Whether ``d`` says a translation is stale because ``case`` edited its source (a block's text or
    title, or a fact's label, in the controlling language)."""
    found = _STALE.match(d.message) if d.code == "locale.stale" else None
    if found is None:
        return False
    edited = {str(e.get("block") or e.get("fact")) for e in case.edits if not e.get("locale")}
    unit = found.group(1).replace(":", ".")  # a section title's unit is `<section>:title`
    return unit in edited or unit + ".title" in edited


# --- Corpus labels: consecutive versions of the real policies (corpus/<policy>.yaml) ---

@dataclass(frozen=True)
class CorpusChange:
    quote: str | None
    removed: str | None
    level: str
    consent: bool
    rule: str
    citation: str
    reason: str


@dataclass(frozen=True)
class CorpusPair:
    policy: str
    file: str
    older: str
    newer: str
    level: str
    noise: bool
    reason: str
    changes: tuple[CorpusChange, ...]

    @property
    def material(self) -> bool:
        return self.level == "significant"


def corpus_root() -> Path:
    """The corpus folder, ``tests/corpus/pga-privacy``: one folder per policy, each with its ``versions.tsv``."""
    if not (CORPUS / "README.md").is_file():
        raise CaseError(f"corpus not found: {CORPUS} is not a folder with the corpus's README.md. It is part "
                        "of the repository: restore it with `git checkout -- tests/corpus`.")
    return CORPUS


def corpus_versions(root: Path, policy: str) -> list[str]:
    """The version files of ``policy``, oldest first, as ``versions.tsv`` lists them."""
    tsv = root / policy / "versions.tsv"
    if not tsv.is_file():
        raise CaseError(f"corpus/{policy}.yaml: the corpus has no {policy}/versions.tsv under {root}")
    files = []
    for line in tsv.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name = line.split("\t", 1)[0].strip()
        if name != "file":
            files.append(name)
    return files


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def load_corpus_labels(folder: Path = CASES / "corpus") -> list[CorpusPair]:
    """Every labelled pair of every file under ``folder``, checked for form (not yet against the corpus)."""
    out: list[CorpusPair] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yamlio.load_roundtrip(path.read_text("utf-8"), path.name)
        except InvalidPolicy as exc:
            raise CaseError(f"corpus/{path.name}: not valid YAML: {exc}") from None
        unknown = set(data) - CORPUS_FILE_KEYS
        if unknown:
            raise CaseError(f"corpus/{path.name}: unknown keys {sorted(unknown)}")
        policy = str(data.get("policy", ""))
        if policy != path.stem:
            raise CaseError(f"corpus/{path.name}: `policy` must be the file's name {path.stem!r}, not {policy!r}")
        for raw in data.get("pairs") or ():
            out.append(_corpus_pair(raw, policy, f"corpus/{path.name}"))
    return out


def _corpus_pair(raw: Any, policy: str, file: str) -> CorpusPair:
    where = f"{file}: pair {raw.get('from')} -> {raw.get('to')}"
    unknown = set(raw) - PAIR_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("from", "to", "reason"):
        if not str(raw.get(key) or "").strip():
            raise CaseError(f"{where}: `{key}` is missing")
    level = raw.get("level")
    if level not in LEVELS:
        raise CaseError(f"{where}: level must be one of {LEVELS}, not {level!r}")
    noise = raw.get("noise", False)
    if not isinstance(noise, bool):
        raise CaseError(f"{where}: noise must be true or false")
    changes = tuple(_corpus_change(c, f"{where}, change {n}") for n, c in enumerate(raw.get("changes") or (), 1))
    highest = min((c.level for c in changes), key=LEVELS.index, default="editorial")
    if level != highest:
        raise CaseError(f"{where}: level {level!r} is not the highest level of its changes ({highest!r})")
    if noise and level != "editorial":
        raise CaseError(f"{where}: a pair of scraper noise only is editorial and lists no change")
    return CorpusPair(policy=policy, file=file, older=str(raw["from"]), newer=str(raw["to"]), level=level,
                      noise=noise, reason=str(raw["reason"]), changes=changes)


def _corpus_change(raw: Any, where: str) -> CorpusChange:
    unknown = set(raw) - CHANGE_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
    if ("quote" in raw) == ("removed" in raw):
        raise CaseError(f"{where}: a change is located by exactly one of `quote` (newer) or `removed` (older)")
    level = raw.get("level")
    if level not in CHANGE_LEVELS:
        raise CaseError(f"{where}: a listed change is one of {CHANGE_LEVELS}, not {level!r} (editorial ones "
                        "are not listed)")
    consent = raw.get("consent", False)
    if not isinstance(consent, bool):
        raise CaseError(f"{where}: consent must be true or false")
    if consent and level != "significant":
        raise CaseError(f"{where}: only a significant change can need fresh consent")
    for key in ("rule", "citation", "reason"):
        if not str(raw.get(key) or "").strip():
            raise CaseError(f"{where}: `{key}` is missing")
    located = raw.get("quote", raw.get("removed"))
    if not _flat(str(located or "")):
        raise CaseError(f"{where}: an empty quote locates nothing")
    return CorpusChange(
        quote=str(raw["quote"]) if "quote" in raw else None, removed=str(raw["removed"]) if "removed" in raw else None,
        level=level, consent=consent, rule=str(raw["rule"]), citation=str(raw["citation"]), reason=str(raw["reason"]),
    )


def _locate(change: CorpusChange, older: str, newer: str, where: str, pair: CorpusPair) -> list[str]:
    """A quote must be in the newer text and not already in the older one (else it locates no change);
    removed words must be in the older text and gone from the newer one."""
    if change.quote is not None:
        quote = _flat(change.quote)
        if quote not in newer:
            return [f"{where}: quote not found in {pair.newer}: {change.quote!r}"]
        if quote in older:
            return [f"{where}: quote is also in {pair.older}, so it locates no change: {change.quote!r}"]
    if change.removed is not None:
        removed = _flat(change.removed)
        if removed not in older:
            return [f"{where}: removed text not found in {pair.older}: {change.removed!r}"]
        if removed in newer:
            return [f"{where}: removed text is still in {pair.newer}: {change.removed!r}"]
    return []


def check_corpus(pairs: list[CorpusPair], root: Path) -> list[str]:
    """Problems of the corpus labels against the corpus: pairs not consecutive or missing, quotes not found."""
    problems: list[str] = []
    texts: dict[tuple[str, str], str] = {}

    def text(policy: str, name: str) -> str:
        if (policy, name) not in texts:
            texts[policy, name] = _flat((root / policy / name).read_text("utf-8"))
        return texts[policy, name]

    by_policy: dict[str, list[CorpusPair]] = {}
    for pair in pairs:
        by_policy.setdefault(pair.policy, []).append(pair)
    for policy, labelled in by_policy.items():
        file = labelled[0].file
        try:
            versions = corpus_versions(root, policy)
        except CaseError as exc:
            problems.append(str(exc))
            continue
        expected = list(itertools.pairwise(versions))
        seen: set[tuple[str, str]] = set()
        for pair in labelled:
            where = f"{file}: pair {pair.older} -> {pair.newer}"
            key = (pair.older, pair.newer)
            if key not in expected:
                problems.append(f"{where}: not two consecutive versions of {policy}/versions.tsv")
                continue
            if key in seen:
                problems.append(f"{where}: labelled twice")
            seen.add(key)
            for number, change in enumerate(pair.changes, 1):
                problems += _locate(change, text(policy, pair.older), text(policy, pair.newer),
                                    f"{where}, change {number}", pair)
        for older, newer in expected:
            if (older, newer) not in seen:
                problems.append(f"{file}: pair {older} -> {newer} is not labelled")
    return problems


def main() -> int:
    import tempfile

    try:
        cases = load_cases()
        pairs = load_corpus_labels()
    except CaseError as exc:
        print(exc)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        problems = check(cases, Path(tmp))
    if pairs:
        try:
            problems += check_corpus(pairs, corpus_root())
        except CaseError as exc:
            problems.append(str(exc))
    for p in problems:
        print(p)
    changes = sum(len(p.changes) for p in pairs)
    print(f"{len(cases)} cases, {len(pairs)} corpus pairs ({changes} changes), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
