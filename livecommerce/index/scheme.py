"""The index tree as data: read and check a scheme file (TOML).

A scheme names the raw indicators (leaves: unit, direction, transform, valid range), the
nodes above them (children, weights or a weighting method, aggregation) and how the
indicators are normalised. A node's weights are a table, a data-driven method (:data:`DERIVED`)
or ``"ahp"`` with a pairwise judgement matrix, checked and turned into weights at load. The
report's own scheme ships as ``data/schemes/report2023.toml``; its comments say what is the
report's, what is recovered and what is our reading.
"""

import math
import os
import sys
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.data.io import file_version
from livecommerce.data.paths import default_scheme_path
from livecommerce.errors import DataError, LivecommerceError, ParameterError, SchemeError
from livecommerce.index.aggregate import AGGREGATIONS, check_options, check_weights
from livecommerce.index.denominate import Denominator, for_regions, load_denominator
from livecommerce.index.normalise import NORMALISATIONS, PER_COLUMN
from livecommerce.index.normalise import OPTIONS as NORMALISATION_OPTIONS
from livecommerce.index.normalise import REQUIRED as NORMALISATION_REQUIRED
from livecommerce.index.treat import DEFAULTS as TREATMENT
from livecommerce.index.treat import FALLBACKS as TREATMENT_FALLBACKS
from livecommerce.index.treat import TREATMENTS
from livecommerce.index.weights import DERIVED, ahp, consistency
from livecommerce.records.indicators import Definition, definition
from livecommerce.vocab import LANGS

__all__ = [
    "AHP",
    "DEFAULT_VARIANT",
    "Indicator",
    "MAX_DEPTH",
    "Node",
    "Scheme",
    "TRANSFORMS",
    "WEIGHTING_METHODS",
    "as_scheme",
    "check_aggregation",
    "check_normalisation",
    "load_scheme",
    "scheme_from_dict",
]

TRANSFORMS = ("none", "log")
_INDICATOR_KEYS = {
    "label",
    "unit",
    "direction",
    "transform",
    "valid",
    "treatment",
    "denominator",
    "normalisation",
    "record",
    "variants",
}
_AHP_KEYS = {"ahp", "max_cr"}
_NODE_KEYS = {"label", "children", "weights", "aggregation", *_AHP_KEYS}
AHP = "ahp"
"""The method name of a node weighted by pairwise judgements (层次分析法), given in its `ahp` key."""
WEIGHTING_METHODS = (*DERIVED, AHP)
"""Every weighting method a node may name in ``weights``."""
MAX_DEPTH = 32
"""How many levels a tree may have below its root (the report's has three)."""
DEFAULT_VARIANT = "default"
"""The name of the record definitions a scheme states first (its indicators' ``record``), beside its variants."""


@dataclass(frozen=True)
class Indicator:
    """A raw indicator: a column of the raw panel."""

    id: str
    label: dict
    unit: str
    direction: int
    transform: str
    valid: tuple[float, float]
    treatment: dict = field(default_factory=lambda: dict(TREATMENT))
    """Its outlier treatment (:mod:`livecommerce.index.treat`): the scheme's ``[treatment]`` and its own settings."""
    denominator: str | None = None
    """The id of the scheme's denominator that divides it (:mod:`livecommerce.index.denominate`), if any."""
    normalisation: dict | None = None
    """Its own normalisation (a method and its options, such as its goalposts), if not the scheme's."""
    record: Definition | None = None
    """How it is computed from records (:mod:`livecommerce.records.indicators`), if the scheme says."""
    variants: dict = field(default_factory=dict)
    """Other definitions of it on the records, by variant name (each the ``record`` with some keys changed)."""


@dataclass(frozen=True)
class Node:
    """An aggregate: its children combined with fixed ``weights`` or a weighting ``method``.

    ``weights`` is None where a data-driven method derives them at build time; an AHP node (method
    ``"ahp"``) has the weights of its judgement matrix ``ahp`` (rows and columns in ``children``'s order).
    """

    id: str
    label: dict
    children: tuple[str, ...]
    weights: pd.Series | None
    method: str | None
    aggregation: str
    ahp: pd.DataFrame | None = None
    options: dict = field(default_factory=dict)
    """Its aggregation's options (:data:`livecommerce.index.aggregate.OPTIONS`), such as a generalised mean's p."""

    def aggregated_by(self, aggregation: str) -> "Node":
        """This node combining its children by ``aggregation`` instead (with that aggregation's default options)."""
        return self if aggregation == self.aggregation else replace(self, aggregation=aggregation, options={})

    @property
    def ahp_cr(self) -> float | None:
        """The consistency ratio of an AHP node's judgements; None for other nodes."""
        return None if self.ahp is None else float(consistency(self.ahp)["cr"])


