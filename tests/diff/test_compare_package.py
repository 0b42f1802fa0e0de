"""policykit.compare reads in pipeline order: each module imports only modules before it.

The import graph is read statically, so an import inside a function counts as much as
one at the top of a module (a cycle hidden in a function is still a cycle); imports
under ``if TYPE_CHECKING:`` never run and are left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "policykit" / "compare"

# The stages of compare/__init__.py's docstring, in order.
ORDER = ("diff", "lexicons", "paraphrase", "text", "contacts", "findings", "clauses", "actions", "actionchanges",
         "countries", "statements", "terms", "parties", "hunks", "values", "prose", "examples", "sameness", "narrowing",
         "recipients", "topics", "observations", "moves", "rules", "consent", "classify", "diffreport", "history")
# Imports that go up the list, each with its reason. Rule inputs carry the rule set they are read for.
UPWARD = {("observations", "rules")}


def _runtime_imports(tree: ast.Module) -> list[str]:
    """The policykit.compare modules a module imports, wherever the import stands, except under TYPE_CHECKING."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for child in node.body for n in ast.walk(child))
    out = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "policykit.compare":
                out.extend(a.name for a in node.names)
            elif node.module.startswith("policykit.compare."):
                out.append(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            out.extend(a.name.split(".")[2] for a in node.names if a.name.startswith("policykit.compare."))
    return out


def test_every_module_of_compare_has_its_place_in_the_pipeline_and_the_docstring_lists_them_in_order() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules == set(ORDER)
    doc = ast.get_docstring(ast.parse((PACKAGE / "__init__.py").read_text("utf-8"))) or ""
    named = list(dict.fromkeys(m for m in re.findall(r"``(\w+)``", doc) if m in modules))  # first mention
    assert named == list(ORDER)


def test_each_module_of_compare_imports_only_modules_before_it_so_there_is_no_cycle() -> None:
    upward = []
    for name in ORDER:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text("utf-8"))
        for target in _runtime_imports(tree):
            if ORDER.index(target) >= ORDER.index(name) and (name, target) not in UPWARD:
                upward.append(f"{name} imports {target}")
    assert upward == []


def test_the_package_re_exports_nothing() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text("utf-8"))
    assert [type(n).__name__ for n in tree.body] == ["Expr"]
