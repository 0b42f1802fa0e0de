"""policyctl import of Markdown, plain text and HTML: sections, blocks, ids, what is dropped, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.cli import main
from policykit.load.project import load_policy, load_project

MARKDOWN = """\
# Acme Privacy Policy

Acme Ltd. ("we") explains here how we handle **your** personal information.

## What we collect

We collect:

- your *name* and e-mail address
- your purchases
  - what you bought
  - when

| Data | Kept for |
|---|---|
| Orders | 6 years |

<div onclick="steal()">raw html</div>

See [our terms](https://acme.example/terms), [the cookie list](/cookies) and ![logo](logo.png).

## Contact us

Write to privacy@acme.example or visit https://acme.example/privacy.
"""


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _texts(root: Path) -> dict[str, str]:
    policy = load_policy(root)
    return {f"{s.id}.{b.id}": b.text or "" for s in policy.sections for b in s.blocks}


def test_markdown_becomes_sections_from_headings_with_lists_tables_and_links(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write(tmp_path, "policy.md", MARKDOWN)
    project = tmp_path / "project"
    project.mkdir()
    code, _, err = _run(capsys, "-C", str(project), "import", str(source), "--controller", "Acme Ltd.")
    assert code == 0, err
    policy = load_policy(project)
    assert policy.title == "Acme Privacy Policy"
    assert [s.id for s in policy.sections] == ["acme-privacy-policy", "what-we-collect", "contact-us"]
    texts = _texts(project)
    assert texts["what-we-collect.your-name-and-e-mail"] == (
        "- your *name* and e-mail address\n- your purchases\n  - what you bought\n  - when\n")
    assert texts["what-we-collect.data-kept-for-orders-6"] == "| Data | Kept for |\n|---|---|\n| Orders | 6 years |\n"
    assert texts["what-we-collect.see-our-terms-the-cookie"] == (
        "See [our terms](https://acme.example/terms), the cookie list and .\n")
    assert texts["contact-us.write-to-privacy-acme-example"] == (
        "Write to [privacy@acme.example](mailto:privacy@acme.example) or visit <https://acme.example/privacy>.\n")
    assert not any("raw html" in t or "steal" in t for t in texts.values())
    # What was not carried over is reported where it stood in the input.
    assert f"{source}:18:1: warning: raw HTML '<div onclick=\"steal()\">raw html</div>' dropped" in err
    assert f"{source}:20:" in err and "link to '/cookies' dropped" in err and "an image is not imported" in err
    # The result validates without errors.
    loaded = load_project(project)
    assert not [d for d in loaded.diagnostics if d.severity == "error"]


def test_ids_come_from_words_so_an_inserted_paragraph_renames_nothing(tmp_path: Path) -> None:
    from policykit import importing

    first, second = tmp_path / "a", tmp_path / "b"
    importing.import_file(MARKDOWN.encode(), "a.md", first, controller="Acme")
    inserted = MARKDOWN.replace("## What we collect\n", "## Who we are\n\nA shop.\n\n## What we collect\n")
    importing.import_file(inserted.encode(), "b.md", second, controller="Acme")
    before, after = _texts(first), _texts(second)
    assert set(after) - set(before) == {"who-we-are.a-shop"}
    assert all(after[k] == v for k, v in before.items())


def test_importing_the_same_file_onto_its_import_changes_nothing(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    source = _write(tmp_path, "policy.md", MARKDOWN)
    project = tmp_path / "project"
    project.mkdir()
    assert _run(capsys, "-C", str(project), "import", str(source))[0] == 0
    files = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    code, out, _ = _run(capsys, "-C", str(project), "import", str(source), "--onto")
    assert code == 0 and "nothing changed" in out
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == files


def test_plain_text_takes_short_lines_as_headings_and_says_so(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    text = ("Privacy Policy\n\nWe are Acme. This policy explains what we do.\n\nWhat We Collect\n\n"
            "We collect your name.\n- orders\n- payments\n\nYour Rights\n\nYou may ask for a copy.\n")
    source = _write(tmp_path, "policy.txt", text)
    project = tmp_path / "p"
    project.mkdir()
    code, _, err = _run(capsys, "-C", str(project), "import", str(source))
    assert code == 0
    assert f"{source}:1:1: warning: the file marks no heading(s): 3 short paragraph(s) taken as headings" in err
    policy = load_policy(project)
    assert [s.title for s in policy.sections] == ["Privacy Policy", "What We Collect", "Your Rights"]
    assert _texts(project)["what-we-collect.orders"] == "- orders\n- payments\n"


def test_html_keeps_the_text_and_never_carries_scripts_or_attributes(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    page = """<!doctype html><html><head><title>Acme</title><script>alert('head')</script></head>
<body><nav><a href="/">Home</a></nav><main>
<h1>Acme Privacy Policy</h1>
<p>We are <b>Acme</b>. Read our <a href="https://acme.example/terms">terms</a> and
<a href="javascript:evil()">this</a>.</p>
<h2>What we collect</h2>
<ol><li>your <em>name</em></li><li>your e-mail<ul><li>work</li></ul></li></ol>
<table><tr><th>Data</th><th>Kept</th></tr><tr><td>Name</td><td>2 years</td></tr></table>
<script>steal()</script><img src="x.png" alt="logo">
<h2>Contact</h2><p style="color:red" onclick="x()">Write to us.</p>
</main><footer>Copyright</footer></body></html>"""
    source = _write(tmp_path, "policy.html", page)
    project = tmp_path / "p"
    project.mkdir()
    code, _, err = _run(capsys, "-C", str(project), "import", str(source))
    assert code == 0
    texts = _texts(project)
    assert texts["what-we-collect.your-name"] == "1. your *name*\n2. your e-mail\n   - work\n"
    assert texts["what-we-collect.data-kept-name-2-years"] == "| Data | Kept |\n|---|---|\n| Name | 2 years |\n"
    assert texts["acme-privacy-policy.we-are-acme-read-our"] == (
        "We are **Acme**. Read our [terms](https://acme.example/terms) and this.\n")
    everything = "".join(p.read_text("utf-8") for p in (project / "policy").rglob("*.yaml"))
    for never in ("alert", "steal", "onclick", "color:red", "Copyright", "Home", "javascript"):
        assert never not in everything
    assert f"{source}:5:1: warning: link to 'javascript:evil()' dropped" in err
    assert f"{source}:9:1: warning: a <script> is not imported" in err
    assert f"{source}:9:25: warning: an image is not imported" in err


@pytest.mark.parametrize(("name", "data", "message"), [
    ("latin1.md", "# Politique\n\nDonn\u00e9es\n".encode("latin-1"), ":3:5: error: not UTF-8 (byte 0xe9)"),
    ("flat.md", b"We collect your name. We keep it for a year.\n\nWe never sell it to anyone at all.\n",
     ":1:1: error: no headings, and no line that looks like one"),
    ("deep.html", ("<div>" * 500 + "x" + "</div>" * 500).encode(), ":1:2496: error: the page nests elements 500 deep"),
    ("policy.pdf", b"%PDF-1.4", ":1:1: error: cannot import a .pdf file"),
    ("binary.txt", b"Title\n\nabc\x00def\n", ":3:4: error: a NUL character"),
])
def test_bad_input_is_a_located_error_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         name: str, data: bytes, message: str) -> None:
    source = _write(tmp_path, name, data)
    project = tmp_path / "p"
    project.mkdir()
    code, _, err = _run(capsys, "-C", str(project), "import", str(source))
    assert code == 1
    assert f"{source}{message}" in err
    assert list(project.iterdir()) == []


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "huge.html"
    with source.open("wb") as out:
        out.write(b"<p>" + b"x" * (21 * 1024 * 1024) + b"</p>")
    project = tmp_path / "p"
    project.mkdir()
    code, _, err = _run(capsys, "-C", str(project), "import", str(source))
    assert code == 1 and "the limit for an import is 20,971,520" in err
    assert list(project.iterdir()) == []


def test_a_project_is_never_overwritten_by_a_fresh_import(project: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    source = _write(tmp_path, "policy.md", MARKDOWN)
    code, _, err = _run(capsys, "-C", str(project), "import", str(source))
    assert code == 2 and "exists: import onto it with --onto" in err


@pytest.mark.parametrize(("option", "message"), [(("--locale", "xx_YY!"), "--locale:"),
                                                 (("--document", "Not An Id"), "--document 'Not An Id' is not an id")])
def test_bad_options_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], option: tuple[str, str],
                                      message: str) -> None:
    source = _write(tmp_path, "policy.md", MARKDOWN)
    project = tmp_path / "p"
    project.mkdir()
    code, _, err = _run(capsys, "-C", str(project), "import", str(source), *option)
    assert code == 2 and message in err
    assert list(project.iterdir()) == []


# Reddit's page of 28 June 2025 (Platform Governance Archive, ODC-By 1.0): where the update banner stood,
# the page's template printed the value of a script variable.
REDDIT_STRAY = """\
# Reddit Privacy Policy

Effective June 28, 2025. Last Revised June 28, 2025

false

## What we collect

We collect information you provide to us directly when you use the Services.

The word false, in a sentence, is text.
"""


def test_a_paragraph_that_is_only_a_script_value_is_left_out_and_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write(tmp_path, "policy.md", REDDIT_STRAY)
    project = tmp_path / "project"
    project.mkdir()
    code, _, err = _run(capsys, "-C", str(project), "import", str(source), "--controller", "Reddit, Inc.")
    assert code == 0, err
    texts = _texts(project)
    assert not any(t.strip() == "false" for t in texts.values()), texts
    assert any("The word false, in a sentence, is text." in t for t in texts.values()), texts
    assert f"{source}:5:1: warning: the paragraph 'false' is a value of the page's script" in err
