"""Monte Carlo uncertainty analysis of an index's ranking (Saisana, Saltelli & Tarantola 2005).

Each draw perturbs the weights of every node — Dirichlet around the nominal weights, or
uniform ±``spread`` then renormalised — and may switch the weighting method, the aggregation
and (for raw panels) the normalisation, each with its own probabilities (:mod:`.sampling`). Draws are made
in fixed blocks of :data:`BLOCK`, each from its own seeded stream, and evaluated as arrays a
few blocks at a time: memory stays bounded, the result does not depend on the chunk size,
and the parameters of any draw can be regenerated (:meth:`Result.draws`) instead of stored.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import arguments
from ..aggregate import check_weights
from ..errors import ParameterError
from .model import Model, evaluate
from .sampling import Sampler, Uncertainty, as_uncertainty

BLOCK = 2**14
"""Draws per seeded block."""

PAIR_ROWS = 2048
"""Draws compared pair by pair at once (draws × overlapping pairs, float32): small enough for the cache."""

SCORE_BINS = 4000
"""Bins of the per-region score histograms from which score quantiles are read."""


def draw_block(model: Model, spec: Uncertainty, seed: int, block: int) -> dict[str, np.ndarray]:
    """The parameters of draws ``block·BLOCK`` to ``(block+1)·BLOCK − 1`` (:meth:`Sampler.draw` from the block's
    own stream): weights, method, aggregation, normalisation. A choice the spec does not vary is None."""
    rng = np.random.default_rng([arguments.integer(seed, "seed", 0), arguments.integer(block, "block", 0)])
    return Sampler(model, spec).draw(rng, BLOCK)


def column_reduce(ufunc: np.ufunc, values: np.ndarray, fold: int = 64) -> np.ndarray:
    """``ufunc.reduce(values, axis=0)`` for a tall, narrow array, reduced ``fold`` rows per wide row first.

    Reducing down a 31-column array runs a short inner loop per row; the folded one vectorises.
    The result depends only on ``values`` (for sums: not on how a run is chunked).
    """
    arguments.instance(ufunc, "ufunc", np.ufunc, "a numpy ufunc (np.add, np.minimum …)")
    arguments.integer(fold, "fold", 1)
    values = arguments.array(values, "values", (2,))
    rows, n = values.shape
    head = rows - rows % fold
    parts = [values[head:]]
    if head:
        parts.append(ufunc.reduce(values[:head].reshape(-1, fold * n), axis=0).reshape(fold, n))
    return ufunc.reduce(np.vstack(parts), axis=0)


def compare(scores: np.ndarray, reference: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ranks, outranking counts and Kendall's τ of a batch of draws (draws × regions), without sorting.

    A region's rank is 1 plus the number of regions strictly above it (the report's rule: ties
    share the best rank). Pairs whose scores never overlap across the batch keep one order in
    every draw and are counted once; only overlapping pairs are compared draw by draw, a slice
    at a time, through the sign ``s`` of their score difference: the pair (i, j) moves j one
    rank down when s = +1 and i when s = −1, that is by (s² ± s)/2, and a tie (s = 0) moves neither.

    Returns ``ranks`` (draws × regions, int16), ``ahead`` (regions × regions: draws in which the
    row region is strictly above the column one) and, given ``reference`` ranks, each draw's
    Kendall τ-a against them (else an empty array).
    """
    scores = arguments.array(scores, "scores", (2,))
    draws, n = scores.shape
    if reference is not None and arguments.array(reference, "reference", (1,)).shape != (n,):
        raise ParameterError(f"reference must give one rank per region ({n}), got shape {np.shape(reference)}")
    low, high = column_reduce(np.minimum, scores), column_reduce(np.maximum, scores)
    always = low[:, None] > high[None, :]  # row region above column region in every draw
    ahead = always.astype(np.int64) * draws
    i, j = np.nonzero(np.triu(~always & ~always.T, k=1))
    pairs = np.arange(len(i))
    # scores @ difference is score i − score j exactly: one rounding, every other term an exact zero
    difference = np.zeros((n, len(i)))
    difference[i, pairs], difference[j, pairs] = 1, -1
    moves = np.zeros((len(i), n + 1), np.float32)  # s @ moves[:, :n]: the ±s/2 part of each rank; last column: Kendall
    moves[pairs, j], moves[pairs, i] = 0.5, -0.5
    tied = np.abs(moves[:, :n])  # s² @ tied: the s²/2 part, which is tied.sum(axis=0) when no pair ties
    first = (1 + always.sum(axis=0) + tied.sum(axis=0)).astype(np.float32)
    if reference is not None:
        concordance = np.sign(reference[None, :] - reference[:, None]).astype(np.float64)  # +1: i ahead of j
        moves[:, n] = concordance[i, j]
        kendall = np.full(draws, float((always * concordance).sum()))
    ranks = np.empty((draws, n), np.int16)
    net, ties = np.zeros(len(i)), np.zeros(len(i))  # Σs and the number of ties, per pair
    sign = np.empty((min(draws, PAIR_ROWS), len(i)), np.float32)  # small whole numbers: exact in float32
    ones = np.ones(len(sign), np.float32)
    for sub in range(0, draws, PAIR_ROWS):
        rows = min(PAIR_ROWS, draws - sub)
        np.sign(scores[sub : sub + rows] @ difference, out=sign[:rows])
        out = sign[:rows] @ moves
        if np.count_nonzero(sign[:rows]) < sign[:rows].size:
            tie = (sign[:rows] == 0).astype(np.float32)
            out[:, :n] -= tie @ tied
            ties += ones[:rows] @ tie
        np.add(out[:, :n], first, out=ranks[sub : sub + rows], casting="unsafe")
        net += ones[:rows] @ sign[:rows]
        if reference is not None:
            kendall[sub : sub + rows] += out[:, n]
    ahead[i, j] += ((draws - ties + net) / 2).astype(np.int64)
    ahead[j, i] += ((draws - ties - net) / 2).astype(np.int64)
    return ranks, ahead, kendall / (n * (n - 1) / 2) if reference is not None else np.empty(0)


def ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks of each row (draws × regions), 1 for the highest; ties share the best rank."""
    return compare(np.atleast_2d(arguments.array(scores, "scores")))[0]


@dataclass
class Result:
    """Monte Carlo results by region, with every draw's parameters regenerable from the seed."""

    model: Model
    spec: Uncertainty
    seed: int
    n_draws: int
    nominal_score: np.ndarray
    nominal_rank: np.ndarray
    rank_counts: np.ndarray  # regions × ranks
    ahead: np.ndarray  # ahead[i, j]: draws in which i strictly outranks j
    score_sum: np.ndarray
    score_hist: np.ndarray  # regions × SCORE_BINS
    score_edges: np.ndarray
    per_draw: pd.DataFrame  # mean_abs_shift, spearman, kendall

    def _frame(self, values, columns) -> pd.DataFrame:
        return pd.DataFrame(values, index=self.model.regions, columns=columns)

    def outranking(self) -> pd.DataFrame:
        """P(row region ranks above column region); a tie counts half, so P(A>B) + P(B>A) = 1."""
        ties = self.n_draws - self.ahead - self.ahead.T
        p = (self.ahead + ties / 2) / self.n_draws
        np.fill_diagonal(p, np.nan)
        return self._frame(p, self.model.regions)

    def _rank_quantile(self, q: float) -> np.ndarray:
        cumulative = self.rank_counts.cumsum(axis=1)
        return (cumulative < q * self.n_draws - 1e-9).sum(axis=1) + 1

    def _score_quantile(self, q: float) -> np.ndarray:
        cumulative = self.score_hist.cumsum(axis=1)
        bin_ = (cumulative < q * self.n_draws - 1e-9).sum(axis=1)
        return (self.score_edges[bin_] + self.score_edges[bin_ + 1]) / 2

    def summary(self) -> pd.DataFrame:
        """Per region: published and nominal rank, mean, median and 5–95% ranks, score mean and quantiles.

        Score quantiles are read from histograms, to within one bin (``SCORE_BINS`` bins across the scale).
        """
        out = pd.DataFrame({"name": self.model.names}, index=self.model.regions)
        if self.model.published_rank is not None:
            out["published_rank"] = self.model.published_rank
        out["nominal_rank"] = self.nominal_rank
        out["nominal_score"] = self.nominal_score
        ranks = np.arange(1, self.rank_counts.shape[1] + 1)
        out["mean_rank"] = self.rank_counts @ ranks / self.n_draws
        out["median_rank"] = self._rank_quantile(0.5)
        out["rank_p05"], out["rank_p95"] = self._rank_quantile(0.05), self._rank_quantile(0.95)
        out["score_mean"] = self.score_sum / self.n_draws
        for q in (0.05, 0.5, 0.95):
            out[f"score_p{round(q * 100):02d}"] = self._score_quantile(q)
        return out.sort_values(["nominal_rank", "mean_rank"])

    def ranking_summary(self) -> pd.DataFrame:
        """Distribution across draws of the mean absolute rank shift and the rank correlations."""
        return self.per_draw.describe(percentiles=[0.05, 0.5, 0.95]).T

    def draws(self, start: int = 0, stop: int | None = None) -> pd.DataFrame:
        """The parameters of draws ``start`` to ``stop − 1``, regenerated from the seed."""
        stop = self.n_draws if stop is None else stop
        if not 0 <= arguments.integer(start, "start") <= arguments.integer(stop, "stop") <= self.n_draws:
            raise ParameterError(f"draws {start}:{stop} are outside 0:{self.n_draws}")
        blocks = [draw_block(self.model, self.spec, self.seed, b) for b in range(start // BLOCK, -(-stop // BLOCK))]
        offset = (start // BLOCK) * BLOCK
        labels = [f"{node}/{child}" for node, child in self.model.weight_labels]
        defaults = {"method": "nominal", "aggregation": "nominal", "normalisation": next(iter(self.model.scores))}
        frame = pd.concat(
            [
                pd.DataFrame(b["weights"], columns=labels).assign(
                    **{k: b[k] if b[k] is not None else v for k, v in defaults.items()}
                )
                for b in blocks
            ],
            ignore_index=True,
        )
        frame.index = pd.RangeIndex(offset, offset + len(frame), name="draw")
        return frame.loc[start : stop - 1]


@dataclass(frozen=True)
class _Setup:
    """What every chunk needs: the nominal ranking, the reference ranking and the score bins."""

    nominal_rank: np.ndarray
    reference: np.ndarray  # the ranking correlations are measured against (published, else nominal)
    reference_centred: np.ndarray
    low: float
    high: float


def _chunk(model: Model, spec: Uncertainty, seed: int, setup: _Setup, blocks: range, per_draw: np.ndarray) -> dict:
    """Accumulated statistics of the draws in ``blocks``; per-draw statistics go into ``per_draw``.

    ``per_draw`` is the (draws × 3) slice of the run's array that these blocks fill (the last
    block may be cut short).
    """
    n = len(model.regions)
    params = [draw_block(model, spec, seed, b) for b in blocks]
    size = len(per_draw)
    joined = {k: np.concatenate([p[k] for p in params])[:size] if params[0][k] is not None else None for k in params[0]}
    scores = evaluate(model, joined["weights"], joined["aggregation"], joined["normalisation"])
    r, ahead, per_draw[:, 2] = compare(scores, setup.reference)
    # Score bins, in float32 (a bin is wide enough): every score lies in [low, high] (up to rounding:
    # truncation sends a hair below to bin 0, and ``high`` itself falls in an extra last bin).
    bins = np.subtract(scores, setup.low, dtype=np.float32)
    bins *= np.float32(SCORE_BINS / (setup.high - setup.low))
    bins = bins.astype(np.intp)
    bins += (SCORE_BINS + 1) * np.arange(n)
    per_draw[:, 0] = np.abs(r - setup.nominal_rank).sum(axis=1, dtype=np.int32) / n
    r32 = r.astype(np.float32)  # Spearman: Pearson of ranks, with Σr and Σr² per draw
    total = r.sum(axis=1, dtype=np.int32)
    spread = np.sqrt(np.maximum(np.einsum("dr,dr->d", r32, r32) - total.astype(np.float64) ** 2 / n, 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_draw[:, 1] = np.where(spread > 0, (r32 @ setup.reference_centred.astype(np.float32)) / spread, np.nan)
    return {
        "rank_counts": np.bincount((r + (n * np.arange(n) - 1)).ravel(), minlength=n * n),
        "ahead": ahead,
        "score_sums": [column_reduce(np.add, scores[b : b + BLOCK]) for b in range(0, size, BLOCK)],
        "score_hist": np.bincount(bins.ravel(), minlength=n * (SCORE_BINS + 1)),
    }


def monte_carlo(
    model: Model, spec: Uncertainty | None = None, n_draws: int = 10_000, seed: int = 0, chunk_blocks: int = 2
) -> Result:
    """Run ``n_draws`` draws of ``spec`` on ``model`` and summarise them by region.

    Draws are evaluated ``chunk_blocks`` blocks at a time (memory grows with it, the result does not).
    """
    spec = as_uncertainty(spec)
    spec.check(model)
    arguments.integer(n_draws, "n_draws", 1)
    arguments.integer(seed, "seed", 0)
    arguments.integer(chunk_blocks, "chunk_blocks", 1)
    n = len(model.regions)
    nominal_score = evaluate(model, model.nominal[None])[0]
    nominal_rank = ranks(nominal_score[None])[0]
    reference = model.published_rank.to_numpy() if model.published_rank is not None else nominal_rank
    centred = reference - reference.mean()
    spread = np.linalg.norm(centred)
    setup = _Setup(
        nominal_rank=nominal_rank,
        reference=reference,
        reference_centred=centred / spread if spread > 0 else np.full(n, np.nan),
        low=min(s.min() for s in model.scores.values()),
        high=max(s.max() for s in model.scores.values()),
    )
    n_blocks = -(-n_draws // BLOCK)
    chunks = [range(b, min(b + chunk_blocks, n_blocks)) for b in range(0, n_blocks, chunk_blocks)]
    totals = {"rank_counts": 0, "ahead": 0, "score_sum": np.zeros(n), "score_hist": 0}
    per_draw = np.empty((n_draws, 3), np.float32)

    for blocks in chunks:
        part = _chunk(model, spec, seed, setup, blocks, per_draw[blocks[0] * BLOCK : (blocks[-1] + 1) * BLOCK])
        for block_sum in part.pop("score_sums"):  # block by block: the same float sums whatever the chunks
            totals["score_sum"] = totals["score_sum"] + block_sum
        for key, value in part.items():
            totals[key] = totals[key] + value
    hist = totals["score_hist"].reshape(n, SCORE_BINS + 1)
    hist[:, -2] += hist[:, -1]  # scores equal to the top of the scale, in the last bin
    return Result(
        model=model,
        spec=spec,
        seed=seed,
        n_draws=n_draws,
        nominal_score=nominal_score,
        nominal_rank=nominal_rank,
        rank_counts=totals["rank_counts"].reshape(n, n),
        ahead=totals["ahead"],
        score_sum=totals["score_sum"],
        score_hist=hist[:, :-1],
        score_edges=np.linspace(setup.low, setup.high, SCORE_BINS + 1),
        per_draw=pd.DataFrame(per_draw, columns=["mean_abs_shift", "spearman", "kendall"], copy=False),
    )


def named_weights(model: Model, weights: dict, name: str = "weights") -> tuple[np.ndarray, ...]:
    """Each node's weights, from ``{node: {child: weight}}`` (or a Series by child) checked against the tree;
    nodes not given keep their nominal weights. An unknown node, or a child missing or unknown, is an error."""
    if not isinstance(weights, dict):
        raise ParameterError(f"{name} must be a mapping {{node: {{child: weight}}}}, got {type(weights).__name__}")
    nodes = [node.id for node in model.nodes]
    unknown = [id for id in weights if id not in nodes]
    if unknown:
        raise ParameterError(f"{name}: {unknown[0]!r} is not a node of the model ({', '.join(nodes)})")
    out = []
    for node, nominal in zip(model.nodes, model.weights):
        given = weights.get(node.id)
        if given is None:
            out.append(nominal)
            continue
        try:
            given = pd.Series(given, dtype=float) if isinstance(given, (dict, pd.Series)) else None
        except (TypeError, ValueError):
            given = None
        if given is None or set(given.index) != set(node.children):
            raise ParameterError(
                f"{name}: node {node.id!r} needs a weight for each of its children {', '.join(node.children)}, by name"
            )
        out.append(check_weights(given, f"{name}: node {node.id!r}")[list(node.children)].to_numpy())
    return tuple(out)


def method_rankings(model: Model, extra: dict | None = None) -> pd.DataFrame:
    """The rank of every region under each weighting method of ``model`` (and any ``extra`` named
    weightings, each ``{node: {child: weight}}`` as :func:`named_weights` reads it), beside the published
    rank where there is one."""
    weightings = dict(arguments.model(model).alternatives)
    for name, weights in ({} if extra is None else arguments.mapping(extra, "extra")).items():
        weightings[name] = named_weights(model, weights, f"extra: weighting {name!r}")
    out = pd.DataFrame({"name": model.names}, index=model.regions)
    if model.published_rank is not None:
        out["published"] = model.published_rank
    for name, weights in weightings.items():
        out[name] = ranks(evaluate(model, np.concatenate(weights)[None]))[0]
    return out
