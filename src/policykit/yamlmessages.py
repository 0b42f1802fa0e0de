"""What a YAML parser's complaint means for the person who wrote the file.

A parser says "did not find expected '-' indicator while parsing a block
collection"; a legal editor needs "line 10 is indented 5 spaces, but the keys
of its list item (line 9) are indented 6". :func:`explain` turns the parser's
problem, context and marks into one located sentence and a remedy, looking at
the indentation of the lines around it. It is plain data in, a diagnostic out:
:mod:`policykit.yamlio` (the one module that imports the parser) calls it.
"""

from __future__ import annotations

import re

from policykit.diagnostics import Diagnostic, Pos, error

Mark = tuple[int, int] | None  # 1-based (line, column), as the diagnostics count

_KEY_RE = re.compile(r"^(?P<dash>-\s+)?(?P<key>[^\s:#'\"][^:#]*?|'[^']*'|\"[^\"]*\"):(?:\s+(?P<value>.*))?$")
CODE = "yaml.syntax"


class _Text:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line(self, n: int) -> str:
        return self.lines[n - 1] if 1 <= n <= len(self.lines) else ""

    @staticmethod
    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    def previous(self, n: int) -> int:
        """The nearest line before ``n`` with content (not blank, not a comment), or 0."""
        for k in range(n - 1, 0, -1):
            stripped = self.line(k).strip()
            if stripped and not stripped.startswith("#"):
                return k
        return 0

    def item_before(self, n: int, dash_indent: int) -> int:
        """The nearest line before ``n`` that starts a list item at ``dash_indent``, or 0."""
        for k in range(n - 1, 0, -1):
            line = self.line(k)
            if self.indent(line) == dash_indent and line.lstrip(" ").startswith("-"):
                return k
            if line.strip() and self.indent(line) < dash_indent:
                return 0
        return 0


def _spaces(n: int) -> str:
    return f"{n} space{'' if n == 1 else 's'}"


def _indent_to(what: str, n: int) -> str:
    return f"start {what} at the beginning of the line" if n == 0 else f"indent {what} by {_spaces(n)}"


def _key(line: str) -> str:
    m = _KEY_RE.match(line.strip())
    return m.group("key") if m else line.strip()[:20]


def explain(name: str, text: str, problem: str, context: str, mark: Mark, context_mark: Mark) -> Diagnostic:
    """One diagnostic for a YAML syntax error: where it is, what it means, and what to do."""
    t = _Text(text)
    for rule in (_tab, _list_indent, _mapping_indent, _value_then_key, _no_colon, _unclosed_quote):
        found = rule(name, t, problem, context, mark, context_mark)
        if found is not None:
            return found
    return _raw(name, problem, context, mark, context_mark)


def _at(name: str, t: _Text, line: int, length: int = 0) -> Pos:
    return Pos(name, line, t.indent(t.line(line)) + 1)


def _tab(name: str, t: _Text, problem: str, context: str, mark: Mark, cm: Mark) -> Diagnostic | None:
    if "tab" not in problem and "'\\t'" not in problem:
        return None
    line = mark[0] if mark else 1
    col = t.line(line).find("\t") + 1 or 1
    return error(Pos(name, line, col), "malformed YAML: this line is indented with a tab", CODE,
                 hint="YAML indents with spaces only: replace the tab by spaces (most editors can show tabs)")


def _list_indent(name: str, t: _Text, problem: str, context: str, mark: Mark, cm: Mark) -> Diagnostic | None:
    """A line inside a list item (or a sibling item) indented differently from its neighbours."""
    if "expected '-' indicator" not in problem or mark is None or cm is None:
        return None
    bad, dash = mark[0], cm[1] - 1
    line = t.line(bad)
    have = t.indent(line)
    item = t.item_before(bad, dash) or cm[0]
    if line.lstrip().startswith("-"):
        return error(_at(name, t, bad), f"malformed YAML: this list item is indented {_spaces(have)}, but the "
                     f"other items of its list (line {item}) are indented {_spaces(dash)}", CODE, length=1,
                     hint=f"{_indent_to('the `-`', dash)}, like line {item}")
    keys = dash + 2
    first = _key(t.line(item).strip()[1:])
    return error(_at(name, t, bad), f"malformed YAML: line {bad} is indented {_spaces(have)}, but the keys of "
                 f"the list item it belongs to (line {item}) are indented {_spaces(keys)}", CODE,
                 length=len(_key(line)), hint=(
                     f"{_indent_to(f'`{_key(line)}:`', keys)}, like `{first}:` after the `- ` on line {item}; "
                     f"if it starts a new item, write `- {_key(line)}:` at {_spaces(dash)}"))