@dataclass(frozen=True)
class Scheme:
    """A checked index tree."""

    name: str
    title: dict
    normalisation: dict
    nodes: dict[str, Node]
    indicators: dict[str, Indicator]
    root: str
    source: str
    denominators: dict[str, Denominator] = field(default_factory=dict)
    """Per-region quantities read from user files with their sources, by id (:mod:`livecommerce.index.denominate`)."""

    def for_regions(self, regions) -> "Scheme":
        """This scheme with its denominators' names resolved in the region set ``regions``
        (:func:`livecommerce.index.denominate.for_regions`; itself if it has none)."""
        if not self.denominators:
            return self
        return replace(self, denominators={k: for_regions(d, regions) for k, d in self.denominators.items()})

    def normalised_by(self, method: str) -> "Scheme":
        """This scheme with every indicator normalised by ``method`` (itself if that is its own): an indicator that
        declares that method keeps its own options (its goalposts, its target), the others take the method's
        defaults."""
        if method == self.normalisation["method"]:
            return self
        indicators = {
            id: replace(i, normalisation=i.normalisation if (i.normalisation or {}).get("method") == method else None)
            for id, i in self.indicators.items()
        }
        return replace(self, normalisation={"method": method}, indicators=indicators)

    @property
    def variants(self) -> tuple[str, ...]:
        """The names of the record definition variants its indicators declare, :data:`DEFAULT_VARIANT` first."""
        names = (name for i in self.indicators.values() for name in i.variants)
        return (DEFAULT_VARIANT, *dict.fromkeys(names))

    def variant(self, name: str) -> "Scheme":
        """This scheme with the record definition of every indicator that declares variant ``name`` replaced by
        that variant (itself for :data:`DEFAULT_VARIANT`)."""
        arguments.choice(name, "variant", self.variants)
        if name == DEFAULT_VARIANT:
            return self
        indicators = {
            id: replace(i, record=i.variants[name]) if name in i.variants else i for id, i in self.indicators.items()
        }
        return replace(self, indicators=indicators)

    def preorder(self, start: str | None = None) -> list[str]:
        """Every node and indicator id, parents before children, in the file's order."""
        ids, stack = [], [start or self.root]
        while stack:
            id = stack.pop()
            ids.append(id)
            stack += reversed(self.nodes[id].children) if id in self.nodes else ()
        return ids

    def label(self, id: str, lang: str = "zh") -> str:
        item = self.nodes.get(id) or self.indicators[id]
        return item.label.get(lang, id)

    def labels(self, lang: str = "zh") -> dict[str, str]:
        """Every node's and indicator's label in ``lang`` (its id where the scheme gives none), by id."""
        return {id: self.label(id, lang) for id in self.preorder()}


def load_scheme(path: Path | str | None = None) -> Scheme:
    """Read and check a scheme file (UTF-8, with or without a byte order mark); the report's by default. A file is
    read once per version and process (a Scheme is immutable, so callers share it)."""
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise ParameterError(
            f"load_scheme: path must be a file path (str or os.PathLike) or None, got {type(path).__name__}"
        )
    path = Path(path) if path is not None else default_scheme_path()
    version = file_version(path)
    if version is None:
        raise SchemeError(f"{path}: file not found")
    key = (str(path), str(path.resolve()))
    cached = _SCHEMES.get(key)
    if cached is None or cached[0] != _versions(path, cached[1]):  # read and checked once per version of its files
        try:
            raw = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SchemeError(f"{path}: not valid TOML ({exc})") from None
        except RecursionError:
            raise SchemeError(f"{path}: arrays or inline tables nested too deeply to read") from None
        scheme = scheme_from_dict(raw, str(path))
        cached = _SCHEMES[key] = _versions(path, scheme), scheme
    return cached[1]


def as_scheme(value, name: str = "scheme") -> Scheme:
    """``value`` if it is a :class:`Scheme`; a path or None (the report's) is loaded (:func:`load_scheme`)."""
    if isinstance(value, Scheme):
        return value
    return load_scheme(arguments.optional(arguments.path, value, name))


