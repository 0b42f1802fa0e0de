"""Templates and their words: the only module that imports jinja2 (and reads gettext catalogs).

Every page template (the policy, the site's own pages, notification e-mails) is
loaded here, autoescaped, with undefined names an error. Catalogs are ``.po``
files read with Babel at run time and compiled in memory, so no ``.mo`` file is
ever committed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from policykit.errors import RenderError

if TYPE_CHECKING:
    from babel.support import NullTranslations
    from jinja2 import BytecodeCache, Environment

P = ParamSpec("P")
T = TypeVar("T")

# What was read from the package's own templates, stylesheets, catalogs and data: kept for the
# life of a process, forgotten when a developer edits one while `policyctl serve` runs.
_FORGET: list[Callable[[], None]] = []


def package_data(fn: Callable[P, T]) -> Callable[P, T]:
    """``functools.cache`` for a function of the package's own files, which
    :func:`forget_package_data` clears."""
    cached = cache(fn)
    _FORGET.append(cached.cache_clear)
    return cast("Callable[P, T]", cached)


def when_package_data_changes(clear: Callable[[], None]) -> None:
    """Call ``clear`` in :func:`forget_package_data` (for a cache of things made from those files)."""
    _FORGET.append(clear)


def forget_package_data() -> None:
    """Forget everything read from the package's files, and everything made from it, in this process."""
    for clear in _FORGET:
        clear()


def read_catalog(package: str, folder: str, tag: str) -> NullTranslations | None:
    """The catalog ``<package>/<folder>/<tag>.po`` as translations, or None when there is none."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po
    from babel.support import Translations

    resource = resources.files(package).joinpath(folder, f"{tag}.po")
    if not resource.is_file():
        return None
    with resource.open("rb") as fp:
        try:
            catalog = read_po(fp, locale=tag.replace("-", "_"), abort_invalid=True)
        except PoFileError as exc:
            raise RenderError(f"{package.rsplit('.', 1)[-1]}/{folder}/{tag}.po: {exc}") from None
    # Babel's Translations reads the binary form; compile it in memory.
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


def catalog_chain(package: str, folder: str, tag: str) -> list[NullTranslations]:
    """The catalogs for ``tag`` and its parents (``pt-BR``, then ``pt``) that exist, most specific first."""
    parts = tag.split("-")
    return [c for n in range(len(parts), 0, -1) if (c := read_catalog(package, folder, "-".join(parts[:n])))]


def chained(catalogs: list[NullTranslations], last: NullTranslations | None = None) -> NullTranslations:
    """One translations object that falls back through ``catalogs``, then ``last``, then the English ids."""
    from babel.support import NullTranslations

    chain = [*catalogs, *([last] if last is not None else [])]
    if not chain:
        return NullTranslations()
    first = chain[0]
    for more in chain[1:]:
        first.add_fallback(more)
    return first


@cache
def _bytecode_cache() -> BytecodeCache:
    """Compiled templates shared by every environment of this process.

    Safe because environments differ only in their installed translations,
    which are looked up at render time; compiling is the slow part.
    """
    from jinja2 import BytecodeCache
    from jinja2.bccache import Bucket

    class MemoryBytecodeCache(BytecodeCache):
        def __init__(self) -> None:
            self.code: dict[str, bytes] = {}

        def load_bytecode(self, bucket: Bucket) -> None:
            if bucket.key in self.code:
                bucket.bytecode_from_string(self.code[bucket.key])

        def dump_bytecode(self, bucket: Bucket) -> None:
            self.code[bucket.key] = bucket.bytecode_to_string()

    return MemoryBytecodeCache()


def gettext_functions(translations: NullTranslations) -> dict[str, Any]:
    """``gettext``, ``ngettext``, ``pgettext`` and ``npgettext`` of ``translations`` as template variables.

    Passed to ``render``, they take the place of the installed ones (a ``{% trans %}``, and
    ``_()``, look ``gettext`` up in the render context first), so one environment made with
    ``NullTranslations()``, and its template compiled once, serves every locale. They are the
    functions ``install_gettext_translations(translations, newstyle=True)`` would install.
    """
    from jinja2.ext import _make_new_gettext, _make_new_ngettext, _make_new_npgettext, _make_new_pgettext

    # As jinja2's InternationalizationExtension._install picks them.
    gettext = getattr(translations, "ugettext", None) or translations.gettext
    ngettext = getattr(translations, "ungettext", None) or translations.ngettext
    return {"gettext": _make_new_gettext(gettext),
            "ngettext": _make_new_ngettext(ngettext),
            "pgettext": _make_new_pgettext(translations.pgettext),  # type: ignore[arg-type]  # Babel: "str | object"
            "npgettext": _make_new_npgettext(translations.npgettext)}


def environment(package: str, translations: NullTranslations | None = None, *, html_only: tuple[str, ...] = (),
                i18n: bool = False, overrides: str | None = None, **options: Any) -> Environment:
    """An environment for the templates in ``<package>/templates``.

    Autoescape is on for every template, or only for names ending in ``html_only`` (so plain-text
    e-mail bodies are not escaped); ``translations`` installs gettext for ``{% trans %}``.
    ``i18n`` without ``translations`` installs the English message ids, for a template that
    gets its locale's words at render time (:func:`gettext_functions`). ``overrides`` is a
    folder whose templates take the place of the package's of the same name (a theme's
    ``custom_dir``, as in MkDocs); the others still come from the package.
    """
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape

    if i18n and translations is None:
        translations = chained([])

    autoescape = (select_autoescape(list(html_only)) if html_only
                  else select_autoescape(default=True, default_for_string=True))
    loader: Any = PackageLoader(package, "templates")
    if overrides is not None:
        loader = ChoiceLoader([FileSystemLoader(overrides), loader])
    env = Environment(loader=loader, bytecode_cache=_bytecode_cache(),
                      autoescape=autoescape, undefined=StrictUndefined, keep_trailing_newline=True,
                      extensions=["jinja2.ext.i18n"] if translations is not None else [], **options)
    if translations is not None:
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env
