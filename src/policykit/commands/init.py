from __future__ import annotations

from pathlib import Path

from policykit.errors import UsageError


def init(*, root: Path, directory: Path, document: str, title: str, controller: str, locale: str,
         ci: str | None = None, install: str | None = None, git: bool = True) -> int:
    """Start a policy project in ``directory`` (relative to ``root``): files, git, pre-commit, CI."""
    from policykit.load import valid_locale_tag
    from policykit.newproject import PRE_COMMIT, WORKFLOW, create, install_line
    from policykit.vocabulary import ID_RE

    target = root / directory
    if not ID_RE.match(document):
        raise UsageError(f"--document {document!r} is not an id (lower-case letters, digits, hyphens)")
    problem = valid_locale_tag(locale)
    if problem:
        raise UsageError(f"--locale: {problem}")
    if (target / "policy" / "policy.yaml").exists():
        raise UsageError(f"{target / 'policy' / 'policy.yaml'} already exists; not overwriting it")
    if install and ci is None:
        raise UsageError("--install says how CI installs policyctl: use it with --ci github")
    how = install_line(install) if ci else None
    made = create(target, document=document, title=title, controller=controller, locale=locale, ci=ci,
                  install=how, git=git)
    print(f"created a policy project in {target}")
    if made.git_initialised:
        print(f"  git: a new repository in {made.git_top}")
    elif made.git_top is not None:
        print(f"  git: inside the repository at {made.git_top} (no new one made)")
    for name in made.written:
        if name in (PRE_COMMIT, WORKFLOW):
            print(f"  wrote {name}")
    for name in made.kept:
        hint = " (add the hooks of `policyctl init --help` to it)" if name == PRE_COMMIT else ""
        print(f"  kept {name}: it exists{hint}")
    for note in made.notes:
        print(f"  note: {note}")
    print(f"next: policyctl -C {target} validate, then commit (`git add -A && git commit`)")
    return 0
