"""``build --locale/--format``: which files of the one site plan a build makes.

A selection is a filter on the plan of :mod:`policykit.site.plan`, never a second
pipeline: the selected files are rendered, laid out and swapped in exactly as a
full build does it, into the same layout. ``--locale ja --format pdf`` makes
``ja/privacy-policy.pdf`` (the version in force, or the draft when nothing is
released), ``ja/<version>/privacy-policy.pdf`` for every version and the redline
PDFs under ``ja/compare/``. The files of the site in place that a selection does not
name are kept as they are (a partial build remakes only what it names).

A format selects the files whose names end in its
:attr:`~policykit.render.formats.Format.suffixes`; a locale selects the files in its
folder. The files outside every locale folder (the language chooser, ``404.html``,
``sitemap.xml``, ``versions.json``) are made only when no ``--locale`` is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from policykit.errors import UsageError

SITE_FORMATS = ("html", "pdf", "json")  # what a build without --format makes


@dataclass(frozen=True)
class Selection:
    """The files a build makes: ``locales`` (empty: all) × ``formats`` (by name in the registry)."""

    locales: tuple[str, ...] = ()
    formats: tuple[str, ...] = SITE_FORMATS

    @property
    def everything(self) -> bool:
        return not self.locales and set(self.formats) == set(SITE_FORMATS)

    @property
    def pdf(self) -> bool:
        return "pdf" in self.formats

    @property
    def docx(self) -> bool:
        return "docx" in self.formats

    def selects(self, path: str) -> bool:
        from policykit.render.formats import FORMATS

        folder, _, rest = path.partition("/")
        if self.locales and (not rest or folder not in self.locales):
            return False
        return path.endswith(tuple(s for name in self.formats for s in FORMATS[name].suffixes))

    def describe(self) -> str:
        locales = ", ".join(self.locales) if self.locales else "every locale"
        return f"{locales}; {', '.join(self.formats)}"


def parse_formats(text: str) -> tuple[str, ...]:
    """``--format html,pdf`` as registry names, each once; a usage error names the unknown one."""
    from policykit.render.formats import FORMATS
    from policykit.vocabulary import did_you_mean

    wanted = tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    for name in wanted:
        if name not in FORMATS:
            raise UsageError(f"--format: unknown format {name!r}{did_you_mean(name, FORMATS)}; "
                             f"choose from {', '.join(FORMATS)}")
    if not wanted:
        raise UsageError("--format: name at least one of " + ", ".join(FORMATS))
    return wanted


def check_locales(selection: Selection, known: Sequence[str]) -> None:
    """A usage error for a ``--locale`` the site does not build."""
    from policykit.vocabulary import did_you_mean  # a slow import: only for a selection

    for tag in selection.locales:
        if tag not in known:
            raise UsageError(f"--locale {tag}: not a locale of this policy"
                             f"{did_you_mean(tag, known, cutoff=0.5)} (it builds {', '.join(known)})")


def kept(selection: Selection, previous: Mapping[str, str] | None, stored: Callable[[str], bool]) -> dict[str, str]:
    """The ``path -> key`` of the files of the site in place (``previous``) that ``selection``
    does not name and whose objects the store still holds (``stored``): a partial build keeps them."""
    return {path: key for path, key in (previous or {}).items() if not selection.selects(path) and stored(key)}