def _versions(path: Path, scheme: "Scheme") -> tuple:
    """The versions of a scheme's file and of its denominators' files: a change to any is a new scheme."""
    return (file_version(path), *(file_version(Path(d.path)) for d in scheme.denominators.values()))


_SCHEMES: dict[tuple[str, str], tuple[tuple, "Scheme"]] = {}
"""Schemes read, by path as given and as resolved (a scheme records its source as given), with their files'
versions."""


def scheme_from_dict(raw: dict, source: str = "<scheme>") -> Scheme:
    """Check a scheme given as a dict (the parsed file) and return it; ``source`` names it in errors."""
    if not isinstance(raw, dict):
        raise ParameterError(f"scheme_from_dict: raw must be a dict (a parsed scheme file), got {type(raw).__name__}")
    if not isinstance(source, str):
        raise ParameterError(f"scheme_from_dict: source must be a str, got {type(source).__name__}")

    def fail(message):
        raise SchemeError(f"{source}: {message}")

    unknown = set(raw) - {"name", "title", "normalisation", "treatment", "denominators", "nodes", "indicators"}
    if unknown:
        fail(f"unknown key {sorted(unknown)[0]!r}")
    for key in ("nodes", "indicators"):
        if not isinstance(raw.get(key), dict) or not raw[key]:
            fail(f"`{key}` must be a non-empty table")
    if not isinstance(raw.get("title", {}), dict):
        fail(f'`title` must be a table such as {{ zh = "…", en = "…" }}, got {raw["title"]!r}')
    default = _treatment(raw.get("treatment", {}), dict(TREATMENT), "treatment", fail)
    denominators = _denominators(raw.get("denominators", {}), source, fail)
    indicators = {id: _indicator(id, spec, default, fail) for id, spec in raw["indicators"].items()}
    for indicator in indicators.values():
        if indicator.denominator is not None and indicator.denominator not in denominators:
            fail(
                f"indicator {indicator.id!r}: denominator {indicator.denominator!r} is not declared in "
                f"[denominators] ({', '.join(denominators) or 'none is'})"
            )
    nodes = {id: _node(id, spec, fail) for id, spec in raw["nodes"].items()}
    both = set(nodes) & set(indicators)
    if both:
        fail(f"{sorted(both)[0]!r} is both a node and an indicator")
    root = _check_tree(nodes, indicators, fail)
    return Scheme(
        name=str(raw.get("name", Path(source).stem)),
        title=dict(raw.get("title", {})),
        normalisation=_normalisation(raw.get("normalisation", {}), fail),
        nodes=nodes,
        indicators=indicators,
        root=root,
        source=source,
        denominators=denominators,
    )


def _table(id: str, spec, keys: set, kind: str, fail) -> dict:
    if not isinstance(spec, dict):
        fail(f"{kind} {id!r} must be a table")
    unknown = set(spec) - keys
    if unknown:
        fail(f"{kind} {id!r}: unknown key {sorted(unknown)[0]!r} (expected {', '.join(sorted(keys))})")
    return spec


def _label(id: str, spec: dict) -> dict:
    label = spec.get("label", {})
    return {**dict.fromkeys(LANGS, id), **label} if isinstance(label, dict) else dict.fromkeys(LANGS, str(label))


def _treatment(spec, default: dict, where: str, fail) -> dict:
    """A treatment (a method name, or a table of :data:`livecommerce.index.treat.DEFAULTS`' keys) over ``default``."""
    if isinstance(spec, str):
        spec = {"method": spec}
    if not isinstance(spec, dict):
        fail(
            f'{where} must be a method name or a table such as {{ method = "winsorise", max_points = 3 }}, got {spec!r}'
        )
    unknown = set(spec) - set(TREATMENT)
    if unknown:
        fail(f"{where}: unknown key {sorted(unknown)[0]!r} (allowed: {', '.join(TREATMENT)})")
    spec = {**default, **spec}
    for key, allowed in (("method", TREATMENTS), ("fallback", TREATMENT_FALLBACKS)):
        if spec[key] not in allowed:
            fail(f"{where}: {key} {spec[key]!r} is not one of {', '.join(allowed)}")
    for key in ("skew", "kurtosis"):
        if not (_is_a(spec[key], float) and spec[key] >= 0):
            fail(f"{where}: {key} must be a number ≥ 0, got {spec[key]!r}")
    if not (
        isinstance(spec["max_points"], int) and not isinstance(spec["max_points"], bool) and spec["max_points"] >= 1
    ):
        fail(f"{where}: max_points must be a whole number ≥ 1, got {spec['max_points']!r}")
    if not (_is_a(spec["lower"], float) and _is_a(spec["upper"], float) and 0 <= spec["lower"] < spec["upper"] <= 1):
        fail(f"{where}: need 0 ≤ lower < upper ≤ 1, got lower={spec['lower']!r}, upper={spec['upper']!r}")
    if spec["lambda"] is not None and not _is_a(spec["lambda"], float):
        fail(f"{where}: lambda must be a number (or left out: estimated), got {spec['lambda']!r}")
    return spec


