"""What varies in a sensitivity analysis, and the one sampler that draws it.

An :class:`Uncertainty` says how the weights are perturbed and which weighting methods,
aggregations and normalisations a draw may switch to. A :class:`Sampler` turns it into the
parameters of draws, from either source of randomness: a seeded stream (the Monte Carlo draws,
:meth:`Sampler.draw`) or points of the unit cube (the Sobol' design, :meth:`Sampler.from_unit`),
one coordinate per weight and one per varying choice. Both go through the same choice
probabilities, base weights and per-node renormalisation.
"""

from dataclasses import dataclass

import numpy as np
from scipy import special

from livecommerce import arguments
from livecommerce.errors import ParameterError
from livecommerce.index.model import AGGREGATION_CHOICES, VARIANT, Model, check_means, check_model

__all__ = ["CHOICES", "DROP", "PERTURBATIONS", "REJECTED", "Sampler", "Uncertainty", "as_uncertainty", "weight_bounds"]

PERTURBATIONS = ("dirichlet", "uniform", "simplex")
"""How the weights of a node vary: around their base (nominal, or the drawn weighting method's), or uniformly over
the node's whole simplex ("simplex": no preference information, SMAA's default; the base does not matter)."""

REJECTED = 0.999
"""Weight bounds that reject more than this share of a stream's draws are refused (they leave almost no room)."""

CHOICES = ("methods", "aggregations", "normalisations")
"""The choices a draw may switch, each with its probabilities."""


@dataclass(frozen=True)
class Uncertainty:
    """What varies across draws, and how.

    ``weights``: "dirichlet" (concentration α: the weights of a node with nominal ``w`` follow
    Dirichlet(α·w), mean ``w``), "uniform" (each weight times U(1 − spread, 1 + spread), then
    renormalised), "simplex" (each node's weights uniform over its simplex, Dirichlet(1, …, 1)) or None
    (fixed). ``bounds`` limits weights, ``{node: {child: (lower, upper)}}``: draws outside are rejected
    (Monte Carlo only; SMAA's weight restrictions). ``methods`` (weighting methods), ``aggregations`` and
    ``normalisations`` map each choice to its probability; None keeps the nominal one. ``steps`` maps a step to
    ``{option: probability}`` likewise: a step whose options the model holds scores for (``Model.variants``, e.g.
    ``treat``, ``missing``, ``denominators``: :func:`livecommerce.analysis.sensitivity.steps.step_model`), or
    :data:`DROP`, whose options are ``"none"`` or a child of a node of the model, left out of the draw (its weight 0,
    its siblings' rescaled).
    """

    weights: str | None = "dirichlet"
    concentration: float = 100.0
    spread: float = 0.25
    methods: dict | None = None
    aggregations: dict | None = None
    normalisations: dict | None = None
    bounds: dict | None = None
    steps: dict | None = None

    def check(self, model: Model) -> None:
        """Raise a ParameterError naming the first field out of its domain (``model`` gives the choices), or a
        DataError if a geometric or harmonic mean it draws would take a score ≤ 0 of the model
        (:func:`~livecommerce.index.model.check_means`)."""
        check_model(model)
        arguments.choice(self.weights, "weights", (*PERTURBATIONS, None))
        if not np.isfinite(arguments.number(self.concentration, "concentration")) or self.concentration <= 0:
            raise ParameterError(f"concentration={self.concentration!r} must be a positive number")
        if not 0 <= arguments.number(self.spread, "spread") < 1:
            raise ParameterError(f"spread={self.spread!r} must be in [0, 1)")
        drawn = {}
        for name in CHOICES:
            labels, p = _choices(getattr(self, name), _allowed(model, name), name)
            drawn[name] = [label for label, chance in zip(labels, p) if chance > 0]
        normalisations = drawn["normalisations"] or model.normalisations[:1]
        keys = [key for key in model.scores if key.split(VARIANT)[0] in normalisations]
        check_means(model, drawn["aggregations"] or ["nominal"], keys)
        weight_bounds(model, self.bounds)
        _steps(model, self.steps)


