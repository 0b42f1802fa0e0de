"""``i18n new TAG``: start a locale and register it, unpublished, in ``policy/policy.yaml``.

The locale is added to ``fallback_locales`` (built, every untranslated unit falling
back to the source and marked), never to ``locales`` (published): moving it there
is a person's decision once ``i18n status --fail-on missing`` passes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from policykit import files, yamlio, yamllimits
from policykit.errors import UsageError
from policykit.model import Policy

POLICY_FILE = "policy/policy.yaml"


@dataclass(frozen=True)
class Scaffolded:
    tag: str
    files: tuple[str, ...]  # created, relative to the project
    registered: bool  # added to fallback_locales (False when it was already configured)


def _write_new(root: Path, rel: str, text: str) -> bool:
    if os.path.lexists(root / rel):
        return False
    files.write(root, rel, text.encode("utf-8"))
    return True


def new_locale(root: Path, policy: Policy, tag: str) -> Scaffolded:
    """Create ``locales/<tag>/`` (document, one file per section, glossary) and register the tag."""
    from policykit.load import valid_locale_tag

    problem = valid_locale_tag(tag)
    if problem:
        raise UsageError(problem)
    if tag == policy.source_locale:
        raise UsageError(f"{tag!r} is the source locale")
    if tag in policy.locales:
        raise UsageError(f"locale {tag!r} is already published (in `locales` of {POLICY_FILE})")
    folder = f"locales/{tag}"
    files = {
        f"{folder}/policy.yaml": (f"# Translation of the document metadata ({POLICY_FILE}) into {tag}.\n"
                                  "# Fill it with `policyctl i18n export` / `import`, or by hand.\n"
                                  f"locale: {tag}\n"),
        f"{folder}/glossary.yaml": (f"# Terms the {tag} translation uses consistently (see docs/i18n.md).\n"
                                    f"locale: {tag}\nterms: []\n"),
    }
    for section in policy.sections:
        files[f"{folder}/{section.id}.yaml"] = (f"# Translation of section {section.id!r} "
                                                f"({section.file}) into {tag}.\nsection: {section.id}\n")
    created = tuple(rel for rel, text in files.items() if _write_new(root, rel, text))
    registered = tag not in policy.fallback_locales
    if registered:
        _register(root, tag)
    return Scaffolded(tag, created, registered)


def _register(root: Path, tag: str) -> None:
    raw = files.read(root, POLICY_FILE)
    if raw is None:
        raise UsageError(f"{POLICY_FILE} not found")
    data = yamlio.load_roundtrip(yamllimits.decode(raw, POLICY_FILE), POLICY_FILE)
    fallback = data.get("fallback_locales")
    if yamlio.is_sequence(fallback):
        fallback.append(tag)
    else:
        keys = list(data)
        index = keys.index("locales") + 1 if "locales" in keys else len(keys)
        data.insert(index, "fallback_locales", [tag])
    files.write(root, POLICY_FILE, yamlio.dump_roundtrip(data).encode("utf-8"))
