"""The package's shape: no import cycles, no module over 400 lines, no function over 60.

The import graph is read statically (``ast`` over ``src/policykit``), so an import
inside a function counts as much as one at the top of a module: a cycle hidden in a
function still means neither module can be understood (or moved) without the other.
Imports under ``if TYPE_CHECKING:`` are left out: they never run, and annotations
are the one place where two modules may legitimately name each other's types.

What is still over a limit is listed below with the engineer's part that owns it.
The lists only shrink: an entry that no longer holds fails the test, so whoever
fixes a file removes its line in the same commit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "policykit"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# Cycles not yet broken, by the part of issue 19 that owns them. A cycle must match
# one of these exactly (same modules): one that grows is a new cycle.
KNOWN_CYCLES: dict[frozenset[str], str] = {
}

# Modules over MAX_MODULE_LINES, relative to src/policykit, and who splits them.
KNOWN_LONG_MODULES: dict[str, str] = {
}

# Functions over MAX_FUNCTION_LINES as "path:qualified.name", and who splits them.
KNOWN_LONG_FUNCTIONS: dict[str, str] = {
}

# Class names defined in more than one module, with the part that gives each its own name.
# A name is one thing: a reader who meets `Entry` should not have to look up which one.
KNOWN_SHARED_CLASS_NAMES: dict[str, str] = {
}

# ---------------------------------------------------------------------------
# The import graph


@dataclass(frozen=True)
class Module:
    name: str  # dotted, without the package prefix: "notify.channels.mail"
    path: Path
    is_package: bool


def package_modules(root: Path = SRC / PACKAGE) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        name = ".".join(parts) or "__init__"
        modules[name] = Module(name, path, is_package)
    return modules


def _runtime_nodes(tree: ast.AST, *, at_import: bool = False) -> Iterator[ast.AST]:
    """Every node, except what sits under ``if TYPE_CHECKING:`` (and, ``at_import``, inside functions)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                stack.extend(child.orelse)
                continue
            if at_import and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            stack.append(child)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _absolute(module: Module, node: ast.ImportFrom) -> str | None:
    """The dotted name (package prefix stripped) a ``from … import`` reads from."""
    if node.level == 0:
        name = node.module or ""
        if name != PACKAGE and not name.startswith(PACKAGE + "."):
            return None
        return name[len(PACKAGE) + 1 :]
    here = module.name.split(".") if module.name != "__init__" else []
    base = here if module.is_package else here[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *(node.module.split(".") if node.module else [])])


def imports_of(module: Module, modules: dict[str, Module], *, at_import: bool = False) -> set[str]:
    tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
    found: set[str] = set()

    def add(name: str) -> None:
        found.add(name if name else "__init__")

    for node in _runtime_nodes(tree, at_import=at_import):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE + "."):
                    add(alias.name[len(PACKAGE) + 1 :])
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            if base is None:
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}" if base else alias.name
                add(submodule if submodule in modules else base)
    return {name for name in found if name in modules and name != module.name}