DROP = "drop"
"""The step that leaves a component out of a draw."""


def _steps(model: Model, steps: dict | None) -> dict[str, tuple[list[str], np.ndarray]]:
    """Each step's options and probabilities, checked against the model (its variants, or its children for
    :data:`DROP`, where a node's only child may not be left out)."""
    out = {}
    for step, spec in ({} if steps is None else arguments.mapping(steps, "steps")).items():
        if step == DROP:
            only = {node.children[0] for node in model.nodes if len(node.children) == 1}
            allowed = ["none", *(c for _, c in model.weight_labels if c not in only)]
        elif step in model.variants:
            allowed = list(model.variants[step])
        else:
            known = ", ".join([*model.variants, DROP])
            raise ParameterError(f"steps: {step!r} is not a step the model varies (choose from {known})")
        out[step] = _choices(spec, allowed, f"steps: {step}")
    return out


def weight_bounds(model: Model, bounds: dict | None) -> tuple[np.ndarray, np.ndarray] | None:
    """The lower and upper bound of every flat weight of ``model`` (0 and 1 where ``bounds`` gives none), from
    ``{node: {child: (lower, upper)}}``; None if ``bounds`` is None. Every problem is named in one ParameterError:
    an unknown node or child, a bound outside [0, 1] or lower above upper, a node whose lower bounds sum above 1 or
    upper bounds below 1."""
    if bounds is None:
        return None
    labels = model.weight_labels
    lower, upper = np.zeros(len(labels)), np.ones(len(labels))
    position = {label: k for k, label in enumerate(labels)}
    problems = []
    for node, children in arguments.mapping(bounds, "bounds").items():
        if not isinstance(children, dict):
            problems.append(f"node {node!r} must map each child to (lower, upper)")
            continue
        for child, pair in children.items():
            if (node, child) not in position:
                problems.append(f"{node}/{child} is not a weight of the model")
                continue
            try:
                low, high = (float(v) for v in pair)
            except (TypeError, ValueError):
                problems.append(f"{node}/{child} must be a pair (lower, upper), got {pair!r}")
                continue
            if not 0 <= low <= high <= 1:
                problems.append(f"{node}/{child} needs 0 ≤ lower ≤ upper ≤ 1, got ({low}, {high})")
            lower[position[node, child]], upper[position[node, child]] = low, high
    start = 0
    for node in model.nodes:
        k = slice(start, start + len(node.children))
        start += len(node.children)
        if lower[k].sum() > 1 + 1e-12 or upper[k].sum() < 1 - 1e-12:
            problems.append(f"node {node.id!r}: no weights sum to 1 within its bounds")
    if problems:
        raise ParameterError("bounds: " + "; ".join(problems))
    return lower, upper


def as_uncertainty(spec) -> Uncertainty:
    """``spec``, or the default :class:`Uncertainty` if None."""
    if spec is None:
        return Uncertainty()
    return arguments.instance(spec, "spec", Uncertainty, "a sensitivity.Uncertainty")


def _allowed(model: Model, name: str):
    return {
        "methods": model.alternatives,
        "aggregations": AGGREGATION_CHOICES,
        "normalisations": model.normalisations,
    }[name]


def _choices(spec: dict | None, allowed, name: str) -> tuple[list[str], np.ndarray]:
    """The labels and probabilities of a choice (none if ``spec`` is None), checked against ``allowed``."""
    if spec is None:
        return [], np.ones(0)
    if not isinstance(spec, dict) or not spec:
        raise ParameterError(f"{name} must map each choice to its probability")
    unknown = [k for k in spec if k not in allowed]
    if unknown:
        raise ParameterError(f"{name}: {unknown[0]!r} is not available (choose from {', '.join(allowed)})")
    p = np.asarray(list(spec.values()), dtype=float)
    if not np.isfinite(p).all() or (p < 0).any() or abs(p.sum() - 1) > 1e-9:
        raise ParameterError(f"{name}: probabilities must be non-negative and sum to 1, got {spec}")
    return list(spec), p


