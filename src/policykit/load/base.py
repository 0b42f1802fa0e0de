"""What every part of the loader shares: the project's layout, where files come from, and the
checked reading of YAML values (required and unknown keys, types, ids, locale tags), each
problem collected as a diagnostic with its ``file:line:col``."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Protocol

from policykit import schema, yamlio
from policykit.diagnostics import Diagnostic, Pos, error, warning
from policykit.errors import InvalidPolicy
from policykit.vocabulary import ID_RE, close_match

POLICY_FILE = "policy/policy.yaml"
SECTIONS_DIR = "policy/sections"
LOCALES_DIR = "locales"
# A BCP 47 shape check that runs before Babel and before a tag becomes a path.
LOCALE_TAG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


class ProjectFiles(Protocol):
    """Where a project's files come from: the work tree or a git tree."""

    label: str

    def read(self, path: str) -> bytes | None:
        """The bytes at ``path`` (relative, with ``/``), or None when there is no such file.

        Raises :class:`InvalidPolicy` for a file that must not be read (see :mod:`policykit.files`)."""

    def listdir(self, path: str) -> list[str]:
        """Names of the entries in folder ``path``, sorted; empty when there is none."""


def valid_locale_tag(tag: str) -> str | None:
    """Why ``tag`` is not a usable BCP 47 locale tag, or None when it is."""
    if not isinstance(tag, str) or not LOCALE_TAG_RE.match(tag):
        near = suggest_locale(tag) if isinstance(tag, str) else None
        hint = f" (did you mean {near!r}?)" if near else ""
        return f"{tag!r} is not a BCP 47 locale tag (like en, ja, pt-BR, zh-Hans){hint}"
    problem = _babel_tag_problem(tag)
    if problem is None:
        return None
    near = suggest_locale(tag)
    return problem + (f" (did you mean {near!r}?)" if near else "")


# This module's lru_caches and load.policy's built sections: `diff` 4.38 CPU s without, 4.07 s with
# (docs/architecture.md, "Caches").
@lru_cache(maxsize=256)
def suggest_locale(tag: str) -> str | None:
    """The locale tag ``tag`` probably means, or None: ``en_US`` → en-US, ``iw`` → he (CLDR's
    language aliases), ``jp`` → ja (a country code written for its official language)."""
    from babel.core import get_global
    from babel.languages import get_official_languages

    parts = tag.replace("_", "-").split("-")
    language = parts[0].lower()
    alias = get_global("language_aliases").get(language)
    if alias and "_" not in alias:
        language = alias
    elif _babel_tag_problem(language) is not None and len(language) == 2:
        official = get_official_languages(language.upper())
        if official:
            language = official[0]
    rest = [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p for p in parts[1:]]
    near = "-".join([language, *rest])
    if near == tag or not LOCALE_TAG_RE.match(near) or _babel_tag_problem(near) is not None:
        return None
    return near


@lru_cache(maxsize=1024)
def _babel_tag_problem(tag: str) -> str | None:
    # Asking CLDR loads the locale's data: once per tag and process, not once per version
    # loaded (a site build or a log loads every version with every locale).
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError) as exc:
        return f"{tag!r} is not a locale Babel (CLDR) knows: {exc}"
    return None