def import_graph(root: Path = SRC / PACKAGE, *, at_import: bool = False) -> dict[str, set[str]]:
    """Which module imports which; ``at_import``: only the imports that run when the module is imported."""
    modules = package_modules(root)
    return {name: imports_of(module, modules, at_import=at_import) for name, module in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def cycle_path(graph: dict[str, set[str]], component: frozenset[str]) -> list[str]:
    """One concrete loop through a component, for the failure message: a → b → a."""
    start = min(component)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for target in sorted(graph[node] & component):
                if target == start:
                    path = [start]
                    while node != start:
                        path.insert(1, node)
                        node = previous[node]
                    return [*path, start]
                if target not in previous:
                    previous[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no loop through {sorted(component)}")


def describe(graph: dict[str, set[str]], components: list[frozenset[str]]) -> str:
    return "\n".join(f"  {{{', '.join(sorted(c))}}}: " + " → ".join(cycle_path(graph, c)) for c in components)


# ---------------------------------------------------------------------------
# Sizes


def long_functions(path: Path) -> dict[str, int]:
    """Functions (and methods) over MAX_FUNCTION_LINES, by qualified name, decorators included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: dict[str, int] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                    length = (child.end_lineno or child.lineno) - first + 1
                    if length > MAX_FUNCTION_LINES:
                        found[name] = length
                walk(child, name + ".")
            else:
                walk(child, prefix)

    walk(tree, "")
    return found


def sizes(root: Path = SRC / PACKAGE) -> tuple[dict[str, int], dict[str, int]]:
    long_modules: dict[str, int] = {}
    functions: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            long_modules[relative] = lines
        for name, length in long_functions(path).items():
            functions[f"{relative}:{name}"] = length
    return long_modules, functions


# ---------------------------------------------------------------------------
# The checks


def test_the_package_has_no_import_cycle_beyond_the_known_ones() -> None:
    graph = import_graph()
    found = cycles(graph)
    new = [c for c in found if c not in KNOWN_CYCLES]
    assert not new, "import cycles (break them; imports inside functions count):\n" + describe(graph, new)


def test_every_known_cycle_still_exists_so_the_list_only_shrinks() -> None:
    found = set(cycles(import_graph()))
    gone = [sorted(c) for c in KNOWN_CYCLES if c not in found]
    assert not gone, f"these cycles are gone or changed: update KNOWN_CYCLES: {gone}"


def test_no_module_is_over_400_lines_beyond_the_known_ones() -> None:
    long_modules, _ = sizes()
    new = {path: n for path, n in long_modules.items() if path not in KNOWN_LONG_MODULES}
    assert not new, f"modules over {MAX_MODULE_LINES} lines (split along a real seam): {new}"
    stale = sorted(set(KNOWN_LONG_MODULES) - set(long_modules))
    assert not stale, f"no longer over {MAX_MODULE_LINES} lines: remove from KNOWN_LONG_MODULES: {stale}"


def test_no_function_is_over_60_lines_beyond_the_known_ones() -> None:
    _, functions = sizes()
    new = {name: n for name, n in functions.items() if name not in KNOWN_LONG_FUNCTIONS}
    assert not new, f"functions over {MAX_FUNCTION_LINES} lines: {new}"
    stale = sorted(set(KNOWN_LONG_FUNCTIONS) - set(functions))
    assert not stale, f"no longer over {MAX_FUNCTION_LINES} lines: remove from KNOWN_LONG_FUNCTIONS: {stale}"


def class_names(root: Path = SRC / PACKAGE) -> dict[str, list[str]]:
    """Each top-level class name and the modules (relative paths) that define it."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                found.setdefault(node.name, []).append(path.relative_to(root).as_posix())
    return found


def test_each_class_name_is_one_class_beyond_the_known_ones() -> None:
    shared = {name: where for name, where in class_names().items() if len(where) > 1}
    new = {name: where for name, where in shared.items() if name not in KNOWN_SHARED_CLASS_NAMES}
    assert not new, f"one class per name: rename one of each (say what it is): {new}"
    stale = sorted(set(KNOWN_SHARED_CLASS_NAMES) - set(shared))
    assert not stale, f"now one class each: remove from KNOWN_SHARED_CLASS_NAMES: {stale}"


REGISTRARS = {"register", "register_whole", "register_project"}


def registering_modules(root: Path = SRC / PACKAGE) -> set[str]:
    """Modules that register a check with policykit.validate (a decorator or a call)."""
    found = set()
    for name, module in package_modules(root).items():
        tree = ast.parse(module.path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            target = node.func if isinstance(node, ast.Call) else node if isinstance(node, ast.Name) else None
            if isinstance(target, ast.Name) and target.id in REGISTRARS and name != "validate":
                found.add(name)
    return found


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for target in graph[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def test_validate_imports_none_of_the_checks_and_loading_imports_them_all() -> None:
    graph = import_graph()
    assert graph["validate"] <= {"diagnostics", "model"}, graph["validate"]
    registering = registering_modules()
    assert {"checks", "completeness.checks", "errata", "integrity", "notify.config"} <= registering
    # A check module that importing load.project does not import would silently never run.
    missing = registering - reachable(import_graph(at_import=True), "load.project")
    assert not missing, f"list these in policykit/load/project.py, or their checks never run: {sorted(missing)}"


def test_a_class_name_defined_twice_is_found(tmp_path: Path) -> None:
    package = _write(tmp_path, {"a.py": "class Version:\n    pass\n", "b/c.py": "class Version: ...\nclass B: ...\n"})
    assert {n: w for n, w in class_names(package).items() if len(w) > 1} == {"Version": ["a.py", "b/c.py"]}


# The checker itself, on small packages written for the purpose: it can fail.


def _write(root: Path, files: dict[str, str]) -> Path:
    package = root / "policykit"
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    return package


def test_a_cycle_through_a_function_level_relative_import_is_found(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from .sub import b\n",
            "sub/__init__.py": "",
            "sub/b.py": "def f():\n    from ..c import thing\n",
            "c.py": "import policykit.a\nthing = 1\n",
            "d.py": "from policykit import c\n",
        },
    )
    graph = import_graph(package)
    assert cycles(graph) == [frozenset({"a", "sub.b", "c"})]
    assert describe(graph, cycles(graph)) == "  {a, c, sub.b}: a → sub.b → c → a"


def test_imports_for_type_checking_only_make_no_cycle(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from typing import TYPE_CHECKING\nfrom . import b\n",
            "b.py": "import typing\nif typing.TYPE_CHECKING:\n    from .a import A\nelse:\n    import os\n",
        },
    )
    assert cycles(import_graph(package)) == []


def test_a_name_imported_from_a_package_points_at_its_init(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "__init__.py": "",
            "load/__init__.py": "from .base import load\n",
            "load/base.py": "from ..validate import validate\n",
            "validate.py": "from .load import load\n",
        },
    )
    assert cycles(import_graph(package)) == [frozenset({"load", "load.base", "validate"})]


def test_long_modules_and_functions_are_measured(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    package = _write(tmp_path, {"long.py": "@decorator\ndef f():\n" + body + "\n" + "\n" * 340})
    long_modules, functions = sizes(package)
    assert long_modules == {"long.py": 402}
    assert functions == {"long.py:f": 62}