class Sampler:
    """Draw parameters of ``spec`` on ``model``: flat weights (draws × weights, each node's summing to 1), and
    the weighting method, aggregation and normalisation of each draw (None where the spec does not vary it)."""

    def __init__(self, model: Model, spec: Uncertainty | None = None):
        self.spec = as_uncertainty(spec)
        self.spec.check(model)
        self.model = model
        self.choices = {
            name: _choices(getattr(self.spec, name), _allowed(model, name), name)
            for name in CHOICES
            if getattr(self.spec, name)
        }
        self.bounds = weight_bounds(model, self.spec.bounds)
        self.steps = _steps(model, self.spec.steps)
        # a dropped child's position in the flat weights
        self._columns = {child: k for k, (_, child) in enumerate(model.weight_labels)}

    @property
    def inputs(self) -> list[str]:
        """Names of the unit-cube coordinates: one per weight (``node/child``) if they vary, one per varying choice,
        one per varying step (its name)."""
        names = [f"{node}/{child}" for node, child in self.model.weight_labels] if self.spec.weights else []
        return names + list(self.choices) + list(self.steps)

    def draw(self, rng: np.random.Generator, size: int) -> dict:
        """``size`` draws from the stream ``rng``: each choice, then the weights' perturbation; with weight bounds,
        the first ``size`` draws of the stream within them (a ParameterError if they reject nearly all,
        :data:`REJECTED`)."""
        arguments.instance(rng, "rng", np.random.Generator, "a numpy Generator (np.random.default_rng)")
        arguments.integer(size, "size", 1)
        if self.bounds is None:
            return self._draw(rng, size)
        kept, tried, found = [], 0, 0
        while found < size:
            # enough for what is missing at the share kept so far, a little more, within 8 first batches
            share = found / tried if tried else 1.0
            first = max(size, 1024)
            batch = first if not tried else min(8 * first, max(1024, int(1.2 * (size - found) / max(share, 1e-3))))
            params = self._draw(rng, batch)
            tried += batch
            inside = np.flatnonzero(
                ((params["weights"] >= self.bounds[0]) & (params["weights"] <= self.bounds[1])).all(axis=1)
            )
            kept.append({key: None if value is None else value[inside] for key, value in params.items()})
            found += len(inside)
            if found < (1 - REJECTED) * tried:
                raise ParameterError(
                    f"bounds: only {found} of {tried} draws fall within them; widen them or give other weights"
                )
        return {
            key: None if kept[0][key] is None else np.concatenate([part[key] for part in kept])[:size]
            for key in kept[0]
        }

    def _draw(self, rng: np.random.Generator, size: int) -> dict:
        """``size`` draws from ``rng``, bounds aside."""
        picks = {
            name: np.asarray(labels)[rng.choice(len(labels), size, p=p)]
            for name, (labels, p) in (self.choices | self.steps).items()
        }
        base = self._base(picks.get("methods"), size)
        if self.spec.weights == "dirichlet":
            raw = _gammas(rng, self.spec.concentration * base, picks.get("methods"))
        elif self.spec.weights == "uniform":
            raw = base * rng.uniform(1 - self.spec.spread, 1 + self.spec.spread, size=base.shape)
        elif self.spec.weights == "simplex":
            raw = rng.standard_exponential(base.shape, dtype=np.float32).astype(float)
        else:
            raw = base.copy()
        return self._parameters(raw, picks)

    def from_unit(self, u: np.ndarray) -> dict:
        """The draws at unit-cube points ``u`` (inputs × draws), each coordinate through its inverse distribution."""
        u = arguments.array(u, "u", (2,))
        if self.bounds is not None:
            raise ParameterError("bounds: the Sobol' design cannot reject draws; give bounds to the Monte Carlo only")
        if len(u) != len(self.inputs):
            raise ParameterError(f"u must have one row per input ({', '.join(self.inputs)}), got {len(u)}")
        n_weights = len(u) - len(self.choices) - len(self.steps)
        picks = {
            name: np.asarray(labels)[np.minimum(np.searchsorted(np.cumsum(p), row, side="right"), len(p) - 1)]
            for (name, (labels, p)), row in zip((self.choices | self.steps).items(), u[n_weights:])
        }
        base = self._base(picks.get("methods"), u.shape[1])
        if self.spec.weights == "dirichlet":
            raw = _gamma_quantiles(self.spec.concentration * base, u[:n_weights].T)
        elif self.spec.weights == "uniform":
            raw = base * (1 - self.spec.spread + 2 * self.spec.spread * u[:n_weights].T)
        elif self.spec.weights == "simplex":
            raw = -np.log1p(-u[:n_weights].T)
        else:
            raw = base.copy()
        return self._parameters(raw, picks)

    def _base(self, methods: np.ndarray | None, draws: int) -> np.ndarray:
        """Each draw's weights before perturbation: those of its weighting method (the nominal ones if None)."""
        if methods is None:
            return np.broadcast_to(self.model.nominal, (draws, len(self.model.nominal)))
        base = np.empty((draws, len(self.model.nominal)))
        for method in np.unique(methods):
            base[methods == method] = np.concatenate(self.model.alternatives[method])
        return base

    def _parameters(self, raw: np.ndarray, picks: dict) -> dict:
        """The draws' parameters: ``raw`` weights rescaled, in place, to sum to 1 within each node (a dropped child's
        0 first), the picks, and each draw's key of ``model.scores`` (``normalisation``) under its step options."""
        if DROP in picks:
            for child in np.unique(picks[DROP]):
                if child != "none":
                    raw[picks[DROP] == child, self._columns[child]] = 0
        start = 0
        for node in self.model.nodes:
            k = len(node.children)
            raw[:, start : start + k] /= raw[:, start : start + k].sum(axis=1, keepdims=True)
            start += k
        return {
            "weights": raw,
            "method": picks.get("methods"),
            "aggregation": picks.get("aggregations"),
            "normalisation": self._keys(picks, len(raw)),
            **{step: picks[step] for step in self.steps},
        }

    def _keys(self, picks: dict, draws: int) -> np.ndarray | None:
        """Each draw's key of ``model.scores``: its normalisation under its options of the model's steps (the
        nominal option where the spec does not vary a step); None if nothing of it varies."""
        varied = [step for step in self.model.variants if step in self.steps]
        normalisations = picks.get("normalisations")
        if not varied and (normalisations is None or not self.model.variants):
            return normalisations
        if normalisations is None:
            normalisations = np.full(draws, self.model.normalisations[0])
        keys = np.asarray(normalisations, dtype=object)
        for step, options in self.model.variants.items():
            option = picks[step] if step in varied else np.full(draws, options[0])
            keys = keys + f"{VARIANT}{step}=" + np.asarray(option, dtype=object)
        return keys.astype(str)


