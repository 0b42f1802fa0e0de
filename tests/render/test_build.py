"""`policyctl build --locale/--format`: a selection of the one site plan (same layout, swap and
progress reporter as the whole site), byte-identical rebuilds, atomic swaps, JSON schema, errors,
progress only on a terminal, WeasyPrint imported only for PDFs."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from policykit.cli import main
from policykit.model import Policy
from policykit.render.output import MARKER

from ..conftest import REPO
from .conftest import every_locale
from .test_pdf import dejavu_only_fontconfig


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "policyctl.py"), *args], capture_output=True, text=True,
                          check=False, env={**os.environ, **(env or {})})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_layout_is_the_sites_locale_folders_with_page_pdf_and_json(site: Path, real_policy: Policy) -> None:
    # Nothing released in the copy: the draft is the version shown, at its own folder and at
    # the stable addresses of each locale; no file outside the locale folders was asked for.
    expected = {MARKER} | {f"{tag}/{name}" for tag in real_policy.all_locales for name in (
        "index.html", "privacy-policy.pdf", "privacy-policy.json", "draft/index.html", "draft/privacy-policy.pdf",
        "draft/privacy-policy.json", "versions/index.html", "compare/index.html", "current.json", "changes.atom")}
    assert set(snapshot(site)) == expected
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site")], "temporary folders left"


def test_locale_and_format_select_files_of_the_whole_site(project: Path, real_policy: Policy) -> None:
    assert main(["-C", str(project), "build"]) == 0
    whole = snapshot(project / "build" / "site")
    (project / "build").rename(project / "whole")
    assert main(["-C", str(project), "build", "--locale", "ja", "--format", "pdf"]) == 0
    part = snapshot(project / "build" / "site")
    assert set(part) == {MARKER, "ja/privacy-policy.pdf", "ja/draft/privacy-policy.pdf"}
    assert all(part[name] == whole[name] for name in part)  # the same files a whole build makes
    assert main(["-C", str(project), "build", "--locale", "en", "--format", "docx"]) == 0
    docx = snapshot(project / "build" / "site")
    assert {"en/privacy-policy.docx", "en/draft/privacy-policy.docx"} <= set(docx)
    assert docx["en/privacy-policy.docx"].startswith(b"PK")  # a zip: the Word file
    assert set(part) <= set(docx), "a partial build keeps what it does not name"


@pytest.mark.slow
def test_two_builds_are_byte_identical(site: Path, tmp_path: Path, real_policy: Policy) -> None:
    project = site.parent.parent
    result = run("-C", str(project), "build", *every_locale(real_policy), "--out", str(tmp_path / "again"),
                 env={"PYTHONHASHSEED": "12345"})
    assert result.returncode == 0, result.stderr
    first, second = snapshot(site), snapshot(tmp_path / "again")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_json_output_matches_its_schema(site: Path, real_policy: Policy) -> None:
    schema_file = resources.files("policykit").joinpath("schemas", "localised-policy.schema.json")
    schema = json.loads(schema_file.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for tag in real_policy.all_locales:
        data = json.loads((site / tag / "privacy-policy.json").read_text("utf-8"))
        validator.validate(data)
        assert data["locale"] == tag
    zh = json.loads((site / "zh-Hans" / "privacy-policy.json").read_text("utf-8"))
    fallback_blocks = [b for s in zh["sections"] for b in s["blocks"] if b["fallback_lang"] == "en"]
    assert fallback_blocks and all(b.get("text", {"lang": "en"})["lang"] == "en" for b in fallback_blocks)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**zh, "dir": "sideways"})


def test_html_links_to_the_other_languages_and_the_pdf(site: Path) -> None:
    html = (site / "de" / "index.html").read_text("utf-8")
    assert '<a href="../ja/" hreflang="ja" lang="ja">日本語</a>' in html
    pdf = '<a class="download" href="../de/draft/privacy-policy.pdf" type="application/pdf">PDF herunterladen</a>'
    assert pdf in html


def test_a_failed_build_leaves_the_previous_output_untouched(project: Path, tmp_path: Path,
                                                            real_policy: Policy) -> None:
    assert main(["-C", str(project), "build", "--format", "html,json"]) == 0
    out = project / "build" / "site"
    before = snapshot(out)
    # A machine without a Japanese font: the ja PDF must fail, after en was already rendered.
    result = run("-C", str(project), "build", *every_locale(real_policy),
                 env={"FONTCONFIG_FILE": str(dejavu_only_fontconfig(tmp_path))})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "policyctl build: locale ja: no installed font has a glyph for" in result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [".cache", "site"]


def test_partial_build_remakes_only_what_it_names(project: Path) -> None:
    out = project / "build" / "site"
    assert main(["-C", str(project), "build", "--format", "html,json"]) == 0
    before = snapshot(out)
    (project / "locales/ja/policy.yaml").write_text(
        (project / "locales/ja/policy.yaml").read_text("utf-8").replace("プライバシーポリシー", "個人情報保護方針"),
        "utf-8")
    assert main(["-C", str(project), "build", "--locale", "ja", "--format", "json"]) == 0
    after = snapshot(out)
    assert after.keys() == before.keys()
    changed = [name for name in after if after[name] != before[name]]
    assert changed and all(name.startswith("ja/") and name.endswith(".json") for name in changed), changed
    assert "ja/privacy-policy.json" in changed
    assert "個人情報保護方針" in after["ja/privacy-policy.json"].decode()


def test_refuses_to_replace_a_folder_it_did_not_make(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = project / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("precious", "utf-8")
    assert main(["-C", str(project), "build", "--format", "json", "--out", "mine"]) == 1
    assert "was not made by `policyctl build`" in capsys.readouterr().err
    assert (mine / "keep.txt").read_text("utf-8") == "precious"
    assert main(["-C", str(project), "build", "--format", "json", "--out", "."]) == 1
    assert "must not be the project folder" in capsys.readouterr().err


def test_bad_locale_or_format_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(project), "build", "--locale", "jp"]) == 2
    assert "--locale jp: not a locale of this policy (did you mean 'ja'?)" in capsys.readouterr().err
    assert main(["-C", str(project), "build", "--format", "html,epub"]) == 2
    assert "unknown format 'epub'" in capsys.readouterr().err
    assert not (project / "build" / "site").exists()


def test_invalid_policy_points_at_file_line_col_and_writes_nothing(project: Path) -> None:
    path = project / "policy/sections/minors.yaml"
    path.write_text(path.read_text("utf-8").replace("id: minors", "id: minors\nid: again", 1), "utf-8")
    result = run("-C", str(project), "build", "--format", "html")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "policy/sections/minors.yaml:2:1: error:" in result.stderr
    assert not (project / "build" / "site").exists()


def test_quiet_without_a_terminal(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(project), "build", "--format", "html,json"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    *stages, last = captured.err.splitlines()
    assert [line.split(":")[0] for line in stages] == ["versions", "plan", "render", "publish"]
    assert last.startswith("built the site into ") and last.endswith("(only every locale; html, json)")


def test_progress_bar_on_a_terminal(project: Path) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("CI", None)
    proc = subprocess.Popen([sys.executable, str(REPO / "policyctl.py"), "-C", str(project), "build", "--format",
                             "html,json"], stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait() == 0
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "━" in shown and "/" in shown  # rich's bar and its done/total column
    assert "built the site into" in shown


def test_weasyprint_is_imported_only_when_a_pdf_is_built(project: Path) -> None:
    code = (
        "import sys\n"
        "from policykit.cli import main\n"
        f"assert main(['-C', {str(project)!r}, 'build', '--format', 'html,json']) == 0\n"
        "assert 'weasyprint' not in sys.modules, 'imported for html/json'\n"
        f"assert main(['-C', {str(project)!r}, 'build', '--locale', 'en', '--format', 'pdf']) == 0\n"
        "assert 'weasyprint' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert result.returncode == 0, result.stderr