def _denominators(spec, source: str, fail) -> dict[str, Denominator]:
    """The declared denominators, their files read against the scheme file's folder (else the working folder)."""
    if not isinstance(spec, dict) or not all(isinstance(v, dict) for v in spec.values()):
        fail("`denominators` must hold one table per denominator, such as [denominators.population]")
    folder = Path(source).parent if Path(source).is_file() else Path.cwd()
    try:
        return {id: load_denominator(id, table, folder, source) for id, table in spec.items()}
    except SchemeError:
        raise
    except DataError as exc:
        raise SchemeError(str(exc)) from None


def _indicator(id: str, spec, treatment: dict, fail) -> Indicator:
    spec = _table(id, spec, _INDICATOR_KEYS, "indicator", fail)
    missing = {"unit", "direction"} - set(spec)
    if missing:
        fail(f"indicator {id!r}: missing {sorted(missing)[0]!r}")
    if spec["direction"] not in (1, -1) or isinstance(spec["direction"], bool):
        fail(
            f"indicator {id!r}: direction must be 1 (higher is better) or -1 (lower is better), "
            f"got {spec['direction']!r}"
        )
    transform = spec.get("transform", "none")
    if transform not in TRANSFORMS:
        fail(f"indicator {id!r}: transform {transform!r} is not one of {', '.join(TRANSFORMS)}")
    valid = spec.get("valid", [-math.inf, math.inf])
    if (
        not isinstance(valid, list)
        or len(valid) != 2
        or not all(isinstance(v, (int, float)) for v in valid)
        or not valid[0] < valid[1]
    ):
        fail(f"indicator {id!r}: valid must be [low, high] with low < high, got {valid!r}")
    if transform == "log" and valid[0] < 0:
        fail(f"indicator {id!r}: a log transform needs valid values ≥ 0, got low {valid[0]!r}")
    return Indicator(
        id=id,
        label=_label(id, spec),
        unit=str(spec["unit"]),
        direction=int(spec["direction"]),
        transform=transform,
        valid=(float(valid[0]), float(valid[1])),
        treatment=_treatment(spec.get("treatment", {}), treatment, f"indicator {id!r}: treatment", fail),
        denominator=_denominator_name(id, spec, fail),
        normalisation=None
        if "normalisation" not in spec
        else _normalisation(spec["normalisation"], fail, f"indicator {id!r}: normalisation"),
        record=(record := _record(id, spec, fail)),
        variants=_variants(id, spec, record, fail),
    )


def _record(id: str, spec: dict, fail) -> Definition | None:
    if "record" not in spec:
        return None
    try:
        return definition(spec["record"], f"indicator {id!r}: record")
    except LivecommerceError as exc:
        fail(str(exc))


def _variants(id: str, spec: dict, record: Definition | None, fail) -> dict[str, Definition]:
    """An indicator's definition variants: ``variants = { NAME = { key = value, … } }``, each the indicator's
    ``record`` with those keys changed."""
    given = spec.get("variants", {})
    if given and record is None:
        fail(f"indicator {id!r}: variants need a record definition to vary")
    if not isinstance(given, dict) or not all(isinstance(v, dict) for v in given.values()):
        fail(f'indicator {id!r}: variants must be a table such as {{ median = {{ statistic = "median" }} }}')
    variants = {}
    for name, keys in given.items():
        if name == DEFAULT_VARIANT or "|" in name or "=" in name:  # a step option's label (index.model)
            fail(f"indicator {id!r}: variant {name!r}: a name other than {DEFAULT_VARIANT!r}, without '|' or '='")
        try:
            variants[name] = definition({**record.__dict__, **keys}, f"indicator {id!r}: variant {name!r}")
        except LivecommerceError as exc:
            fail(str(exc))
    return variants


def _denominator_name(id: str, spec: dict, fail) -> str | None:
    name = spec.get("denominator")
    if name is not None and not (isinstance(name, str) and name):
        fail(f"indicator {id!r}: denominator must name a table of [denominators], got {name!r}")
    return name


