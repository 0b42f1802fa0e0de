"""Branding the site, as MkDocs' ``custom_dir``: a project folder of template and stylesheet
overrides, and a logo.

``site.yaml`` at the project's root (beside ``policy/``; not part of any release)::

    theme:
      custom_dir: theme        # templates named as in policykit/site/templates, and site.css
      logo: theme/logo.svg     # shown at the top of every page (svg, png, jpeg or webp)

A template in ``custom_dir`` replaces the shipped one of the same name (``base.html``,
``nav.html``, ``compare.html``, ``policy_notice.html`` …; ``{% extends %}`` and
``{% include %}`` find the others in the package). ``site.css`` there replaces the
site's stylesheet; ``extra.css`` is added after it on every page, policy pages included.
The logo is inlined (pages load nothing from elsewhere). Every file of the theme is part
of each page's cache key: editing one re-renders what shows it. Without ``site.yaml``
the shipped theme is used, the one the tests check.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy

CONFIG = "site.yaml"
_LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".webp": "image/webp"}
_LOGO_MAX = 256 * 1024


@dataclass(frozen=True)
class Theme:
    """A project's theme: where its overrides are, and the hash of each file (what keys depend on)."""

    folder: str | None = field(default=None, metadata={"key": False})  # absolute; None: no overrides
    files: tuple[tuple[str, str], ...] = ()  # (name in the folder, sha256) of every file
    logo: str = field(default="", metadata={"key": False})  # a data: URL, or "" (keys use logo_sha)
    logo_alt: str = ""
    logo_sha: str = ""

    def file(self, name: str) -> str | None:
        """The text of override ``name`` (``site.css``, ``extra.css``), or None."""
        if self.folder is None or name not in dict(self.files):
            return None
        text = (Path(self.folder) / name).read_text("utf-8")
        if "</" in text:
            raise InvalidPolicy([error(Pos(name, 1, 1), "a stylesheet must not contain '</'", "theme.css")])
        return text


def load_theme(root: Path) -> Theme | None:
    """The theme of ``site.yaml`` at ``root``; None without one. :class:`InvalidPolicy`, with
    ``file:line:col``, for an unknown key, a missing folder or file, or a logo that is not an image."""
    from policykit import yamlio

    path = root / CONFIG
    if not path.is_file():
        return None
    raw = yamlio.parse(path.read_bytes(), CONFIG)
    problems: list[Diagnostic] = []
    if not isinstance(raw, yamlio.LMap):
        raise InvalidPolicy([error(Pos(CONFIG, 1, 1), "site.yaml is a mapping with `theme:`", "theme.schema")])
    for key in raw:
        if key != "theme":
            problems.append(error(raw.key_pos[key], f"unknown key {key!r} in site.yaml (theme)", "theme.schema"))
    theme = raw.get("theme") or yamlio.new_map()
    if not isinstance(theme, yamlio.LMap):
        raise InvalidPolicy([*problems, error(raw.where("theme"), "theme is a mapping (custom_dir, logo, logo_alt)",
                                              "theme.schema")])
    for key in theme:
        if key not in ("custom_dir", "logo", "logo_alt"):
            problems.append(error(theme.key_pos[key], f"unknown key {key!r} in theme (custom_dir, logo, logo_alt)",
                                  "theme.schema"))
    folder, files = _folder(root, theme, problems)
    logo = _logo(root, theme, problems)
    if problems:
        raise InvalidPolicy(problems)
    return Theme(folder, files, logo, str(theme.get("logo_alt") or ""), hashlib.sha256(logo.encode()).hexdigest())


def stylesheet(theme: Theme | None, shipped: str) -> str:
    """The site's stylesheet under ``theme``: its ``site.css`` instead of the shipped one, then its ``extra.css``."""
    if theme is None:
        return shipped
    return (theme.file("site.css") or shipped) + ("\n" + extra if (extra := theme.file("extra.css")) else "")


def _inside(root: Path, value: object, theme: object, key: str, problems: list[Diagnostic]) -> Path | None:
    where = theme.where(key)  # type: ignore[attr-defined]
    if not isinstance(value, str) or not value or Path(value).is_absolute() or ".." in Path(value).parts:
        problems.append(error(where, f"{key} must be a path inside the project", "theme.path"))
        return None
    return root / value


def _folder(root: Path, theme: object, problems: list[Diagnostic]) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    value = theme.get("custom_dir")  # type: ignore[attr-defined]
    if value is None:
        return None, ()
    folder = _inside(root, value, theme, "custom_dir", problems)
    if folder is None:
        return None, ()
    if not folder.is_dir():
        problems.append(error(theme.where("custom_dir"), f"custom_dir {value}: no such folder",  # type: ignore[attr-defined]
                              "theme.path"))
        return None, ()
    files = tuple((p.relative_to(folder).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
                  for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink())
    return str(folder.resolve()), files


def _logo(root: Path, theme: object, problems: list[Diagnostic]) -> str:
    value = theme.get("logo")  # type: ignore[attr-defined]
    if value is None:
        return ""
    path = _inside(root, value, theme, "logo", problems)
    kind = _LOGO_TYPES.get(path.suffix.lower()) if path is not None else None
    where = theme.where("logo")  # type: ignore[attr-defined]
    if path is None:
        return ""
    if kind is None:
        problems.append(error(where, f"logo {value}: not an image this site can inline ({', '.join(_LOGO_TYPES)})",
                              "theme.logo"))
    elif not path.is_file():
        problems.append(error(where, f"logo {value}: no such file", "theme.logo"))
    elif path.stat().st_size > _LOGO_MAX:
        problems.append(error(where, f"logo {value}: larger than {_LOGO_MAX // 1024} KiB (it is inlined in every page)",
                              "theme.logo"))
    else:
        return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
    return ""