class ReaderBase:
    """One reading of a project (or of one file): its source and the diagnostics found so far."""

    def __init__(self, source: ProjectFiles) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.unreadable: list[str] = []  # files that exist but could not be used
        self.refused: set[str] = set()  # files there but not read (reported): not "missing"

    def read(self, path: str) -> bytes | None:
        """The bytes at ``path``; None when missing, or refused (a link out of the project, a FIFO,
        too large: the reason is then a diagnostic)."""
        try:
            return self.source.read(path)
        except InvalidPolicy as exc:
            self.diagnostics.extend(exc.diagnostics)
            self.refused.add(path)
            self.unreadable.append(path)  # what depends on it waits, as for a file that fails to parse
            return None

    def parse(self, path: str) -> Any | None:
        data = self.read(path)
        return None if data is None else self.parse_bytes(data, path)

    def parse_bytes(self, data: bytes, path: str) -> Any | None:
        try:
            return yamlio.parse(data, path)
        except InvalidPolicy as exc:
            self.diagnostics.extend(exc.diagnostics)
            self.unreadable.append(path)
            return None

    def built(self, path: str, sid: str, kind: str) -> tuple[bool, Any]:
        """``(found, model)`` of a section file or of its translation (see the loader's Reader)."""
        raise NotImplementedError

    def mapping(self, value: Any, pos: Pos, what: str) -> yamlio.LMap | None:
        if isinstance(value, yamlio.LMap):
            return value
        self.diagnostics.append(error(pos, f"{what} must be a mapping (key: value lines)", "schema.type"))
        return None

    def keys(self, m: yamlio.LMap, spec: dict[str, schema.Key], what: str, extra: tuple[str, ...] = (),
             required_extra: tuple[str, ...] = ()) -> set[str]:
        """Required keys, unknown keys and types of ``m`` against ``spec``.

        A misspelt required key is one error, at the misspelling ("did you mean"), not a
        warning for the unknown key and an error for the missing one. Returns the required
        keys (of ``spec`` or ``required_extra``) so reported, for the caller's own checks.
        """
        allowed = [*spec, *extra]
        needed = [k for k in [*(k for k, v in spec.items() if v.required), *required_extra] if k not in m]
        misspelt: set[str] = set()
        for key in m:
            if key in allowed:
                continue
            near = close_match(str(key), allowed)
            if near in needed and near not in misspelt:
                misspelt.add(near)
                self.diagnostics.append(error(m.key_pos[key], f"unknown key {key!r} in {what}", "schema.unknown-key",
                                              hint=f"did you mean {near!r}? {what} needs it", length=len(str(key))))
            else:
                self.diagnostics.append(warning(m.key_pos[key], f"unknown key {key!r} in {what}; it is ignored",
                                                "schema.unknown-key", length=len(str(key)),
                                                hint=f"did you mean {near!r}?" if near else
                                                f"{what} takes: {', '.join(allowed)}"))
        for key, k in spec.items():
            if key not in m:
                if k.required and key not in misspelt:
                    self.diagnostics.append(
                        error(m.pos, f"{what} needs {key!r} ({k.type_name or 'a value'})", "schema.required")
                    )
                continue
            value = m[key]
            ok = isinstance(value, k.type) and not (k.type is not bool and isinstance(value, bool))
            if k.type is str and isinstance(value, str) and not value.strip() and k.required:
                self.diagnostics.append(error(m.where(key), f"{key!r} in {what} is empty", "schema.empty"))
            if not ok:
                self.diagnostics.append(
                    error(
                        m.where(key),
                        f"{key!r} in {what} must be {k.type_name or k.type}, not {_describe(value)}",
                        "schema.type",
                    )
                )
        return misspelt

    def get(self, m: yamlio.LMap, key: str, spec: dict[str, schema.Key], default: Any = None) -> Any:
        """``m[key]`` if it has the type ``spec`` says, else ``default`` (the problem is already reported)."""
        value = m.get(key, default)
        k = spec[key]
        if value is default or (isinstance(value, k.type) and not (k.type is not bool and isinstance(value, bool))):
            return value
        return default

    def id_value(self, value: Any, pos: Pos, what: str) -> str | None:
        if isinstance(value, str) and ID_RE.match(value):
            return value
        self.diagnostics.append(
            error(
                pos,
                f"{what} {value!r} is not a valid id: use lower-case letters, digits and single "
                "hyphens, like `data-categories`",
                "ids.malformed",
            )
        )
        return None

    def strings(self, seq: Any, what: str) -> list[tuple[str, Pos]]:
        if not isinstance(seq, yamlio.LSeq):
            return []
        out = []
        for value, pos in zip(seq, seq.item_pos, strict=True):
            if isinstance(value, str):
                out.append((value, pos))
            else:
                self.diagnostics.append(
                    error(pos, f"each of {what} must be text, not {_describe(value)}", "schema.type")
                )
        return out

    def check_locale(self, tag: str, pos: Pos) -> bool:
        problem = valid_locale_tag(tag)
        if problem:
            self.diagnostics.append(error(pos, problem, "locale.tag"))
        return problem is None


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"
