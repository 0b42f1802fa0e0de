"""The classifier is not fooled: format runs, reorders, moved sentences and typos are editorial;
direction decides between significant and minor."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit import taxonomy
from policykit.compare.classify import Override, apply_overrides, check_overrides, classify, parse_rules, shipped_rules
from policykit.compare.diff import Change, diff_policies, level_of
from policykit.errors import InvalidPolicy

from ..conftest import GitRepo
from .diffkit import block, committed_diff, item


def _repo(tmp_path: Path) -> GitRepo:
    (tmp_path / "repo").mkdir()
    return GitRepo(tmp_path / "repo")


def _text_level(before: str, after: str) -> Change:
    return classify([Change("s.b", "text-changed", before, after, section="s", label="b")])[0]


@pytest.mark.parametrize(("before", "after", "level"), [
    ("We will not share your data.", "We may share your data.", "significant"),
    ("We may share your data.", "We will not share your data.", "minor"),
    ("We keep your data for 30 days.", "We keep your data for 90 days.", "significant"),
    ("We keep your data for 90 days.", "We keep your data for 30 days.", "minor"),
    ("You will recieve an e-mail.", "You will receive an e-mail.", "editorial"),
    ("We use cookies.  They help.", "We use cookies. They help.", "editorial"),
    ("保存期間は30日です。", "保存期間は90日です。", "significant"),
    ("保存期間は90日です。", "保存期間は30日です。", "minor"),
])
def test_direction_decides(before: str, after: str, level: str) -> None:
    assert _text_level(before, after).level == level


def test_share_flip_is_significant_and_its_reverse_minor_in_a_repo(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    edit = lambda p: block(p, "collection", "intro").update(  # noqa: E731
        text="We may share your data with anyone. We keep logs for 30 days.")
    changes = committed_diff(repo, edit)
    assert level_of(changes) == "significant"
    reverse = list(diff_policies(*_policies(repo, "HEAD", "HEAD~1")))
    assert level_of(classify(reverse)) == "minor"


def _policies(repo: GitRepo, a: str, b: str) -> tuple:  # type: ignore[type-arg]
    from policykit.versions import load_version

    return load_version(repo.path, a).policy, load_version(repo.path, b).policy


def test_reordering_fact_items_is_editorial(tmp_path: Path) -> None:
    changes = committed_diff(_repo(tmp_path), lambda p: p["collection"]["facts"]["purposes"].reverse())
    assert changes and {c.level for c in changes} == {"editorial"}


def test_a_sentence_moved_to_another_block_unchanged_is_editorial(tmp_path: Path) -> None:
    def edit(p: dict) -> None:  # type: ignore[type-arg]
        block(p, "collection", "intro")["text"] = "We will not share your data with anyone."
        block(p, "collection", "children")["text"] = "Children under 16 may not use the service. " \
                                                     "We keep logs for 30 days."
    changes = committed_diff(_repo(tmp_path), edit)
    assert len(changes) == 2 and {c.level for c in changes} == {"editorial"}, [str(c) for c in changes]


def test_a_fmt_run_on_the_real_policy_changes_nothing(git_project: GitRepo) -> None:
    from policykit.cli import main

    assert main(["-C", str(git_project.path), "fmt"]) == 0
    git_project.commit("fmt")
    from policykit.compare.diffreport import compare

    report = compare(git_project.path, "HEAD~1", "HEAD")
    assert report.level in ("none", "editorial"), [str(c) for c in report.changes]


def test_added_special_category_is_decided_by_the_taxonomy_key(tmp_path: Path) -> None:
    # The label says nothing sensitive; the key does.
    edit = lambda p: p["collection"]["facts"]["data_categories"].append(  # noqa: E731
        {"id": "prints", "label": "Login data", "taxonomy": "user.biometric.fingerprint"})
    changes = committed_diff(_repo(tmp_path), edit)
    c = next(c for c in changes if c.path == "facts.data_categories.prints")
    assert (c.rule, c.level, c.consent) == ("data-category.special-added", "significant", True)


def test_special_category_keys_are_real_fideslang_keys() -> None:
    keys = taxonomy.keys("data_category")
    assert set(shipped_rules().lists["special_categories"]) <= keys


def test_retention_longer_is_significant_and_shorter_minor(tmp_path: Path) -> None:
    changes = committed_diff(_repo(tmp_path),
                             lambda p: item(p, "collection", "retention", "logs").update(period="P1Y"))
    assert [(c.path, c.level) for c in changes] == [("facts.retention.logs.period", "significant")]
    assert "30 days" not in changes[0].reason or "P1Y" in changes[0].reason


def test_every_change_names_rule_reason_and_level(git_project: GitRepo) -> None:
    p = git_project.path / "policy" / "sections" / "cookies.yaml"
    p.write_text(p.read_text("utf-8").replace("cookie", "tracker", 3), "utf-8")
    git_project.commit("edit")
    from policykit.compare.diffreport import compare

    for c in compare(git_project.path, "HEAD~1", "HEAD").changes:
        assert c.level in ("significant", "review", "minor", "editorial") and c.rule and c.reason


def test_project_rules_override_and_add(tmp_path: Path) -> None:
    data = b"""rules:
  - id: text.typo
    when: {on: text, feature: typo}
    level: minor
    reason: "We publish typo fixes as minor."
  - id: acme.mentioned
    when: {on: text, feature: named-party}
    level: editorial
    reason: "Names are reviewed elsewhere."