def _mapping_indent(name: str, t: _Text, problem: str, context: str, mark: Mark, cm: Mark) -> Diagnostic | None:
    if "did not find expected key" not in problem or mark is None or cm is None:
        return None
    bad = mark[0]
    line = t.line(bad)
    have = t.indent(line)
    if line.lstrip().startswith("-"):
        before = t.previous(bad)
        while before and not t.line(before).lstrip().startswith("-"):
            before = t.previous(before)
        if before:
            want = t.indent(t.line(before))
            return error(_at(name, t, bad), f"malformed YAML: this list item is indented {_spaces(have)}, but the "
                         f"item before it (line {before}) is indented {_spaces(want)}", CODE, length=1,
                         hint=f"{_indent_to('the `-`', want)}, like line {before}")
    keys = cm[1] - 1
    return error(_at(name, t, bad), f"malformed YAML: line {bad} is indented {_spaces(have)}, but the keys of the "
                 f"mapping that starts at line {cm[0]} are indented {_spaces(keys)}", CODE,
                 length=len(_key(line)), hint=f"{_indent_to(f'`{_key(line)}:`', keys)}, like `{_key(t.line(cm[0]))}:`"
                 f" on line {cm[0]}")


def _value_then_key(name: str, t: _Text, problem: str, context: str, mark: Mark, cm: Mark) -> Diagnostic | None:
    """``mapping values are not allowed here``: a key indented under a key that has a value, or a
    value with ``: `` in it."""
    if "mapping values are not allowed" not in problem or mark is None:
        return None
    bad = mark[0]
    line, before = t.line(bad), t.previous(mark[0])
    above = t.line(before)
    m = _KEY_RE.match(above.strip())
    if before and t.indent(line) > t.indent(above) and m and m.group("value") and m.group("value") not in "|>":
        want = t.indent(above) + (len(m.group("dash")) if m.group("dash") else 0)
        return error(_at(name, t, bad), f"malformed YAML: line {bad} is indented {_spaces(t.indent(line))}, more "
                     f"than `{m.group('key')}:` on line {before}, which already has a value", CODE,
                     length=len(_key(line)), hint=(
                         f"{_indent_to(f'`{_key(line)}:`', want)}, like `{m.group('key')}:`; only a key that "
                         "ends its line with `:` can have keys under it"))
    key = _key(line)
    value = line.split(":", 1)[1].strip() if ":" in line else ""
    return error(Pos(name, bad, mark[1]), f"malformed YAML: the value of `{key}` contains `: `, which YAML reads "
                 "as the start of another key", CODE, length=1,
                 hint=f"put the value in quotes: `{key}: \"{value}\"`, or write it as a block: `{key}: |`")


def _no_colon(name: str, t: _Text, problem: str, context: str, mark: Mark, cm: Mark) -> Diagnostic | None:
    if "could not find expected ':'" not in problem or cm is None:
        return None
    bad = cm[0]
    return error(_at(name, t, bad), f"malformed YAML: line {bad} is neither `key: value` nor a list item", CODE,
                 length=len(t.line(bad).strip()), hint=(
                     "add the missing `:` after the key; a text of several lines goes under `key: |`, its "
                     "lines indented below the key"))


def _unclosed_quote(name: str, t: _Text, problem: str, context: str, mark: Mark, cm: Mark) -> Diagnostic | None:
    if "quoted scalar" not in context or cm is None:
        return None
    quote = t.line(cm[0])[cm[1] - 1: cm[1]] or '"'
    return error(Pos(name, cm[0], cm[1]), f"malformed YAML: the quote {quote} opened here is never closed", CODE,
                 length=1, hint=f"end the text with {quote}; a {quote} inside it is written "
                 f"{'two single quotes' if quote == chr(39) else 'as ' + chr(92) + quote}")


def _raw(name: str, problem: str, context: str, mark: Mark, cm: Mark) -> Diagnostic:
    message = problem or context
    if context and cm is not None and mark is not None and cm != mark:
        message += f" ({context} that starts at line {cm[0]}, column {cm[1]})"
    elif context and problem:
        message = f"{context}: {problem}"
    at = mark or cm or (1, 1)
    hint = ""
    if "flow" in context and cm is not None:
        hint = (f"close the bracket opened at line {cm[0]}, column {cm[1]}; a text that starts with [ or {{ "
                "must be in quotes")
    return error(Pos(name, at[0], at[1]), f"malformed YAML: {message}", CODE, hint=hint)
