"""What each command's ``--help`` ends with: examples to copy and the exit codes to script against.

Data, not code: :mod:`policykit.cli` puts :func:`epilog` under every command's options.
Every command also exits 130 when interrupted (Ctrl-C); that is said once, in each epilog.
"""

from __future__ import annotations

# verb (or "verb action") -> (examples as (command, what it does), exit codes as (code, meaning))
HELP: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[int, str], ...]]] = {
    "policyctl": (
        (("policyctl init privacy --controller 'ACME Ltd.'", "start a project (see README: an editor's first hour)"),
         ("policyctl -C privacy validate", "every problem of the project in ./privacy"),
         ("policyctl diff", "what your uncommitted edits change, classified")),
        ((0, "done"), (1, "the policy or the request has a problem: the message says which and what to do"),
         (2, "wrong command line"))),
    "validate": (
        (("policyctl validate", "every problem, each with its source line and what to do"),
         ("policyctl -C policies/acme validate --format github", "annotations for a GitHub Actions log")),
        ((0, "no errors (warnings are allowed)"), (1, "at least one error"), (2, "wrong command line"))),
    "fmt": (
        (("policyctl fmt", "rewrite the YAML in canonical form, comments kept"),
         ("policyctl fmt --check", "change nothing; list the files fmt would change")),
        ((0, "nothing to change (or changed)"), (1, "--check found files to change, or a file is broken"),
         (2, "wrong command line"))),
    "init": (
        (("policyctl init privacy --controller 'ACME Ltd.'", "a new project in ./privacy, made a git repository"),
         ("policyctl init . --ci github --install 'policyctl==0.1.0'",
          "also a pre-commit configuration and a GitHub workflow that installs policyctl 0.1.0")),
        ((0, "created"), (1, "the folder cannot be written"),
         (2, "wrong command line, a project already there, or no way for CI to install policyctl"))),
    "diff": (
        (("policyctl diff", "the latest release against the uncommitted files, each change classified"),
         ("policyctl diff 1.0.0 2.0.0 --locale ja", "two releases, with the Japanese translation's changes"),
         ("policyctl diff main HEAD --format markdown --fail-on significant", "a pull request's gate")),
        ((0, "diffed (and --fail-on not reached)"), (1, "a version cannot be read or is invalid"),
         (2, "wrong command line"), (3, "--fail-on reached: the change is that level or higher"))),
    "import": (
        (("policyctl import ~/privacy-policy.docx --controller 'ACME Ltd.'",
          "a new project in this folder from a Word file (also .html, .md, .txt)"),
         ("policyctl import counsel-2025.docx --onto", "a new version: unchanged and edited paragraphs keep their ids"),
         ("policyctl -C acme import ~/acme-versions --history --release",
          "every dated version of a folder as one commit (and release) each")),
        ((0, "imported (warnings say what was not carried over)"),
         (1, "the file cannot be imported, or the result would be invalid: nothing was written"),
         (2, "wrong command line, or a project already there (use --onto)"))),
    "log": (
        (("policyctl log --since 2018-05-01", "every commit that touched the policy since then, with its level"),
         ("policyctl log --limit 10 --format json", "the last ten, for a script")),
        ((0, "listed"), (1, "the history cannot be read"), (2, "wrong command line"))),
    "release": (
        (("policyctl release --dry-run", "what a release of HEAD would record; nothing written"),
         ("policyctl release --effective 2027-01-04 --summary-file summary.yaml",
          "a significant release: effective after the notice period, with a summary for users")),
        ((0, "released (or shown, with --dry-run)"), (1, "refused: every reason is listed"),
         (2, "wrong command line"))),
    "erratum": (
        (("policyctl erratum 2.0.0 --locale de --by 'A. Tanaka (legal)' --reason 'German nouns were read as names' "
          "--dry-run", "what today's classifier corrects in release 2.0.0's German changes; nothing written"),),
        ((0, "the erratum is written and committed (or shown, with --dry-run)"),
         (1, "no such release, or nothing to correct"), (2, "wrong command line"))),
    "notify": (
        (("policyctl notify enqueue 2.0.0", "queue the notices of release 2.0.0 (twice adds nothing)"),
         ("policyctl notify deliver --until-empty", "deliver every due job, waiting for retries"),
         ("policyctl notify status", "job counts per state, with the dead and retrying jobs")),
        ((0, "done"), (1, "the outbox or a channel is misconfigured, or no such release or job"),
         (2, "wrong command line"))),
    "i18n": (
        (("policyctl i18n status --fail-on stale,missing", "what is stale or missing, per locale"),
         ("policyctl i18n export --locale de --only stale,missing -o de.po", "a PO file for a translator"),
         ("policyctl i18n import de.po", "check the translated file, then write locales/de/")),
        ((0, "done"), (1, "--fail-on reached, or the file to import has errors (nothing is written)"),
         (2, "wrong command line"))),
    "build": (
        (("policyctl build", "the whole site, every release and locale, into build/site"),
         ("policyctl build --locale ja --format html", "just the Japanese HTML of the work tree")),
        ((0, "built"), (1, "the policy has errors, or a page or PDF cannot be made"), (2, "wrong command line"))),
    "serve": (
        (("policyctl serve", "the site on http://127.0.0.1:8000/, rebuilt as you edit"),
         ("policyctl serve --port 0 --no-pdf", "a free port, no PDFs: faster previews")),
        ((0, "stopped"), (1, "the policy has errors"), (2, "wrong command line"))),
    "check": (
        (("policyctl check", "is everything each jurisdiction of policy.yaml requires in the policy?"),
         ("policyctl check --jurisdiction gdpr --format markdown --link-base "
          "https://github.com/ORG/REPO/blob/main/", "tables with links that work in a comment")),
        ((0, "every requirement met or waived"), (1, "a requirement is missing, or the policy cannot be read"),
         (2, "wrong command line"))),
    "cache": (
        (("policyctl cache dir",
          "the cache folders ($POLICYCTL_CACHE_DIR or $XDG_CACHE_HOME/policyctl; build/.cache/site)"),
         ("policyctl cache clear", "remove them: the next log, validate and build compute everything anew")),
        ((0, "shown (or removed)"), (1, "a folder cannot be removed"), (2, "wrong command line"))),
    "cache dir": (
        (("policyctl cache dir", "the user's cache folder, then the site cache of build/site"),),
        ((0, "shown"), (2, "wrong command line"))),
    "cache clear": (
        (("policyctl cache clear", "remove every cache folder of policyctl and of this project's build/site"),),
        ((0, "removed, or nothing to remove"), (1, "a folder cannot be removed"), (2, "wrong command line"))),
    "i18n status": (
        (("policyctl i18n status", "every locale: translated, stale and missing units, with word counts"),
         ("policyctl i18n status --locale de --fail-on stale,missing", "a CI gate for one locale")),
        ((0, "shown"), (1, "--fail-on reached"), (2, "wrong command line"))),
    "i18n export": (
        (("policyctl i18n export --locale de --only stale,missing -o de.po", "what a translator has to do"),
         ("policyctl i18n export --locale ja --format xliff --section collection -o ja.xlf",
          "one section, as XLIFF 1.2")),
        ((0, "written"), (1, "the policy cannot be read"), (2, "wrong command line"))),
    "i18n import": (
        (("policyctl i18n import de.po", "check ids, links, lists and HTML, then write locales/de/"),),
        ((0, "written"), (1, "the file has errors: nothing is written"), (2, "wrong command line"))),
    "i18n new": (
        (("policyctl i18n new fr", "locales/fr/, listed in fallback_locales until it is complete"),),
        ((0, "started"), (1, "the policy cannot be read"), (2, "wrong command line, or the locale exists"))),
    "notify enqueue": (
        (("policyctl notify enqueue 2.0.0", "queue the notices of release 2.0.0; twice adds nothing"),
         ("policyctl notify --outbox postgresql://notify@db/policy enqueue 2.0.0",
          "into the PostgreSQL outbox that delivery processes on several machines share")),
        ((0, "queued"), (1, "no such release, superseded or needing consent without urls.consent, or the "
                            "outbox or a channel is misconfigured (nothing is queued)"),
         (2, "wrong command line"))),
    "notify preview": (
        (("policyctl notify preview 2.0.0 --locale ja", "every channel's message for ja readers, unsent"),
         ("policyctl notify preview 2.0.0 --channel customers-email", "the e-mail in each of its locales")),
        ((0, "shown; nothing sent or queued"), (1, "no such release, channel or locale"),
         (2, "wrong command line"))),
    "notify deliver": (
        (("policyctl notify deliver --once", "deliver what is due now"),
         ("policyctl notify deliver --until-empty --workers 4", "keep going until no job is left")),
        ((0, "delivered, and no job is dead"), (1, "dead jobs remain (see status), or the outbox is "
                                                   "misconfigured"),
         (2, "wrong command line"))),
    "notify status": (
        (("policyctl notify status 2.0.0", "the jobs of one release, per state and per channel, with rates"),),
        ((0, "shown"), (1, "the outbox is misconfigured"), (2, "wrong command line"))),
    "notify retry": (
        (("policyctl notify retry --dead", "every dead job pending again"),),
        ((0, "retried"), (1, "no such job"), (2, "wrong command line"))),
}


def epilog(verb: str) -> str:
    """The examples and exit codes of ``verb``, as ``--help`` prints them."""
    examples, codes = HELP[verb]
    lines = ["examples:"]
    for command, what in examples:
        lines += [f"  # {what}", f"  $ {command}", ""]
    lines += ["exit codes:"]
    lines += [f"  {code:<3}  {meaning}" for code, meaning in (*codes, (130, "interrupted"))]
    return "\n".join(lines)