def _node(id: str, spec, fail) -> Node:
    spec = _table(id, spec, _NODE_KEYS, "node", fail)
    if not isinstance(spec.get("children", []), list):
        fail(f"node {id!r}: needs a list of children, got {spec['children']!r}")
    aggregation, options = _aggregation(id, spec.get("aggregation", "arithmetic"), fail)
    weights, method = spec.get("weights"), None
    if isinstance(weights, dict):
        children = tuple(weights)
        if "children" in spec and tuple(spec["children"]) != children:
            fail(f"node {id!r}: `children` and the keys of `weights` differ")
        if not all(isinstance(w, (int, float)) and not isinstance(w, bool) for w in weights.values()):
            fail(f"node {id!r}: weights must be numbers, got {weights!r}")
        try:
            weights = check_weights(pd.Series(weights, dtype=float), f"node {id!r}: weights")
        except ParameterError as exc:
            fail(str(exc))
    elif isinstance(weights, str):
        if weights not in WEIGHTING_METHODS:
            fail(f"node {id!r}: weighting method {weights!r} is not one of {', '.join(WEIGHTING_METHODS)}")
        children, method, weights = tuple(spec.get("children", ())), weights, None
    else:
        fail(f"node {id!r}: `weights` must be a table of weights or a method name")
    if not children or not all(isinstance(c, str) for c in children):
        fail(f"node {id!r}: needs a list of children")
    if len(set(children)) != len(children):
        fail(f"node {id!r}: a child is listed twice")
    matrix = None
    if method == AHP:
        weights, matrix = _ahp(id, spec, children, fail)
    elif _AHP_KEYS & set(spec):
        fail(f'node {id!r}: `{min(_AHP_KEYS & set(spec))}` needs weights = "ahp"')
    return Node(
        id=id,
        label=_label(id, spec),
        children=children,
        weights=weights,
        method=method,
        aggregation=aggregation,
        ahp=matrix,
        options=options,
    )


def _aggregation(id: str, spec, fail) -> tuple[str, dict]:
    """A node's aggregation: a name, or a table such as ``{ method = "generalised", p = 0.5 }``."""
    given, spec = spec, {"method": spec} if isinstance(spec, str) else spec
    if not isinstance(spec, dict) or spec.get("method") not in AGGREGATIONS:
        fail(
            f"node {id!r}: aggregation {given!r} is not one of {', '.join(AGGREGATIONS)} "
            '(or a table such as { method = "generalised", p = 0.5 })'
        )
    options = {k: v for k, v in spec.items() if k != "method"}
    for key, value in options.items():
        if not (_is_a(value, float) if key == "p" else isinstance(value, int) and not isinstance(value, bool)):
            fail(f"node {id!r}: aggregation option {key} must be a number, got {value!r}")
    try:
        check_options(spec["method"], options, f"node {id!r}: aggregation")
    except ParameterError as exc:
        fail(str(exc))
    return spec["method"], options


def _ahp(id: str, spec: dict, children: tuple, fail) -> tuple[pd.Series, pd.DataFrame]:
    """An AHP node's weights and judgement matrix (rows and columns in the order of ``children``), checked."""
    rows, n = spec.get("ahp"), len(children)
    if rows is None:
        fail(f'node {id!r}: weights = "ahp" needs `ahp`, a matrix of pairwise judgements')
    if not (isinstance(rows, list) and len(rows) == n and all(isinstance(r, list) and len(r) == n for r in rows)):
        fail(
            f"node {id!r}: `ahp` must be a square matrix with a row and a column per child, {n} × {n} "
            f"({', '.join(children)}), got {rows!r}"
        )
    if not all(_is_a(v, float) for row in rows for v in row):
        fail(f"node {id!r}: `ahp` judgements must be finite numbers, got {rows!r}")
    max_cr = spec.get("max_cr", 0.1)
    if not (isinstance(max_cr, (int, float)) and not isinstance(max_cr, bool) and max_cr >= 0):
        fail(f"node {id!r}: max_cr must be a number ≥ 0, got {max_cr!r}")
    matrix = pd.DataFrame(rows, index=list(children), columns=list(children), dtype=float)
    try:
        return ahp(matrix, max_cr), matrix
    except ParameterError as exc:
        fail(f"node {id!r}: `ahp`: {exc}")


