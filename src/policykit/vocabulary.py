"""The fact vocabulary (``data/facts.yaml``) and the value types it uses.

The vocabulary is data: adding a fact kind or an attribute is a YAML edit.
This module knows how to check a value against a type and how to read the
typed values (ISO 8601 durations) that rules compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DURATION_RE = re.compile(
    r"^P(?!$)(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_HOST_RE = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$|^localhost$")


@dataclass(frozen=True)
class Attribute:
    name: str
    type: str
    required: bool = False
    list: bool = False
    values: tuple[str, ...] = ()
    title: str = ""  # the column heading readers see
    show: bool = True  # published (False: a taxonomy key, for the tool only)
    phrases: dict[str, str] = field(default_factory=dict)  # value -> the words readers see

    def phrase_key(self, kind: str, value: object) -> str:
        """The vocabulary unit of one value: ``transfers.mechanism.adequacy``."""
        return f"{kind}.{self.name}.{value_name(value)}"


@dataclass(frozen=True)
class FactKind:
    name: str
    attributes: dict[str, Attribute]
    caption: str = ""  # the published table's caption
    label: str = ""  # the heading of its label column

    def shown(self) -> list[Attribute]:
        """The attributes readers see, in vocabulary order."""
        return [a for a in self.attributes.values() if a.show]


def value_name(value: object) -> str:
    """How a value is named in the vocabulary: booleans as ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@cache
def fact_kinds() -> dict[str, FactKind]:
    """The fact kinds shipped with the package, in their documented order."""
    from policykit import yamlio

    raw = yamlio.parse(resources.files("policykit").joinpath("data/facts.yaml").read_bytes(), "facts.yaml")
    kinds = {}
    for kind, spec in raw.items():
        attrs = {}
        for name, a in spec["attributes"].items():
            phrases = {value_name(v): str(p) for v, p in (a.get("values") or {}).items()}
            attrs[name] = Attribute(
                name=name,
                type=a["type"],
                required=bool(a.get("required", False)),
                list=bool(a.get("list", False)),
                # An enum is one of its phrased values; a lifetime's phrases name its keywords.
                values=tuple(phrases) if a["type"] == "enum" else (),
                title=str(a.get("title", "")),
                show=bool(a.get("show", True)),
                phrases=phrases,
            )
        kinds[kind] = FactKind(kind, attrs, str(spec.get("caption", "")), str(spec.get("label", "")))
    return kinds


def duration_days(value: str) -> float | None:
    """An ISO 8601 duration in days (a month is 30 days, a year 365), or None if malformed."""
    m = _DURATION_RE.match(value)
    if not m:
        return None
    g = {k: int(v) if v else 0 for k, v in m.groupdict().items()}
    return g["y"] * 365 + g["mo"] * 30 + g["w"] * 7 + g["d"] + (g["h"] * 3600 + g["mi"] * 60 + g["s"]) / 86400


# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: none belongs in a title, a
# label or a mail header; in running text only the line feed and the tab do.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def control_problem(text: str, *, single_line: bool) -> str | None:
    """Why ``text`` cannot be used as it is (a control character, or a line break where one line is wanted)."""
    for m in _CONTROL_RE.finditer(text):
        c = m.group()
        if not single_line and c in "\n\t":
            continue
        what = "a line break" if c in "\r\n\u2028\u2029" else f"the control character U+{ord(c):04X}"
        where = "; it must be one line" if single_line and c in "\r\n\u2028\u2029" else ""
        return f"contains {what} at character {m.start() + 1}{where}"
    return None


def is_email(value: str) -> bool:
    return bool(EMAIL_RE.match(value))


def url_problem(url: str, *, allow_mailto: bool = True) -> str | None:
    """Why ``url`` is not an acceptable link target, or None when it is."""
    from urllib.parse import urlsplit

    if any(c.isspace() for c in url):
        return "contains white space"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return str(exc)
    scheme = parts.scheme.lower()
    if scheme == "mailto" and allow_mailto:
        address = parts.path
        return None if is_email(address) else f"{address!r} is not a well-formed e-mail address"
    if scheme not in ("http", "https"):
        allowed = "http(s): or mailto:" if allow_mailto else "http(s):"
        return f"scheme {scheme + ':' if scheme else '(none)'} is not allowed; use {allowed}"
    host = parts.hostname or ""
    if not _HOST_RE.match(host):
        return f"host {host!r} is not a well-formed domain name"
    return None