def _gammas(rng: np.random.Generator, alpha: np.ndarray, methods: np.ndarray | None) -> np.ndarray:
    """Gamma variates of shapes ``alpha`` (draws × weights), whose rows differ only by weighting method.

    Drawn in float32, one call per weight and method: a scalar shape is several times faster
    than an array of shapes, and seven digits are more than a perturbed weight needs.
    """
    groups = [np.arange(len(alpha))] if methods is None else [np.flatnonzero(methods == m) for m in np.unique(methods)]
    raw = np.empty(alpha.shape)
    for rows in groups:
        for column, value in enumerate(alpha[rows[0]]):
            raw[rows, column] = rng.standard_gamma(value, len(rows), dtype=np.float32)
    return raw


def _gamma_quantiles(shape: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Quantiles ``u`` of Gamma(``shape``) (both draws × weights; 0 where the shape is 0), each distinct pair
    once: a Sobol' design repeats most of them (AB⁽ⁱ⁾ is A but for one coordinate), and the inverse is slow."""
    out = np.zeros(u.shape)
    for k in range(u.shape[1]):
        live = np.flatnonzero(shape[:, k] > 0)
        pairs, inverse = np.unique(shape[live, k] + 1j * u[live, k], return_inverse=True)
        out[live, k] = special.gammaincinv(pairs.real, pairs.imag)[inverse]
    return out
