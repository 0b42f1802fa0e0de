"""Is there a font for every character a PDF will show? Fail loudly when not.

WeasyPrint (Pango) falls back to any installed font that has a glyph and draws an
empty box when none has; a policy with boxes for words must never be published.
So before a PDF is made, every character of its page is checked against the
union of what the installed fonts cover, as fontconfig (the same library Pango
asks) reports it through ``fc-list``.
"""

from __future__ import annotations

import bisect
import os
import shutil
import subprocess
import unicodedata
from functools import cache
from html.parser import HTMLParser

from policykit.errors import RenderError

# Which Debian package brings a font for a language: part of the message, not a rule.
# Keep it in step with system-packages.txt.
FONT_PACKAGES = {
    "ja": "fonts-ipaexfont",
    "zh": "fonts-noto-cjk",
    "ko": "fonts-noto-cjk",
}
DEFAULT_PACKAGE = "fonts-noto-core"
SHOWN = 12  # characters named in the message


class _TextOf(HTMLParser):
    """The characters a page shows: its text, not its markup, style or script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chars: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chars.update(data)


def visible_chars(html: str) -> set[str]:
    """Every character that needs a glyph: the page's text, without spaces and controls."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return {c for c in parser.chars if unicodedata.category(c) not in ("Cc", "Cf", "Zs", "Zl", "Zp")}


@cache
def _coverage(fontconfig_env: tuple[str | None, ...]) -> tuple[list[int], list[int]]:
    """Merged code point ranges (starts, ends) that some installed font covers."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise RenderError("cannot check fonts: `fc-list` is not installed "
                          "(Debian/Ubuntu: `apt-get install fontconfig`, or `make setup`)")
    out = subprocess.run([fc_list, "--format", "%{charset}\n"], check=True, capture_output=True,
                         text=True).stdout
    ranges: list[tuple[int, int]] = []
    for part in out.split():
        first, _, last = part.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    ranges.sort()
    starts: list[int] = []
    ends: list[int] = []
    for lo, hi in ranges:
        if ends and lo <= ends[-1] + 1:
            ends[-1] = max(ends[-1], hi)
        else:
            starts.append(lo)
            ends.append(hi)
    return starts, ends


def missing_glyphs(chars: set[str]) -> list[str]:
    """The characters no installed font has a glyph for, sorted."""
    env = tuple(os.environ.get(k) for k in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT"))
    starts, ends = _coverage(env)
    missing = []
    for char in chars:
        cp = ord(char)
        i = bisect.bisect_right(starts, cp) - 1
        if i < 0 or cp > ends[i]:
            missing.append(char)
    return sorted(missing)


def check_fonts(html: str, locale: str) -> None:
    """Raise :class:`RenderError` naming the locale, the characters and the fix when
    some character of ``html`` has no glyph in any installed font."""
    missing = missing_glyphs(visible_chars(html))
    if not missing:
        return
    shown = ", ".join(f"{c} (U+{ord(c):04X} {unicodedata.name(c, '?')})" for c in missing[:SHOWN])
    more = f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
    package = FONT_PACKAGES.get(locale.split("-")[0], DEFAULT_PACKAGE)
    raise RenderError(
        f"locale {locale}: no installed font has a glyph for {len(missing)} character(s): "
        f"{shown}{more}. The PDF would show empty boxes, so it was not built. "
        f"Install a font that covers them (Debian/Ubuntu: `sudo apt-get install {package}`; "
        f"`make setup` installs the fonts listed in system-packages.txt) and build again."
    )
