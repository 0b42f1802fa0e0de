from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.diagnostics import format_diagnostics, has_errors
from policykit.errors import InvalidPolicy, UsageError

if TYPE_CHECKING:
    from policykit.model import Policy


def _policy(root: Path) -> Policy:
    """The loaded policy; refuses a project with errors (warnings, e.g. stale entries, are fine)."""
    from policykit.load.project import load_project

    loaded = load_project(root, level="schema")
    if loaded.policy is None or has_errors(loaded.diagnostics):
        raise InvalidPolicy(loaded.diagnostics)
    return loaded.policy


def i18n(*, root: Path, action: str, locale: str | None = None, fmt: str = "text", fail_on: str = "",
         only: str = "", file: Path | None = None, output: Path | None = None, tag: str = "",
         sections: list[str] | None = None) -> int:
    """``i18n status|export|import|new``: the translation workflow (see docs/i18n.md)."""
    if action == "status":
        return _status(root, locale, fmt, fail_on)
    if action == "export":
        return _export(root, locale or "", fmt, only, output, sections or [])
    if action == "import":
        assert file is not None
        return _import(root, file)
    if action == "new":
        return _new(root, tag)
    raise UsageError(f"unknown i18n action {action!r}")


def _split(value: str, allowed: tuple[str, ...], option: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    wrong = [v for v in items if v not in allowed]
    if wrong:
        raise UsageError(f"{option}: {', '.join(wrong)} (choose from {', '.join(allowed)})")
    return items


def _status(root: Path, locale: str | None, fmt: str, fail_on: str) -> int:
    from policykit.i18n.exchange import check_locale
    from policykit.i18n.history import git_history
    from policykit.i18n.status import status, to_json, to_text

    states = _split(fail_on, ("stale", "missing", "diverging"), "--fail-on")
    policy = _policy(root)
    if locale:
        check_locale(policy, locale)
    result = status(policy, [locale] if locale else None, git_history(root))
    print(to_json(result) if fmt == "json" else to_text(result))
    failing = [f"{s.tag}: {state}" for s in result for state in states if s.has(state)]  # type: ignore[arg-type]
    if failing:
        print(f"i18n status: {'; '.join(failing)} (--fail-on {fail_on})", file=sys.stderr)
    return 1 if failing else 0


def _export(root: Path, locale: str, fmt: str, only: str, output: Path | None, sections: list[str]) -> int:
    from policykit.i18n.exchange import check_locale, outgoing
    from policykit.i18n.history import git_history
    from policykit.vocabulary import did_you_mean

    states = _split(only, ("stale", "missing", "translated"), "--only")
    policy = _policy(root)
    check_locale(policy, locale)
    known = [s.id for s in policy.sections]
    for sid in sections:
        if sid not in known:
            hint = did_you_mean(sid, known) or f" (the policy has {', '.join(known)})"
            raise UsageError(f"--section {sid}: no such section{hint}")
    items = outgoing(policy, locale, states, git_history(root), sections=sections)  # type: ignore[arg-type]
    if fmt == "po":
        from policykit.i18n.po import export_po

        text = export_po(policy.document, policy.source_locale, locale, items, policy.last_updated)
    else:
        from policykit.i18n.xliff import export_xliff

        text = export_xliff(policy.document, policy.source_locale, locale, items)
    if output is None:
        sys.stdout.write(text)
    else:
        (root / output).write_text(text, "utf-8")
        print(f"wrote {len(items)} entries for {locale} to {output}", file=sys.stderr)
    return 0


def _import(root: Path, file: Path) -> int:
    from policykit.i18n.exchange import apply
    from policykit.i18n.po import read_po
    from policykit.i18n.xliff import read_xliff
    from policykit.yamllimits import decode

    path = file if file.is_absolute() else root / file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{file}: {exc.strerror}") from None
    name = str(file)
    if file.suffix.lower() in (".xlf", ".xliff"):
        exchange = read_xliff(data, name)
    elif file.suffix.lower() in (".po", ".pot"):
        exchange = read_po(decode(data, name), name)
    else:
        raise UsageError(f"{file}: import reads .po, .xlf or .xliff files")
    policy = _policy(root)
    try:
        result = apply(root, policy, exchange)
    except InvalidPolicy as exc:
        from policykit.validate import project_text

        # The file's positions name it as given on the command line; the project's, from -C DIR.
        print(format_diagnostics(exc.diagnostics, source=project_text(root, also=Path.cwd())), file=sys.stderr)
        print(f"{len(exc.diagnostics)} problem(s); nothing was written", file=sys.stderr)
        return 1
    print(f"{result.tag}: {len(result.updated)} updated, {result.unchanged} unchanged, "
          f"{result.unconfirmed} not confirmed (fuzzy or needs review; left as they were), "
          f"{result.empty} without a translation")
    if result.older_source:
        print(f"{len(result.older_source)} translated from a source that has changed since; they stay stale: "
              f"{', '.join(result.older_source)}")
    for rel in result.written:
        print(f"wrote {rel}")
    return 0


def _new(root: Path, tag: str) -> int:
    from policykit.i18n.scaffold import new_locale

    policy = _policy(root)
    done = new_locale(root, policy, tag)
    for rel in done.files:
        print(f"created {rel}")
    if done.registered:
        print(f"registered {tag} in policy/policy.yaml `fallback_locales` (not published; move it to `locales` "
              f"when `policyctl i18n status --locale {tag} --fail-on stale,missing` passes)")
    try:
        from policykit.render.chrome import catalog_tags
    except ImportError:
        return 0
    if not any(t in catalog_tags() for t in (tag, tag.split("-")[0])):
        print(f"note: the page chrome has no {tag} catalog yet (src/policykit/render/messages/{tag}.po); "
              "it shows in English until one is added", file=sys.stderr)
    return 0
