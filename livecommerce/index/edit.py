"""A scheme with some of its choices changed (COINr's "edit the log, regenerate"): each indicator's outlier
treatment, its denominator, indicators left out, the normalisation and the nodes' aggregation.
:meth:`livecommerce.Study.rebuild` builds a study again under the edited scheme; the sensitivity analyses vary these
choices as **steps**."""

from dataclasses import replace

import numpy as np
import pandas as pd

from livecommerce import arguments
from livecommerce.errors import ParameterError
from livecommerce.index.scheme import Scheme, as_scheme, check_aggregation, check_normalisation
from livecommerce.index.treat import DEFAULTS, TREATMENTS
from livecommerce.index.weights import ahp

__all__ = ["edit"]


def edit(
    scheme: Scheme | str | None = None,
    treat=None,
    denominators=None,
    drop=(),
    normalisation=None,
    aggregation=None,
) -> Scheme:
    """``scheme`` with other choices, each kept where None (every problem is named in one ParameterError):

    - ``treat``: one treatment for every indicator (a method of :data:`livecommerce.index.treat.TREATMENTS` or a
      table of its settings, over each indicator's own), or ``{indicator: treatment}``;
    - ``denominators``: False to divide no indicator, a denominator's id to divide every one, or
      ``{indicator: denominator id or None}``;
    - ``drop``: indicators or nodes (with all below them) left out; each parent's remaining fixed weights are
      rescaled to sum to 1, an AHP node's come from its judgements among the remaining children, a data-driven node
      derives them again;
    - ``normalisation``: a method of :data:`livecommerce.index.normalise.NORMALISATIONS` or a whole
      ``[normalisation]`` table, checked as a scheme file's; the scheme's options go with its own method only, and an
      indicator keeps its own normalisation only if it is of that method (:meth:`Scheme.normalised_by`);
    - ``aggregation``: one aggregation for every node (a name of :data:`livecommerce.index.aggregate.AGGREGATIONS` or
      a table such as ``{"method": "generalised", "p": 0.5}``, checked as a scheme file's), or ``{node: aggregation}``.
    """
    scheme = as_scheme(scheme)
    problems = []
    indicators = dict(scheme.indicators)
    for id, spec in _per_indicator(treat, scheme, "treat", problems, DEFAULTS).items():
        indicators[id] = replace(indicators[id], treatment=_treatment(spec, indicators[id].treatment, id, problems))
    if denominators is False:
        indicators = {id: replace(i, denominator=None) for id, i in indicators.items()}
    elif denominators is not None:
        for id, name in _per_indicator(denominators, scheme, "denominators", problems).items():
            if name is not None and name not in scheme.denominators:
                problems.append(f"denominators: {id}: {name!r} is not a denominator of the scheme")
            else:
                indicators[id] = replace(indicators[id], denominator=name)
    dropped = set()
    for id in arguments.names(drop, "drop"):
        if id == scheme.root or (id not in indicators and id not in scheme.nodes):
            problems.append(f"drop: {id!r} is not an indicator or a node below the root of the scheme")
        else:
            dropped.update(scheme.preorder(id))  # a node goes with everything below it
    nodes = _without(scheme, dropped, problems)
    if isinstance(normalisation, str) and normalisation == scheme.normalisation["method"]:
        normalisation = None  # its own, with its options
    options = _checked(check_normalisation, normalisation, problems)
    for id, (method, settings) in _aggregations(aggregation, scheme, nodes, problems).items():
        nodes[id] = replace(nodes[id], aggregation=method, options=settings)
    if problems:
        raise ParameterError("; ".join(problems))
    kept = {id: i for id, i in indicators.items() if id not in dropped}
    edited = replace(scheme, indicators=kept, nodes=nodes)
    return edited if options is None else replace(edited.normalised_by(options["method"]), normalisation=options)


def _checked(check, spec, problems: list, *where):
    """``check(*where, spec)``'s reading of ``spec`` (None if None), its ParameterError's message in ``problems``."""
    if spec is None:
        return None
    try:
        return check(*where, spec)
    except ParameterError as exc:
        problems.append(str(exc))
        return None


def _aggregations(spec, scheme: Scheme, nodes: dict, problems: list) -> dict:
    """The aggregation (method, options) of each of ``nodes`` that ``spec`` changes: one for every node (a name or a
    table with a ``method``, checked once) or ``{node: aggregation}`` (an unknown node named in ``problems``)."""
    if spec is None:
        return {}
    if not isinstance(spec, dict) or "method" in spec:
        checked = _checked(check_aggregation, spec, problems, scheme.root)
        return {} if checked is None else dict.fromkeys(nodes, checked)
    problems += [f"aggregation: {k!r} is not a node of the scheme" for k in spec if k not in scheme.nodes]
    checked = {id: _checked(check_aggregation, one, problems, id) for id, one in spec.items() if id in nodes}
    return {id: c for id, c in checked.items() if c is not None}


def _per_indicator(spec, scheme: Scheme, name: str, problems: list, settings=()) -> dict:
    """``spec`` by indicator: a mapping by indicator as it is (an unknown indicator named in ``problems``); a value,
    or a mapping of ``settings`` only (a treatment's table), the same for every indicator."""
    if spec is None:
        return {}
    if not isinstance(spec, dict) or (spec and set(spec) <= set(settings)):
        return dict.fromkeys(scheme.indicators, spec)
    problems += [f"{name}: {k!r} is not an indicator of the scheme" for k in spec if k not in scheme.indicators]
    return {k: v for k, v in spec.items() if k in scheme.indicators}


def _treatment(spec, own: dict, id: str, problems: list) -> dict:
    """A treatment (a method name or a table of settings) over an indicator's ``own``."""
    spec = {"method": spec} if isinstance(spec, str) else spec
    if not isinstance(spec, dict):
        problems.append(f"treat: {id}: expected a method name or a table of settings, got {spec!r}")
        return own
    unknown = [k for k in spec if k not in DEFAULTS]
    if unknown:
        problems.append(f"treat: {id}: unknown setting {unknown[0]!r} (allowed: {', '.join(DEFAULTS)})")
    if spec.get("method", own["method"]) not in TREATMENTS:
        problems.append(f"treat: {id}: method {spec['method']!r} is not one of {', '.join(TREATMENTS)}")
    return {**own, **spec}


def _without(scheme: Scheme, dropped: set, problems: list) -> dict:
    """The scheme's nodes without the ``dropped`` children, their weights rescaled (fixed) or judged again (AHP)."""
    nodes = {}
    for id, node in scheme.nodes.items():
        if id in dropped:
            continue
        children = tuple(c for c in node.children if c not in dropped)
        if children == node.children:
            nodes[id] = node
            continue
        if not children:
            problems.append(f"drop: node {id!r} would have no child left")
            continue
        weights, matrix = node.weights, node.ahp
        if matrix is not None:
            matrix = matrix.loc[list(children), list(children)]
            weights = ahp(matrix, np.inf)
        elif weights is not None:
            kept = pd.Series(weights, dtype=float)[list(children)]
            if kept.sum() <= 0:
                problems.append(f"drop: node {id!r} would have no weight left")
                continue
            weights = kept / kept.sum()
        nodes[id] = replace(node, children=children, weights=weights, ahp=matrix)
    return nodes
