from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from string import Template

from policykit.errors import UsageError


def init(*, root: Path, directory: Path, document: str, title: str, controller: str, locale: str) -> int:
    """Scaffold a minimal, valid policy project in ``directory`` (relative to ``root``)."""
    from policykit.load import valid_locale_tag
    from policykit.vocabulary import ID_RE

    target = root / directory
    if not ID_RE.match(document):
        raise UsageError(f"--document {document!r} is not an id (lower-case letters, digits, hyphens)")
    problem = valid_locale_tag(locale)
    if problem:
        raise UsageError(f"--locale: {problem}")
    if (target / "policy" / "policy.yaml").exists():
        raise UsageError(f"{target / 'policy' / 'policy.yaml'} already exists; not overwriting it")
    # JSON strings are valid YAML scalars, so any title or name is quoted safely.
    values = {"document": document, "locale": locale, "title": json.dumps(title, ensure_ascii=False),
              "controller": json.dumps(controller, ensure_ascii=False)}
    scaffold = resources.files("policykit").joinpath("scaffold")
    files = {
        "policy/policy.yaml": Template(scaffold.joinpath("policy/policy.yaml").read_text("utf-8")).substitute(values),
        "policy/sections/introduction.yaml": Template(
            scaffold.joinpath("policy/sections/introduction.yaml").read_text("utf-8")
        ).substitute(values | {"controller": controller}),
        "policy/sections/contact.yaml": scaffold.joinpath("policy/sections/contact.yaml").read_text("utf-8"),
        ".gitignore": scaffold.joinpath("gitignore").read_text("utf-8"),
        "locales/.gitkeep": "",
        "changelog/.gitkeep": "",
    }
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(text, "utf-8")
    print(f"created a policy project in {target}; next: policyctl -C {target} validate")
    return 0