"""
    rules = parse_rules(data, "policy/rules.yaml", shipped_rules())
    assert rules.rules[0].id == "acme.mentioned"
    assert rules.rule("text.typo").level == "minor"  # type: ignore[union-attr]
    c = classify([Change("s.b", "text-changed", "We recieve it.", "We receive it.", section="s")], rules)[0]
    assert (c.rule, c.level) == ("text.typo", "minor")


def test_bad_project_rules_point_at_file_line_col() -> None:
    data = b"rules:\n  - id: x\n    when: {colour: red}\n    level: huge\n    reason: \"{nope}\"\n"
    with pytest.raises(InvalidPolicy) as err:
        parse_rules(data, "policy/rules.yaml", shipped_rules())
    messages = [str(d) for d in err.value.diagnostics]
    assert any(m.startswith("policy/rules.yaml:3:") and "colour" in m for m in messages), messages
    assert any("level must be one of" in m for m in messages)
    assert any("placeholder {nope}" in m for m in messages)


def test_overrides_keep_the_rule_level_and_need_a_justification_to_lower_significant() -> None:
    changes = classify([Change("s.b", "text-changed", "We will not share.", "We may share.", section="s")])
    assert changes[0].level == "significant"
    bare = [Override("s.b", "minor")]
    problems = check_overrides(changes, bare)
    assert [d.code for d in problems] == ["override.justification"]
    justified = [Override("s.b", "minor", "Only partners bound by our DPA; reviewed by legal.")]
    assert check_overrides(changes, justified) == []
    applied = apply_overrides(changes, justified)[0]
    assert (applied.level, applied.classified_as) == ("minor", "significant")
    assert applied.justification.startswith("Only partners")
    assert [d.code for d in check_overrides(changes, [Override("s.c", "minor", "x")])] == ["override.unknown"]
    # Raising a level needs no justification.
    minor = classify([Change("s.b", "text-changed", "We keep logs for 90 days.", "We keep logs for 30 days.",
                             section="s")])
    assert minor[0].level == "minor"
    assert check_overrides(minor, [Override("s.b", "significant")]) == []
    # A change no rule explains is decided by a person, who says why and who they are.
    undecided = classify([Change("s.b", "text-changed", "We share your data with partners.",
                                 "We share your records with partners.", section="s")])
    assert undecided[0].level == "review"
    assert [d.code for d in check_overrides(undecided, [Override("s.b", "minor", "Same meaning.")])] == [
        "override.justification"]
    assert check_overrides(undecided, [Override("s.b", "minor", "Same meaning.", by="A. Tanaka")]) == []
    assert [d.code for d in check_overrides(undecided, [Override("s.b", "review", "x", by="y")])] == [
        "override.level"]


def test_the_project_rules_example_in_the_docs_loads() -> None:
    from ..conftest import REPO

    doc = (REPO / "docs" / "diff.md").read_text("utf-8")
    example = doc.split("### Project rules", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    rules = parse_rules(example.encode(), "policy/rules.yaml", shipped_rules())
    assert rules.rules[0].id == "acme.partner"
    assert "user.financial.bank_account" in rules.lists["special_categories"]
    assert "data room" in rules.lexicons.terms["processing"]


@pytest.mark.parametrize(("content", "expected"), [
    # a file that only extends the lexicons, or says it has no rules, is a project's own vocabulary: fine
    ("lexicons:\n  terms:\n    processing: [data room]\n", []),
    ("rules: []\n", []),
    ("lists:\n  special_categories: [user.financial.bank_account]\n", []),
    # each mistake once, at its place, with what was meant
    ("rulez: []\n", ["policy/rules.yaml:1:1: error: unknown key 'rulez' in a rules file (did you mean 'rules'?)"]),
    ("lexicons:\n  termz: {}\n", ["policy/rules.yaml:2:3: error: unknown lexicon 'termz' (did you mean 'terms'?)"]),
    ("rules:\n  - id: acme.x\n    when: {onn: text}\n    level: minor\n    reason: x\n",
     ["policy/rules.yaml:3:12: error: rule acme.x: unknown condition 'onn' (did you mean 'on'?)"]),
    ("rules:\n  - id: acme.x\n    when: {on: text}\n    levle: minor\n    level: minor\n    reason: x\n",
     ["policy/rules.yaml:4:5: error: unknown key 'levle' in a rule (did you mean 'level'?)"]),
    ("rules: {}\n", ["policy/rules.yaml:1:8: error: `rules` must be a list of rules"]),
    ("- acme.x\n", ["policy/rules.yaml:1:1: error: a rules file must be a mapping with `rules:`"]),
    ("rules:\n  - id: acme.x\n    when: {on: text}\n    level: review\n    reason: Legal decides.\n", []),
])
def test_a_projects_rules_file_is_checked_by_validate_at_its_lines(project: Path, content: str,
                                                                   expected: list[str]) -> None:
    from policykit.load.project import load_project

    (project / "policy/rules.yaml").write_text(content, "utf-8")
    found = [str(d) for d in load_project(project).diagnostics if d.pos.file == "policy/rules.yaml"]
    assert found == expected


def test_a_broken_rules_file_fails_validate_and_diff_with_its_location_and_a_lexicons_only_file_passes(
        git_project: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    from policykit.cli import main

    project = git_project.path
    rules = project / "policy/rules.yaml"
    rules.write_text("lexicons:\n  terms:\n    processing: [data room]\n", "utf-8")
    assert main(["-C", str(project), "validate"]) == 0
    rules.write_text("rules: []\nlevel: minor\n", "utf-8")
    assert main(["-C", str(project), "validate"]) == 1
    assert "policy/rules.yaml:2:1: error: unknown key 'level' in a rules file" in capsys.readouterr().out
    assert main(["-C", str(project), "diff", "HEAD", "WORKTREE"]) != 0
    assert "policy/rules.yaml:2:1" in "".join(capsys.readouterr())