@cache
def _countries() -> frozenset[str]:
    from babel import Locale

    codes = (str(code) for code in Locale("en").territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def country_suggestion(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code ``value`` probably means: ``us`` → US, ``USA`` → US (CLDR's
    aliases of alpha-3 and retired codes), ``Germany`` → DE (English CLDR names); None if unsure."""
    import difflib
    import json

    from babel.core import get_global

    codes = _countries()
    upper = value.strip().upper()
    if upper in codes:
        return upper
    aliases = get_global("territory_aliases").get(upper)
    if aliases and aliases[0] in codes:
        return str(aliases[0])
    names = json.loads(resources.files("policykit").joinpath("data/countries.json").read_bytes())["names"]
    by_name = {str(name).casefold(): code for code, name in names.items() if code in codes}
    found = by_name.get(value.strip().casefold())
    if found is None:
        close = difflib.get_close_matches(value.strip().casefold(), sorted(by_name), n=1, cutoff=0.8)
        found = by_name[close[0]] if close else None
    return found


def check_value(attr: Attribute, value: Any, ref_ids: dict[str, set[str]]) -> str | None:
    """Why ``value`` is not a valid ``attr``, or None. Lists are checked item by item by the caller."""
    t = attr.type
    if t == "bool":
        return None if isinstance(value, bool) else f"must be true or false, not {value!r}"
    if t == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"must be a whole number, not {value!r}"
    if not isinstance(value, str):
        return f"must be text, not {type(value).__name__} {value!r}"
    if t == "str":
        return None
    if t == "enum":
        if value in attr.values:
            return None
        return f"{value!r} is not one of: {', '.join(attr.values)}{did_you_mean(value, attr.values)}"
    if t == "duration":
        return (
            None if duration_days(value) is not None else f"{value!r} is not an ISO 8601 duration (e.g. P30D, P6M, P2Y)"
        )
    if t == "lifetime":
        if value in ("session", "persistent") or duration_days(value) is not None:
            return None
        return f"{value!r} is not `session`, `persistent` or an ISO 8601 duration"
    if t == "country":
        if value in _countries():
            return None
        near = country_suggestion(value)
        return f"{value!r} is not an ISO 3166-1 alpha-2 country code" + (f" (did you mean {near!r}?)" if near else "")
    if t == "email":
        return None if is_email(value) else f"{value!r} is not a well-formed e-mail address"
    if t == "url":
        problem = url_problem(value, allow_mailto=False)
        return None if problem is None else f"{value!r}: {problem}"
    if t.startswith("taxonomy:"):
        from policykit import taxonomy

        keys = taxonomy.keys(t.split(":", 1)[1])
        if value in keys:
            return None
        return f"{value!r} is not a fideslang {t.split(':', 1)[1].replace('_', ' ')} key{did_you_mean(value, keys)}"
    if t.startswith("ref:"):
        kind = t.split(":", 1)[1]
        ids = ref_ids.get(kind, set())
        if value in ids:
            return None
        return f"{value!r} is not the id of any {kind} item" + (did_you_mean(value, ids) if ids else
                                                                 f" (there is no {kind} item yet)")
    if t == "contact-or-url":
        if value.startswith(("http://", "https://")):
            problem = url_problem(value, allow_mailto=False)
            return None if problem is None else f"{value!r}: {problem}"
        ids = ref_ids.get("contacts", set())
        return None if value in ids else (f"{value!r} is neither an http(s) URL nor the id of any contacts item"
                                          f"{did_you_mean(value, ids)}")
    raise ValueError(f"facts.yaml uses unknown type {t!r}")


def close_match(value: str, candidates: Any, cutoff: float = 0.6) -> str | None:
    """The candidate ``value`` most probably misspells, or None."""
    import difflib

    close = difflib.get_close_matches(value, sorted(candidates), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(value: str, candidates: Any, cutoff: float = 0.6) -> str:
    """`` (did you mean 'x'?)`` for the candidate ``value`` most probably misspells, or "": the one helper
    every "unknown name" message uses."""
    near = close_match(value, candidates, cutoff)
    return f" (did you mean {near!r}?)" if near else ""
