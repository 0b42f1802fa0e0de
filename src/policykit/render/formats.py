"""The output formats of ``policyctl build``: a Protocol and the one registry.

Adding a format is one class with ``name``, ``filename``, ``suffixes`` and
``render`` and one line in :data:`FORMATS`. Each renders one (policy version,
locale) to bytes and imports its heavy library only when called, so a worker
process can hold any of them. The site plans a ``policy-<name>`` file per version
and locale for each format (:mod:`policykit.site.plan`), the workers render it
through this registry (:mod:`policykit.site.workers`), and ``build --format``
selects the site's files by :attr:`Format.suffixes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from policykit.localise import LocalisedPolicy
from policykit.render.html import Links


class Format(Protocol):
    @property
    def name(self) -> str:
        """The name ``--format`` takes."""

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The endings of the site's files that ``--format <name>`` selects."""

    def filename(self, document: str) -> str:
        """The file's name inside ``<locale>/``."""

    def render(self, localised: LocalisedPolicy, *, links: Links) -> bytes:
        """The file's bytes; the same input always gives the same bytes."""


@dataclass(frozen=True)
class Html:
    name: str = "html"
    suffixes: tuple[str, ...] = (".html", ".xml", ".atom")  # the web pages and what points readers at them

    def filename(self, document: str) -> str:
        return "index.html"

    def render(self, localised: LocalisedPolicy, *, links: Links) -> bytes:
        from policykit.render.html import render_html

        return render_html(localised, links=links).encode("utf-8")


@dataclass(frozen=True)
class Pdf:
    name: str = "pdf"
    suffixes: tuple[str, ...] = (".pdf",)

    def filename(self, document: str) -> str:
        return f"{document}.pdf"

    def render(self, localised: LocalisedPolicy, *, links: Links) -> bytes:
        from policykit.render.pdf import render_pdf

        return render_pdf(localised)


@dataclass(frozen=True)
class Json:
    name: str = "json"
    suffixes: tuple[str, ...] = (".json",)

    def filename(self, document: str) -> str:
        return f"{document}.json"

    def render(self, localised: LocalisedPolicy, *, links: Links) -> bytes:
        from policykit.render.json import render_json_text

        return render_json_text(localised).encode("utf-8")


@dataclass(frozen=True)
class Docx:
    name: str = "docx"
    suffixes: tuple[str, ...] = (".docx",)

    def filename(self, document: str) -> str:
        return f"{document}.docx"

    def render(self, localised: LocalisedPolicy, *, links: Links) -> bytes:
        from policykit.render.docx import render_docx

        return render_docx(localised)


FORMATS: dict[str, Format] = {f.name: f for f in (Html(), Pdf(), Json(), Docx())}
