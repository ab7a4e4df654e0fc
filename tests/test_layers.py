"""The library's layers, read from the source (importing a module would import the package, and with it all).

Each module's layer is its place in the flow, from its path: the ground (errors, vocab, words, arguments) < data <
records < index < study < analysis < plots < publish < report < the top (cli, __main__); the package's own ``__init__``
re-exports and has no layer. Imports run down only, with no cycle, every import counted (inside functions too), each
name imported from the module that defines it, and every public module says what it exports."""

import ast
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "livecommerce"
ROOT = "livecommerce"
GROUND = ("errors", "vocab", "words", "arguments")
LAYERS = ("ground", "data", "records", "index", "study", "analysis", "plots", "publish", "report", "top")
TOP = ("cli", "__main__")
DATA_LOADERS = {"livecommerce.data.published", "livecommerce.analysis.audit"}


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def layer(module: str) -> str | None:
    """The layer of a ``livecommerce`` module, from its path; None for the package's own ``__init__``."""
    parts = module.split(".")[1:]
    if not parts:
        return None
    if len(parts) == 1 and not _package(module):
        return "ground" if parts[0] in GROUND else "top" if parts[0] in TOP else parts[0]
    return parts[0]


@dataclass(frozen=True)
class Import:
    """One import of a ``livecommerce`` module by another: ``names`` are imported from it, empty for a module."""

    source: str
    target: str
    line: int
    names: tuple[str, ...] = ()

    def __str__(self):
        names = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.source}:{self.line} → {self.target}{names}"


@cache
def _tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


def _resolved(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module
    base = module.split(".")
    base = base[: len(base) - node.level + _package(module)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _rebinds(package: str, name: str) -> bool:
    """Whether a package's ``__init__`` binds ``name`` to something other than its submodule of that name (the
    function ``save`` of ``plots/save.py``): ``from package import name`` then gets the ``__init__``'s binding."""
    if not _package(package):
        return False
    for node in _tree(package).body:
        if isinstance(node, ast.ImportFrom):
            source = _resolved(package, node)
            for alias in node.names:
                if (alias.asname or alias.name) == name and f"{source}.{alias.name}" != f"{package}.{name}":
                    return True
    return name in _defined(package)


@cache
def imports(module: str) -> tuple[Import, ...]:
    """Every import of a ``livecommerce`` module in ``module``, wherever it is (inside functions too): ``from p
    import m`` of a module ``m`` imports ``p.m``, of another name imports ``p``; ``import_module("…")`` counts."""
    found = []
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, node.lineno) for alias in node.names if alias.name in MODULES]
        elif isinstance(node, ast.ImportFrom):
            target = _resolved(module, node)
            if target not in MODULES:
                continue
            names = []
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES and not _rebinds(target, alias.name):
                    found.append(Import(module, f"{target}.{alias.name}", node.lineno))
                else:
                    names.append(alias.name)
            if names:
                found.append(Import(module, target, node.lineno, tuple(names)))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in MODULES
        ):
            found.append(Import(module, node.args[0].value, node.lineno))
    return tuple(sorted(found, key=lambda i: (i.line, i.target)))


def _every_import():
    return [i for module in MODULES for i in imports(module)]


def _defined(module: str) -> set[str]:
    """The names ``module`` defines itself at its top (functions, classes, assignments), not those it imports."""
    names = set()
    for node in _tree(module).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def _bound(module: str) -> set[str]:
    """Every name bound at the top of ``module``: defined there or imported (at any depth of an ``if``/``try``)."""
    names, todo = _defined(module), list(_tree(module).body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.If, ast.Try)):
            todo += [n for field in ("body", "orelse", "finalbody", "handlers") for n in getattr(node, field, [])]
        elif isinstance(node, ast.ExceptHandler):
            todo += node.body
    return names


def _lazy(module: str) -> set[str]:
    """The names a module's ``__getattr__`` gives from the module it loads when first asked (``import_module``)."""
    if "__getattr__" not in _defined(module):
        return set()
    return {name for i in imports(module) if not i.names and i.target != module for name in _bound(i.target)}


def _exports(module: str) -> list[str] | None:
    for node in _tree(module).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    return None


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing itself), by Tarjan."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def reaches(module: str) -> set[str]:
    """Every ``livecommerce`` module that ``module`` may load, through any import (the root ``__init__`` left out)."""
    seen, todo = set(), [module]
    while todo:
        for found in {i.target for i in imports(todo.pop())} - seen - {ROOT}:
            seen.add(found)
            todo.append(found)
    return seen


def _listed(offenders) -> str:
    return "\n".join(str(o) for o in offenders)


