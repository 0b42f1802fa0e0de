"""The controlling-language notice: on a translated page, which version prevails.

``policy/policy.yaml`` names the ``authoritative_locale``. Every other locale's page
says, in its own language, that the authoritative version prevails, and links it.
The sentences are data (``notices.yaml``); the language name comes from CLDR.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from policykit.model import Policy
from policykit.templating import package_data


@dataclass(frozen=True)
class ControllingNotice:
    text: str
    lang: str  # the language the text is written in (the page's, or "en" when there is no sentence for it)
    authoritative: str  # the locale that prevails
    href: str | None  # where the authoritative version is, when the caller knows


@package_data
def _sentences() -> Mapping[str, str]:
    """The notice sentence per locale; read-only, since every caller shares the cached one."""
    from policykit import yamlio

    data = resources.files("policykit.i18n").joinpath("notices.yaml").read_bytes()
    raw = yamlio.parse(data, "policykit/i18n/notices.yaml")
    return MappingProxyType({str(k): str(v) for k, v in raw.items()})


def _chain(tag: str) -> list[str]:
    parts = tag.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def controlling_notice(policy: Policy, tag: str, href: str | None = None) -> ControllingNotice | None:
    """The notice for ``tag``'s page, or None on the authoritative locale's own page."""
    return notice_for(tag, policy.authoritative_locale or policy.source_locale, href)


def notice_for(tag: str, authoritative: str, href: str | None = None) -> ControllingNotice | None:
    """The notice on a page in ``tag`` when ``authoritative`` prevails (None on that locale's own page)."""
    from babel import Locale

    if tag == authoritative:
        return None
    sentences = _sentences()
    lang = next((t for t in _chain(tag) if t in sentences), "en")
    name = Locale.parse(authoritative, sep="-").get_display_name(Locale.parse(lang, sep="-")) or authoritative
    return ControllingNotice(sentences[lang].format(language=name), lang, authoritative, href)


def languages_without_notice(policy: Policy) -> list[str]:
    """Configured locales whose pages would show the notice in English (no sentence in ``notices.yaml``)."""
    sentences = _sentences()
    authoritative = policy.authoritative_locale or policy.source_locale
    return [t for t in policy.all_locales if t != authoritative and not any(c in sentences for c in _chain(t))]
