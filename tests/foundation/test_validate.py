"""Break the real policy (in a temp copy) in each way a legal editor might, and
check that validate names the exact place and says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.diagnostics import Diagnostic
from policykit.load.project import load_project

SECTION = "policy/sections/collection.yaml"
# For the tests that break a whole file: a section no other section refers to. (Since 2.0.0 other
# sections refer to collection's facts, e.g. retention `applies_to`; a broken collection.yaml is one error too,
# see test_a_broken_file_that_others_refer_to_is_one_error.)
WHOLE = "policy/sections/minors.yaml"


def diagnostics(root: Path, prefix: str = "policy/") -> list[str]:
    """What validate says about the source files (translations have their own tests)."""
    return [str(d) for d in load_project(root).diagnostics if d.pos.file.startswith(prefix)]


def errors(root: Path, prefix: str = "policy/") -> list[str]:
    return [d for d in diagnostics(root, prefix) if ": error: " in d]


def replace(root: Path, rel: str, old: str, new: str, count: int = 1) -> tuple[int, int]:
    """Replace ``old`` by ``new`` in a file; return (line, col) where ``new`` starts, 1-based."""
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {rel}"
    index = text.index(old)
    path.write_text(text.replace(old, new, count), "utf-8")
    line = text[:index].count("\n") + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def line_of(root: Path, rel: str, needle: str) -> int:
    text = (root / rel).read_text("utf-8")
    return text[: text.index(needle)].count("\n") + 1


def test_the_real_policy_has_no_errors(project: Path) -> None:
    assert errors(project) == []


def test_malformed_yaml_points_at_the_unclosed_bracket(project: Path) -> None:
    line, col = replace(project, WHOLE, "title: Personal information", "title: [Personal information")
    found = errors(project)
    assert len(found) == 1
    assert found[0].startswith(f"{WHOLE}:")
    assert f"starts at line {line}, column {col + 7}" in found[0]
    assert "malformed YAML" in found[0]


def test_a_broken_file_that_others_refer_to_is_one_error(project: Path) -> None:
    replace(project, SECTION, "title: Personal information", "title: [Personal information")
    assert len(errors(project)) == 1
    for contacts_file in ("policy/sections/contact.yaml",):  # rights name contacts as their channel
        (project / contacts_file).write_text("id: contact\ntitle: [\n", "utf-8")
    assert [e.split(":")[0] for e in errors(project)] == [SECTION, "policy/sections/contact.yaml"]


def test_duplicate_key_names_both_places(project: Path) -> None:
    line, _ = replace(project, WHOLE, "blocks:\n", "title: Again\nblocks:\n")
    first = line_of(project, WHOLE, "title: Personal")
    assert errors(project) == [
        f"{WHOLE}:{line}:1: error: duplicate key 'title' (first defined at line {first}); remove one of them"
    ]


def test_alias_bomb_is_refused_before_it_expands(project: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdefgh", "abcdefg", strict=True):
        bomb += f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]\n"
    (project / WHOLE).write_text(bomb, "utf-8")
    found = errors(project)
    assert len(found) == 1
    assert found[0].startswith(f"{WHOLE}:1:1: error: YAML aliases expand this file to ")
    assert "write the repeated parts out" in found[0]


def test_small_aliases_are_allowed(project: Path) -> None:
    replace(project, SECTION, "      sources: [provided-by-you]", "      sources: &mine [provided-by-you]", 1)
    replace(project, SECTION, "      sources: [provided-by-you]", "      sources: *mine", 1)
    assert errors(project) == []


def test_recursive_alias(project: Path) -> None:
    (project / SECTION).write_text("id: collection\nloop: &a [*a]\n", "utf-8")
    assert f"{SECTION}:2:7: error: recursive YAML alias" in errors(project)


def test_non_utf8_file_names_the_byte(project: Path) -> None:
    line = line_of(project, WHOLE, "title:")
    path = project / WHOLE
    path.write_bytes(path.read_bytes().replace(b"Personal information", b"Personal informat\xefon"))
    assert errors(project) == [f"{WHOLE}:{line}:25: error: not UTF-8 (byte 0xef); save the file as UTF-8"]


def test_oversized_file(project: Path) -> None:
    path = project / WHOLE
    path.write_text(path.read_text("utf-8") + "# " + "x" * (1024 * 1024) + "\n", "utf-8")
    found = errors(project)
    assert len(found) == 1
    assert found[0].startswith(f"{WHOLE}:1:1: error: file is 1,")
    assert "the limit is 1,048,576" in found[0]


def test_unknown_key_suggests_the_right_one(project: Path) -> None:
    line, col = replace(project, SECTION, "title: Personal", "titel: Personal")
    # One mistake, one message: at the misspelling, not also "needs 'title'" and "empty title".
    assert diagnostics(project) == [
        f"{SECTION}:{line}:{col}: error: unknown key 'titel' in section 'collection'; did you mean 'title'? "
        "section 'collection' needs it"
    ]
    replace(project, SECTION, "titel: Personal", "subtitle: Personal\ntitle: Personal")
    assert diagnostics(project) == [
        f"{SECTION}:{line}:{col}: warning: unknown key 'subtitle' in section 'collection'; it is ignored; did you "
        "mean 'title'?"
    ]


def test_wrong_type(project: Path) -> None:
    (project / "policy/sections/minors.yaml").write_text("id: minors\ntitle: Minors\nblocks: none\n", "utf-8")
    assert errors(project) == [
        "policy/sections/minors.yaml:3:9: error: 'blocks' in section 'minors' must be a list of blocks, not str 'none'"
    ]


def test_duplicate_block_id(project: Path) -> None:
    second = line_of(project, SECTION, "  - id: separation")
    first, col = replace(project, SECTION, "  - id: non-pii", "  - id: separation")
    assert errors(project) == [
        f"{SECTION}:{second}:{col + 8}: error: block id collection.separation is used twice in this section "
        f"(first at line {first}); ids must be unique"
    ]


def test_malformed_id(project: Path) -> None:
    line, col = replace(project, SECTION, "  - id: non-pii", "  - id: Non_PII")
    assert errors(project) == [
        f"{SECTION}:{line}:{col + 8}: error: block id 'Non_PII' is not a valid id: use lower-case letters, "
        "digits and single hyphens, like `data-categories`"
    ]


def test_duplicate_fact_id_across_sections(project: Path) -> None:
    rel = "policy/sections/cookies.yaml"
    first = line_of(project, rel, "    - id: web-beacons")
    line, col = replace(project, rel, "    - id: session-cookies", "    - id: web-beacons", 1)
    assert errors(project) == [
        f"{rel}:{first}:{col + 10}: error: tracking id 'web-beacons' is used twice (first in section "
        f"'cookies', {rel}:{line}:7); fact ids must be unique per kind"
    ]


def test_listed_section_without_file_and_unlisted_file(project: Path) -> None:
    (project / "policy/sections/minors.yaml").rename(project / "policy/sections/children.yaml")
    line = line_of(project, "policy/policy.yaml", "  - minors")
    assert sorted(errors(project)) == [
        f"policy/policy.yaml:{line}:5: error: section 'minors' is listed but policy/sections/minors.yaml "
        "does not exist; create policy/sections/minors.yaml, or take 'minors' out of `sections`",
        "policy/sections/children.yaml: error: section file children.yaml is not listed in "
        "policy/policy.yaml `sections`; add it there or delete the file",
    ]


def test_list_block_must_name_a_fact_kind_of_its_section(project: Path) -> None:
    line, col = replace(project, SECTION, "list: legal_bases", "list: recipients")
    assert errors(project) == [
        f"{SECTION}:{line}:{col + 6}: error: block collection.legal-bases lists 'recipients', but section "
        "'collection' has no such facts (it is in section 'disclosure'; a list block renders its own "
        "section's facts)"
    ]


def test_unknown_reference_suggests_the_id(project: Path) -> None:
    line, col = replace(project, SECTION, "legal_bases: [contract]", "legal_bases: [contrat]")
    assert errors(project) == [
        f"{SECTION}:{line}:{col + 13}: error: purposes item 'provide-services': legal_bases 'contrat' is not "
        "the id of any legal_bases item (did you mean 'contract'?)"
    ]


def test_taxonomy_key_is_checked_against_fideslang(project: Path) -> None:
    line, col = replace(project, SECTION, "taxonomy: user.contact.email", "taxonomy: user.contact.emial")
    assert errors(project) == [
        f"{SECTION}:{line}:{col + 10}: error: data_categories item 'email': taxonomy 'user.contact.emial' is "
        "not a fideslang data category key (did you mean 'user.contact.email'?)"
    ]


def test_damaged_dpo_address_from_the_source_is_an_error(project: Path) -> None:
    rel = "policy/sections/contact.yaml"
    # The 2018 DPO mailbox is the privacy office's since 2.0.0.
    line, col = replace(project, rel, "email: PrivacyJP@huawei.com", "email: PrivacyJP@Huawei")
    assert errors(project) == [
        f"{rel}:{line}:{col + 7}: error: contacts item 'privacy-office': email 'PrivacyJP@Huawei' is not a "
        "well-formed e-mail address"
    ]


def test_damaged_eu_url_from_the_source_is_an_error(project: Path) -> None:
    rel = "policy/sections/access.yaml"
    text = (project / rel).read_text("utf-8")
    start = text.index("<http", text.index("  - id: complaint"))  # the EU authorities link of the complaint block
    end = text.index(">", start) + 1
    damaged = "http: // EC.EUROPA.EU/Justice/Article-29/Structure/Data-Protection-Authorities/Index_en.In HTM"
    line, col = replace(project, rel, text[start:end], damaged)
    found = errors(project)
    assert found == [
        f"{rel}:{line}:{col}: error: access.complaint: broken URL starting 'http: // EC.EUROPA.EU/Justice/': "
        "write it as <https://host/path> with no spaces"
    ]


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (
            "[click](javascript:alert(1))",
            "link target 'javascript:alert(1)': scheme javascript: is not allowed; use http(s): or mailto:",
        ),
        (
            "[mail](mailto:PrivacyJP@Huawei)",
            "link target 'mailto:PrivacyJP@Huawei': 'PrivacyJP@Huawei' is not a well-formed e-mail address",
        ),
        ("[site](https://exa mple.com)", None),  # not a link in CommonMark: reported as a bare URL below
    ],
)
def test_links_are_http_or_mailto_and_well_formed(project: Path, link: str, message: str | None) -> None:
    line, col = replace(project, SECTION, "We keep personal information", f"{link} We keep personal information")
    found = errors(project)
    if message is None:
        assert found == [] or all("link" in f or "URL" in f for f in found)
        return
    assert found == [f"{SECTION}:{line}:{col + 1 + link.index('(')}: error: collection.separation: {message}"]


def test_raw_html_is_an_error(project: Path) -> None:
    line, col = replace(project, SECTION, "We keep personal information",
                        "<script>alert(1)</script> We keep personal information")
    assert errors(project) == [
        f"{SECTION}:{line}:{col}: error: collection.separation: raw HTML is not allowed ('<script>'); "
        "write Markdown instead"
    ]


def test_a_lost_list_is_a_warning(project: Path) -> None:
    replace(project, SECTION, "  - id: purposes\n    list: purposes\n", "")
    line = line_of(project, SECTION, "We use your personal information for the following purposes:")
    found = [d for d in diagnostics(project) if "colon" in d]
    assert found == [
        f"{SECTION}:{line}:7: warning: collection.purposes-intro ends with a colon but no list follows; "
        "was a list lost?"
    ]
    # The real policy places every fact (`unplaced_facts: error`), so the purposes are now shown nowhere.
    assert [e.split(": error: ")[1][:41] for e in errors(project)] == ["purposes of section 'collection' (provide"]


@pytest.mark.parametrize("tag", ["../../etc", "en_US/../x", "xx-QQQQQQQQQ", "<script>"])
def test_hostile_locale_tags_are_rejected(project: Path, tag: str) -> None:
    line, col = replace(project, "policy/policy.yaml", "fallback_locales: [zh-Hans]", f"fallback_locales: ['{tag}']")
    found = errors(project)
    assert len(found) == 1
    assert found[0].startswith(f"policy/policy.yaml:{line}:{col + 20}: error: '{tag}' is not a ")


def test_unknown_but_well_formed_locale(project: Path) -> None:
    line, col = replace(project, "policy/policy.yaml", "fallback_locales: [zh-Hans]", "fallback_locales: [qq]")
    found = errors(project)
    assert found[0].startswith(f"policy/policy.yaml:{line}:{col + 19}: error: 'qq' is not a locale Babel (CLDR) knows")


def test_configured_locale_must_exist(project: Path) -> None:
    line, col = replace(project, "policy/policy.yaml", "fallback_locales: [zh-Hans]", "fallback_locales: [zh-Hans, fr]")
    assert errors(project) == [
        f"policy/policy.yaml:{line}:{col + 18}: error: locale 'fr' is configured but locales/fr/ does not exist "
        "(start it with `policyctl i18n new fr`)"
    ]


def test_every_problem_is_reported_in_one_run_sorted(project: Path) -> None:
    replace(project, SECTION, "  - id: non-pii", "  - id: Non_PII")
    replace(project, "policy/sections/contact.yaml", "email: PrivacyJP@huawei.com", "email: nobody")
    (project / "policy/sections/minors.yaml").write_text("id: minors\ntitle: [\n", "utf-8")
    found: list[Diagnostic] = load_project(project).diagnostics
    files = [d.pos.file for d in found if d.severity == "error"]
    assert files == sorted(files)
    assert {Path(f).name for f in files} == {"collection.yaml", "contact.yaml", "minors.yaml"}
