"""The command line: parse options, import the one command lazily, call it.

Each verb is ``policykit.commands.<verb>.<verb>(**options) -> exit code``.
Adding a verb is one ``_args_<verb>`` function and one line in ``COMMANDS``.
Expected failures (:class:`PolicyError`) become one line on stderr and their
exit code; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import keyword
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from policykit import __version__

if TYPE_CHECKING:
    from policykit.errors import InvalidPolicy

Args = argparse.ArgumentParser


def _args_validate(p: Args) -> None:
    p.add_argument("--format", dest="fmt", choices=["text", "short", "json", "github"], default="text",
                   help="text (PATH:LINE:COL: severity: message, the source line, what to do), short (the "
                        "first line only), json, or GitHub annotations")


def _args_fmt(p: Args) -> None:
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 and list files that need fmt")


def _args_init(p: Args) -> None:
    p.add_argument("directory", type=Path, help="folder for the new policy project (created if missing)")
    p.add_argument("--document", default="privacy-policy", help="document id (default: privacy-policy)")
    p.add_argument("--title", default="Privacy Policy")
    p.add_argument("--controller", default="Example Ltd.", help="legal name of the controller")
    p.add_argument("--locale", default="en", help="source locale (default: en)")
    p.add_argument("--ci", choices=["github"],
                   help="also write a CI workflow: validate, comment the classified diff, block an unapproved "
                        "significant change")
    p.add_argument("--install", metavar="REQ|WHEEL",
                   help="how CI installs policyctl: a pip requirement (policyctl==1.2.0, 'policyctl @ "
                        "git+https://…@v1.2.0') or a .whl file to copy into the repository (default: how this "
                        "policyctl was installed)")
    p.add_argument("--no-git", dest="git", action="store_false",
                   help="do not run `git init` (by default a folder in no repository becomes one)")


def _args_build(p: Args) -> None:
    p.add_argument("--locale", dest="locales", action="append", metavar="TAG",
                   help="build only this locale (repeatable; default: every locale of the policy)")
    p.add_argument("--format", dest="formats", default="html,pdf,json", metavar="LIST",
                   help="comma-separated output formats: html, pdf, json, docx (default: html,pdf,json)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="output folder, relative to -C DIR (default: build/site)")
    p.add_argument("--base-url", metavar="URL", help="the site's address (default: base_url of policy/policy.yaml)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="build the site as it will look on that date")
    p.add_argument("--draft", action="store_true",
                   help="also build the work tree's unreleased text under <locale>/draft/")


def _args_serve(p: Args) -> None:
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="show the site as it will look on that date")
    p.add_argument("--no-draft", dest="draft", action="store_false",
                   help="do not show the work tree's unreleased text under <locale>/draft/")
    p.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip PDFs (faster previews)")


def _args_check(p: Args) -> None:
    p.add_argument("--jurisdiction", action="append", metavar="ID",
                   help="check only this jurisdiction (repeatable; default: `jurisdictions:` of policy.yaml)")
    p.add_argument("--format", dest="fmt", choices=["text", "markdown", "json"], default="text",
                   help="text (default), markdown (tables with evidence links) or json")
    p.add_argument("--link-base", metavar="URL", default="",
                   help="with markdown: put this before each evidence link's file path, so links work where "
                        "the report is read (e.g. https://github.com/ORG/REPO/blob/SHA/)")


def _args_i18n(p: Args) -> None:
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = actions.add_parser("status", help="translated / stale / missing per locale, with source diffs")
    s.add_argument("--locale", help="one locale (default: every translation)")
    s.add_argument("--format", dest="fmt", choices=["text", "json"], default="text")
    s.add_argument("--fail-on", default="", metavar="stale,missing,diverging",
                   help="exit 1 when any unit is stale, missing or diverging (states something else than the source)")
    e = actions.add_parser("export", help="write a PO or XLIFF 1.2 file for translators")
    e.add_argument("--locale", required=True)
    e.add_argument("--format", dest="fmt", choices=["po", "xliff"], default="po")
    e.add_argument("--only", default="", metavar="stale,missing", help="only units in these states")
    e.add_argument("--section", dest="sections", action="append", default=[], metavar="ID",
                   help="only the units of this section (repeatable; the document's title and controller "
                        "name belong to none)")
    e.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    i = actions.add_parser("import", help="check a translated PO/XLIFF file, then write the locale YAML")
    i.add_argument("file", type=Path, help="a .po, .xlf or .xliff file")
    n = actions.add_parser("new", help="start a locale: locales/TAG/ registered as a fallback locale")
    n.add_argument("tag", help="BCP 47 tag, e.g. fr, pt-BR, zh-Hans")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _args_release(p: Args) -> None:
    p.add_argument("--version", dest="version", metavar="V",
                   help="the version number (default: from the level: significant → MAJOR, minor → MINOR, "
                        "editorial → PATCH; the first release is 1.0.0)")
    p.add_argument("--effective", type=_date, metavar="DATE",
                   help="when it takes effect (default: published; a significant release must give one at "
                        "least notice_period after publication)")
    p.add_argument("--published", type=_date, metavar="DATE",
                   help="publication date (default: today; an earlier date records a historical release)")
    p.add_argument("--summary-file", type=Path, metavar="F",
                   help="YAML: `summary:` per locale (text or `pending`) and `overrides:` with justifications")
    p.add_argument("--dry-run", action="store_true", help="show the entry; write, commit and tag nothing")


def _args_erratum(p: Args) -> None:
    p.add_argument("version", help="the release whose recorded classification is corrected, e.g. 2.0.0")
    p.add_argument("--by", required=True, help="who decided the correction (kept in the erratum)")
    p.add_argument("--reason", required=True, help="why the recorded classification was wrong")
    p.add_argument("--locale", metavar="TAG", help="correct only the changes of this translation")
    p.add_argument("--dry-run", action="store_true", help="show the corrections; write and commit nothing")


def _args_notify(p: Args) -> None:
    p.add_argument("--outbox", metavar="FILE|URL",
                   help="the outbox: a SQLite file (anywhere; relative to -C DIR) or a postgresql:// URL (default: "
                        "outbox.url or outbox.path of policy/notify.yaml, else .policyctl/outbox.sqlite3)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    e = actions.add_parser("enqueue", help="queue the notification jobs of a release (twice adds nothing)")
    e.add_argument("version", help="a released version, e.g. 2.0.0")
    e.add_argument("--any-level", action="store_true", help="notify even if the release is not significant")
    e.add_argument("--superseded", action="store_true",
                   help="notify even though a later release replaced this one before it took effect")
    v = actions.add_parser("preview", help="show the exact e-mail, webhook and command input, without sending")
    v.add_argument("version", help="a released version, e.g. 2.0.0")
    v.add_argument("--channel", metavar="ID", help="only this channel")
    v.add_argument("--locale", metavar="TAG", help="only this locale")
    v.add_argument("--any-level", action="store_true", help="preview even if the release is not significant")
    v.add_argument("--superseded", action="store_true", help="preview even a superseded release")
    d = actions.add_parser("deliver", help="deliver due jobs with a bounded pool of workers")
    mode = d.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="deliver what is due now, then stop")
    mode.add_argument("--until-empty", action="store_true",
                      help="keep going (waiting for retries) until no job is left to deliver")
    d.add_argument("--workers", type=int, metavar="N", help="worker threads (default: outbox.workers, 8)")
    s = actions.add_parser("status", help="job counts per state, and the dead and retrying jobs")
    s.add_argument("version", nargs="?", help="only this release")
    s.add_argument("--format", dest="fmt", choices=["text", "json"], default="text")
    s.add_argument("--limit", type=int, default=20, help="list at most this many jobs per state (default 20)")
    r = actions.add_parser("retry", help="make a dead job (id or key), or every dead job, pending again")
    r.add_argument("job", nargs="?", help="job id or idempotency key")
    r.add_argument("--dead", action="store_true", help="every dead job")


def _args_diff(p: Args) -> None:
    p.add_argument("a", nargs="?", help="from: a commit, tag, branch, release version or WORKTREE "
                   "(default: the latest release, or HEAD before any release)")
    p.add_argument("b", nargs="?", help="to (default: WORKTREE, the uncommitted files)")
    p.add_argument("--locale", help="also diff this translation, and show the HTML redline in it")
    p.add_argument("--format", dest="fmt", choices=["text", "markdown", "json", "html", "docx"], default="text",
                   help="docx: a Word redline of B with tracked changes and a comment per change")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--fail-on", choices=["significant", "minor"],
                   help="exit 3 when the level is this or higher (for CI gates)")


def _args_import(p: Args) -> None:
    p.add_argument("source", type=Path, metavar="FILE",
                   help="a .docx, .html, .md or .txt file; or a folder of dated versions (see --history)")
    p.add_argument("--onto", action="store_true",
                   help="revise the project's policy to this text: unchanged and edited paragraphs keep their ids")
    p.add_argument("--history", action="store_true",
                   help="FILE is a folder of <date>-<name>.<ext> versions (and versions.tsv): one dated commit "
                        "per version, in the git repository of -C DIR (made if there is none)")
    p.add_argument("--release", action="store_true", help="with --history: also record a release per version")
    p.add_argument("--document", help="document id (default: from the title)")
    p.add_argument("--title", help="the policy's title (default: the file's top heading)")
    p.add_argument("--controller", help="the controller's legal name (default: a placeholder to fill in)")
    p.add_argument("--locale", default="en", help="the language the file is written in (default: en)")
    p.add_argument("--format", dest="fmt", choices=["text", "json", "github"], default="text",
                   help="how warnings are printed")


def _args_log(p: Args) -> None:
    p.add_argument("revision", nargs="?", default="HEAD", help="walk back from here (default: HEAD)")
    p.add_argument("--since", help="a date (2018-05-01, '2 weeks ago') or a revision/release: only later commits")
    p.add_argument("--limit", type=int, metavar="N", help="at most N commits")
    p.add_argument("--format", dest="fmt", choices=["text", "json"], default="text")


def _args_cache(p: Args) -> None:
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("dir", help="print the cache folders: the user's, then the site's beside build/site")
    actions.add_parser("clear", help="remove every cache folder: the next command computes everything anew")


COMMANDS: dict[str, tuple[str, Callable[[Args], None]]] = {
    "validate": ("check schema, ids, links, text and translations", _args_validate),
    "fmt": ("rewrite the YAML in canonical form, keeping comments", _args_fmt),
    "init": ("start a new policy project", _args_init),
    "diff": ("show and classify what changed between two versions", _args_diff),
    "import": ("a policy from Word, HTML, Markdown or text; a new version onto it; a folder of versions",
               _args_import),
    "log": ("the policy's history: each commit that touched it, with its level", _args_log),
    "release": ("record a release in changelog/ (classified, dated), commit and tag it", _args_release),
    "erratum": ("correct a release's recorded classification by an erratum (the release is never edited)",
                _args_erratum),
    "notify": ("notification jobs of releases: enqueue, preview, deliver, status, retry", _args_notify),
    "i18n": ("translation workflow: status, export/import PO and XLIFF, new locales", _args_i18n),
    "build": ("render HTML, PDF and JSON for every locale into build/site", _args_build),
    "serve": ("serve the site on localhost and rebuild it when the policy changes", _args_serve),
    "check": ("is everything the law requires in the policy? (per jurisdiction, with evidence)", _args_check),
    "cache": ("where policyctl keeps its caches, and the one way to drop them", _args_cache),
}


def _root(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: no such folder")
    return path


def build_parser() -> argparse.ArgumentParser:
    from policykit.clihelp import epilog

    parser = argparse.ArgumentParser(
        prog="policyctl",
        description="A privacy policy kept as code: validate, render, diff, classify, release, notify.",
        epilog=epilog("policyctl") + "\n\nEach command's --help shows its own examples and exit codes.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"policyctl {__version__}")
    parser.add_argument("-C", dest="root", type=_root, default=Path("."), metavar="DIR",
                        help="the project folder holding policy/, locales/, changelog/ (default: .)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for verb, (summary, configure) in COMMANDS.items():
        p = sub.add_parser(verb, help=summary, description=summary[:1].upper() + summary[1:] + ".",
                           epilog=epilog(verb), formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("-C", dest="root", type=_root, default=argparse.SUPPRESS, metavar="DIR",
                       help=argparse.SUPPRESS)
        configure(p)
        for action in p._actions:  # the actions of i18n and notify have their own --help
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    child.epilog = epilog(f"{verb} {name}")
                    child.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = vars(parser.parse_args(argv))
    verb = args.pop("command")
    from policykit.errors import InvalidPolicy, PolicyError

    try:
        name = verb.replace("-", "_")
        name += "_" if keyword.iskeyword(name) else ""  # `import` is policykit.commands.import_.import_
        module = importlib.import_module(f"policykit.commands.{name}")
        return int(getattr(module, name)(**args))
    except InvalidPolicy as exc:
        _print_invalid(verb, exc, args.get("root", Path(".")))
        return exc.exit_code
    except PolicyError as exc:
        print(f"policyctl {verb}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"policyctl {verb}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OSError as exc:
        import errno

        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        # Every write policyctl makes goes to a temporary file or folder first (policykit.files,
        # the site's staging folder), removed on the way out: what was there is unchanged.
        where = f" writing {exc.filename}" if exc.filename else ""
        print(f"policyctl {verb}: the disk is full{where} ({exc.strerror}); nothing was changed: free some "
              "space and run the command again", file=sys.stderr)
        return 1


def _print_invalid(verb: str, exc: InvalidPolicy, root: Path) -> None:
    """Every error of an invalid policy, each with its source line, then what to do."""
    from policykit.diagnostics import format_diagnostics
    from policykit.validate import project_text

    errors = [d for d in exc.diagnostics if d.severity == "error"]
    if not errors:
        print(f"policyctl {verb}: {exc}", file=sys.stderr)
        return
    print(format_diagnostics(errors, "text", source=project_text(root)), file=sys.stderr)
    print(f"policyctl {verb}: the policy has {len(errors)} error{'s' if len(errors) > 1 else ''}; fix "
          f"{'them' if len(errors) > 1 else 'it'} (`policyctl validate` lists warnings too)", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