def test_imports_are_read_as_python_resolves_them():
    study = {i.target: i for i in imports("livecommerce.study.study")}
    assert "livecommerce.data.published" in study  # from livecommerce.data.published import …
    assert "livecommerce.index.model" in {i.target for i in imports("livecommerce.analysis.sensitivity")}
    assert "livecommerce.analysis.sensitivity.sweeps" in {i.target for i in imports("livecommerce.analysis.optimise")}
    assert "livecommerce.report.runner" in {i.target for i in imports("livecommerce.report")}  # import_module
    assert layer("livecommerce.analysis.sensitivity.sobol") == "analysis"
    assert layer("livecommerce.errors") == "ground" and layer("livecommerce.cli") == "top"
    assert layer("livecommerce.data") == "data" and layer(ROOT) is None
    assert not _rebinds("livecommerce.analysis.sensitivity", "sampling")  # its __init__ imports the module itself
    assert _rebinds("livecommerce.plots", "save")  # the function save of plots/save.py, not the module


def test_every_module_has_a_layer():
    assert not [m for m in MODULES if m != ROOT and layer(m) not in LAYERS]


def test_no_module_imports_a_higher_layer():
    up = [
        i
        for i in _every_import()
        if layer(i.source) and layer(i.target) and LAYERS.index(layer(i.target)) > LAYERS.index(layer(i.source))
    ]
    assert not up, "imports that climb a layer:\n" + _listed(up)


def test_no_import_cycle():
    edges = {}
    for i in _every_import():
        edges.setdefault(i.source, set()).add(i.target)
    cycles = _cycles(edges)
    shown = [
        " ⟲ ".join(component) + "\n" + _listed(i for m in component for i in imports(m) if i.target in component)
        for component in cycles
    ]
    assert not cycles, f"{len(cycles)} import cycle(s):\n" + "\n\n".join(shown)


def _through_attributes(module: str) -> list[str]:
    """``package.name`` uses in ``module`` of a package it imports whose ``name`` is a re-export of its
    ``__init__`` (not a submodule, not defined there)."""
    bound = {}
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.ImportFrom) and _resolved(module, node) in MODULES:
            target = _resolved(module, node)
            for alias in node.names:
                full = f"{target}.{alias.name}"
                if full in MODULES and _package(full) and not _rebinds(target, alias.name):
                    bound[alias.asname or alias.name] = full
        elif isinstance(node, ast.Import):
            bound |= {a.asname: a.name for a in node.names if a.asname and a.name in MODULES and _package(a.name)}
    return [
        f"{module}:{node.lineno} → {bound[node.value.id]}.{node.attr}"
        for node in ast.walk(_tree(module))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in bound
        and f"{bound[node.value.id]}.{node.attr}" not in MODULES
        and node.attr not in _defined(bound[node.value.id])
    ]


def test_names_are_imported_from_the_module_that_defines_them():
    through = [
        i for i in _every_import() if _package(i.target) and set(i.names) - _defined(i.target) and i.source != ROOT
    ]
    through += [use for module in MODULES if module != ROOT for use in _through_attributes(module)]
    assert not through, "names imported through a package's __init__ (import them from their module):\n" + _listed(
        through
    )


def _public(module: str) -> bool:
    return not any(part.startswith("_") for part in module.split("."))


def test_public_modules_say_what_they_export():
    offenders = []
    for module in filter(_public, MODULES):
        exports = _exports(module)
        if exports is None:
            offenders.append(f"{module}: no __all__")
            continue
        offenders += [
            f"{module}: __all__ names {name!r}, which it neither defines nor imports"
            for name in sorted(set(exports) - _bound(module) - _lazy(module))
        ]
        offenders += [
            f"{module}:{node.lineno} {node.name} is public but not in __all__ (export it or name it _{node.name})"
            for node in _tree(module).body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and not node.name.startswith("_")
            and node.name not in exports
        ]
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("module", ["livecommerce.index.weights", "livecommerce.index.scheme"])
def test_the_weighting_methods_and_the_scheme_do_not_load_data(module):
    assert not DATA_LOADERS & reaches(module)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) == "plots"))
def test_plots_take_data_and_never_load_or_audit_it(module):
    assert not DATA_LOADERS & {i.target for i in imports(module)}


HEAVY = ("scipy.stats", "scipy.optimize", "statsmodels", "seaborn")
"""Libraries that take about three seconds to load together, loaded by the functions that test, fit, solve or draw
a heatmap, not with the modules that hold them."""


def test_kernels_start_before_the_runner_loads():
    """``livecommerce.report.Kernels`` (kept kernels) loads neither the runner nor papermill: its kernels warm up
    while they load."""
    code = (
        "import sys\n"
        "from livecommerce import report\n"
        "report.Kernels\n"
        "print(' '.join(m for m in ('livecommerce.report.runner', 'papermill') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_the_command_line_the_runner_and_the_figures_load_no_heavy_library():
    """What every command, the runner and a kernel load first leaves scipy.stats, scipy.optimize, statsmodels and
    seaborn out (a stray module-level import would add seconds to each of them)."""
    code = (
        "import sys\n"
        "from livecommerce.report.process import without_iri_checks\n"
        "without_iri_checks()\n"
        "import livecommerce.cli, livecommerce.plots, livecommerce.report.runner\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
