"""The library's layers, read from the source (importing a module would import the package, and with it all):
the weighting methods and the scheme do not reach the data loaders, and plots never load data or audit it."""

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "livecommerce"


def _file(module: str) -> Path | None:
    """The source of a dotted ``livecommerce`` module (its ``__init__`` for a package), or None."""
    path = PACKAGE.parent.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _statements(tree: ast.AST, at_load: bool):
    """Every node of ``tree``; with ``at_load``, none inside a function (an import there runs only when called)."""
    for node in ast.iter_child_nodes(tree):
        if at_load and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        yield node
        yield from _statements(node, at_load)


@cache
def imports(module: str, at_load: bool = False) -> frozenset[str]:
    """The ``livecommerce`` modules that ``module`` imports itself (with ``at_load``, only as it loads), relative
    imports resolved; ``from . import x`` counts as importing module ``x`` (not the package)."""
    path = _file(module)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in _statements(ast.parse(path.read_text(encoding="utf-8")), at_load):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names if _file(f"{target}.{alias.name}")}
    return frozenset(m for m in found if m.split(".")[0] == "livecommerce" and _file(m))


def reaches(module: str) -> set[str]:
    """Every ``livecommerce`` module that loading ``module`` loads, leaving out the package's own ``__init__``
    (which imports the Study, and so everything)."""
    seen, todo = set(), [module]
    while todo:
        for found in imports(todo.pop(), at_load=True) - seen - {"livecommerce"}:
            seen.add(found)
            todo.append(found)
    return seen


def test_imports_are_read_as_python_resolves_them():
    assert "livecommerce.data.published" in imports("livecommerce.study.study")  # from .data import load_index
    assert "livecommerce.arguments" in imports("livecommerce.plots.theme")  # from .. import arguments
    assert "livecommerce.analysis.sensitivity.sweeps" in imports(
        "livecommerce.analysis.optimise"
    )  # from .sensitivity import sweeps
    assert "livecommerce.data.published" in reaches("livecommerce.index.recover")
    assert "livecommerce.index.scheme" in imports("livecommerce.arguments")  # inside a function: not as it loads
    assert "livecommerce.index.scheme" not in imports("livecommerce.arguments", at_load=True)


@pytest.mark.parametrize("module", ["livecommerce.index.weights", "livecommerce.index.scheme"])
def test_the_weighting_methods_and_the_scheme_do_not_load_data(module):
    assert not {"livecommerce.data.published", "livecommerce.analysis.audit"} & reaches(module)


@pytest.mark.parametrize(
    "module",
    sorted(
        f"livecommerce.plots{'' if p.stem == '__init__' else '.' + p.stem}" for p in (PACKAGE / "plots").glob("*.py")
    ),
)
def test_plots_take_data_and_never_load_or_audit_it(module):
    assert not {"livecommerce.data.published", "livecommerce.analysis.audit"} & imports(module)