def _check_tree(nodes: dict, indicators: dict, fail) -> str:
    parent = {}
    for node in nodes.values():
        for child in node.children:
            if child not in nodes and child not in indicators:
                fail(f"node {node.id!r}: child {child!r} is neither a node nor an indicator")
            if child in parent:
                fail(f"{child!r} has two parents, {parent[child]!r} and {node.id!r}: the scheme must be a tree")
            parent[child] = node.id
    roots = [id for id in nodes if id not in parent]
    if len(roots) != 1:
        fail(f"a tree has exactly one root node, found {roots or 'none (a cycle)'}")
    seen, depth, stack = set(), {roots[0]: 0}, [roots[0]]
    while stack:
        id = stack.pop()
        seen.add(id)
        for child in nodes[id].children if id in nodes else ():
            depth[child] = depth[id] + 1
            if depth[child] > MAX_DEPTH:
                fail(
                    f"{child!r} is {depth[child]} levels below the root, deeper than the limit of {MAX_DEPTH}: "
                    f"{_path(child, parent)}"
                )
            stack.append(child)
    unreached = [id for id in [*nodes, *indicators] if id not in seen]
    if unreached:
        fail(f"{unreached[0]!r} is not reached from the root {roots[0]!r} (unused, or in a cycle)")
    return roots[0]


def _path(id: str, parent: dict) -> str:
    """The ids from the root down to ``id``, the middle elided."""
    ids = [id]
    while ids[-1] in parent:
        ids.append(parent[ids[-1]])
    ids.reverse()
    return " → ".join(ids if len(ids) <= 7 else [*ids[:3], "…", *ids[-3:]])


_KINDS = {float: "a finite number", str: "a string"}


def _is_a(value, kind: type) -> bool:
    """Whether a TOML value fits an option annotated ``kind`` (an int is a float; a bool is not a number)."""
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) <= sys.float_info.max
    return isinstance(value, kind)


def check_aggregation(id: str, spec) -> tuple[str, dict]:
    """Node ``id``'s aggregation ``spec`` (a name, or a table such as ``{"method": "generalised", "p": 0.5}``) as a
    scheme reads it: the method and its options; what a scheme file would refuse is a ParameterError with the same
    message."""

    def fail(message):
        raise ParameterError(message)

    return _aggregation(id, spec, fail)


def check_normalisation(spec) -> dict:
    """``spec`` (a method's name or a ``[normalisation]`` table) as a scheme's ``[normalisation]`` reads it: the
    method and its options; what a scheme file would refuse is a ParameterError with the same message."""

    def fail(message):
        raise ParameterError(message)

    return _normalisation({"method": spec} if isinstance(spec, str) else spec, fail)


def _normalisation(spec, fail, where: str = "normalisation") -> dict:
    """The scheme's ``[normalisation]``, or an indicator's own (``where`` says which): a method and its options;
    an indicator gives a per-column option (goalposts' ``posts``, a ``targets`` value) for itself alone."""
    spec = {"method": spec} if isinstance(spec, str) and where != "normalisation" else spec
    if not isinstance(spec, dict):
        fail(f"`{where}` must be a table")
    spec = {"method": "efficacy", **spec}
    method = spec["method"]
    if not isinstance(method, str) or method not in NORMALISATIONS:
        fail(f"{where} method {method!r} is not one of {', '.join(NORMALISATIONS)}")
    allowed = NORMALISATION_OPTIONS[method]
    for key, value in spec.items():
        if key == "method":
            continue
        if key not in allowed:
            fail(f"{where}: unknown key {key!r} for method {method!r} (allowed: {', '.join(['method', *allowed])})")
        if key in PER_COLUMN:
            size = PER_COLUMN[key]
            values = value if isinstance(value, list) else [value]
            if where == "normalisation" or len(values) != size or not all(_is_a(v, float) for v in values):
                fail(
                    f"{where}: {key} is an indicator's own, "
                    f"{'[low, high]' if size == 2 else 'a number'} in its normalisation table, got {value!r}"
                )
        elif not _is_a(value, allowed[key]):
            fail(f"{where}: {key} must be {_KINDS.get(allowed[key], 'a ' + allowed[key].__name__)}, got {value!r}")
    missing = [k for k in NORMALISATION_REQUIRED[method] if k not in spec]
    if missing:
        own = missing[0] in PER_COLUMN
        fail(
            f"{where}: method {method!r} needs {missing[0]}"
            + (", each indicator's own: give it in the indicators' normalisation tables" if own else "")
        )
    return spec
