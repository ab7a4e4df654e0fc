"""Monte Carlo uncertainty analysis of an index's ranking (Saisana, Saltelli & Tarantola 2005).

Each draw perturbs the weights of every node — Dirichlet around the nominal weights, or
uniform ±``spread`` then renormalised — and may switch the weighting method, the aggregation
and (for raw panels) the normalisation, each with its own probabilities (:mod:`.sampling`). Draws are made
in fixed blocks of :data:`BLOCK`, each from its own seeded stream, and evaluated as arrays, a few blocks at
a time in threads of their own: memory stays bounded, the result does not depend on how many blocks run at
once, and the parameters of any draw can be regenerated (:meth:`Result.draws`) instead of stored.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from livecommerce import arguments
from livecommerce.analysis.sensitivity.sampling import Sampler, Uncertainty, as_uncertainty
from livecommerce.data.io import available_memory
from livecommerce.errors import ParameterError
from livecommerce.index.model import Model, check_model, evaluate_draws, named_weights

__all__ = [
    "AHEAD_CELLS",
    "BLOCK",
    "OUTRANKED",
    "PAIRWISE_REGIONS",
    "PAIR_ROWS",
    "PER_DRAW",
    "Result",
    "SCORE_BINS",
    "SLICE_CELLS",
    "WORKERS",
    "column_reduce",
    "compare",
    "draw_block",
    "method_rankings",
    "monte_carlo",
    "ranks",
]

BLOCK = 2**14
"""Draws per seeded block."""

PAIR_ROWS = 2048
"""Draws compared pair by pair at once (draws × overlapping pairs, float32): small enough for the cache."""

AHEAD_CELLS = 2**24
"""Draws × tracked regions² whose ranks :func:`_ahead` compares at once (above :data:`PAIRWISE_REGIONS`)."""

SCORE_BINS = 4000
"""Bins of the per-region score histograms from which score quantiles are read."""

SLICE_CELLS = 2**19
"""Draws × regions evaluated at once: a block is cut into slices of at most this many scores, so that memory
grows linearly with the number of regions (for the report's levels a slice is a whole block)."""

PAIRWISE_REGIONS = 300
"""Up to this many regions, ranks, outranking and Kendall's τ come from pairwise comparisons (:func:`compare`).
Above, the pairs are too many: ranks come from sorting each draw (:func:`_sorted_ranks`), outranking is counted
among the tracked regions only, and Kendall's τ is not computed (NaN; Spearman's is)."""

WORKERS = 4
"""At most this many blocks are evaluated at once by default (:func:`monte_carlo`'s ``workers``)."""

OUTRANKED = 100
"""Default of :func:`monte_carlo`'s ``outranking``: the pairwise outranking probabilities of the top 100 regions
of the nominal ranking (every region of the report's 31, 15 and 21)."""


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
    scores = _regions(arguments.array(scores, "scores", (2,)), min_draws=1)
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


def _order_keys(scores: np.ndarray) -> np.ndarray:
    """Unsigned 64-bit keys in the order of the float scores (equal scores, −0 and 0 too, get equal keys), minus
    the smallest key: a positive float's bits are in order already; a negative float's are inverted, below them."""
    bits = np.ascontiguousarray(scores, dtype=np.float64).view(np.uint64)
    lowest = bits.view(np.int64).min()
    if lowest >= 0:  # no sign bit set: every score is 0 or above, and its bits are its key
        return bits - np.uint64(lowest)
    sign = np.uint64(1 << 63)
    keys = bits ^ ((np.uint64(0) - (bits >> np.uint64(63))) | sign)  # negative: every bit flipped; else the sign
    keys[keys == ~sign] = sign  # −0 is 0
    keys -= keys.min()
    return keys


def _rank_type(n: int) -> type:
    """The smallest integer type that holds ranks 1 to ``n``."""
    return np.int16 if n < 2**15 else np.int32


def _settle_collisions(scores: np.ndarray, region: np.ndarray, same: np.ndarray, out: np.ndarray) -> None:
    """Correct the ranks ``out`` where the kept bits of neighbouring places were equal (``same``, draws × places
    − 1; ``region``: the region at each place, lowest first): a run of tied scores takes the rank of its top
    place, and a row whose scores the kept bits did not order is ranked again exactly."""
    n, collided = scores.shape[1], np.flatnonzero(same.any(axis=1))
    if not len(collided):
        return
    row, k = np.nonzero(same[collided])  # places k and k + 1 of a row
    row = collided[row]
    lower, upper = scores[row, region[row, k]], scores[row, region[row, k + 1]]
    tied_row, tied = row[lower == upper], k[lower == upper]
    run = np.ones(len(tied), bool)  # where a run of tied places begins …
    run[1:] = (tied_row[1:] != tied_row[:-1]) | (tied[1:] != tied[:-1] + 1)
    last = np.ones(len(tied), bool)  # … and ends
    last[:-1] = run[1:]
    out[tied_row, region[tied_row, tied]] = n - 1 - tied[last][np.cumsum(run) - 1]
    for wrong in np.unique(row[lower > upper]):  # 1 plus the number of scores above
        out[wrong] = n + 1 - np.searchsorted(np.sort(scores[wrong]), scores[wrong], side="right")


def _sorted_ranks(scores: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Ranks of each row (draws × regions) by sorting it: 1 for the highest, ties sharing the best rank; written
    into ``out`` (any layout, e.g. a transposed view) if given.

    One sort per row, of 64-bit keys that pack a score's order (:func:`_order_keys`, its low bits dropped if
    they do not fit) above its region's number, gives the order; where two neighbours' kept bits are equal, their
    scores settle it (:func:`_settle_collisions`).
    """
    scores = arguments.array(scores, "scores", (2,))
    n = scores.shape[1]
    out = np.empty(scores.shape, _rank_type(n)) if out is None else out
    if not scores.size:
        return out
    shift = (n - 1).bit_length()  # bits of a region's number
    keys = _order_keys(scores)
    keys >>= np.uint64(max(0, int(keys.max()).bit_length() + shift - 64))
    keys <<= np.uint64(shift)
    keys |= np.arange(n, dtype=np.uint64)
    keys.sort(axis=1)
    region = (keys & np.uint64((1 << shift) - 1)).view(np.int64)  # the region at each place, lowest first
    keys >>= np.uint64(shift)
    place = np.arange(n, 0, -1, dtype=out.dtype)
    for row, regions in zip(out, region):  # a loop of 1-D scatters: faster than np.put_along_axis
        row[regions] = place
    _settle_collisions(scores, region, keys[:, 1:] == keys[:, :-1], out)
    return out


def _regions(scores: np.ndarray, min_draws: int = 0) -> np.ndarray:
    """``scores`` (draws × regions) if it has a region and ``min_draws`` draws or more, else an error naming it."""
    if scores.shape[1] < 1 or len(scores) < min_draws:
        raise ParameterError(
            f"scores needs {min_draws} draw(s) (rows) or more and one region (column) or more, got shape {scores.shape}"
        )
    return scores


def ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks of each row (draws × regions), 1 for the highest; ties share the best rank (pairwise up to
    :data:`PAIRWISE_REGIONS` regions, by sorting above)."""
    scores = _regions(np.atleast_2d(arguments.array(scores, "scores")))
    return compare(scores)[0] if 0 < len(scores) and scores.shape[1] <= PAIRWISE_REGIONS else _sorted_ranks(scores)


@dataclass
class Result:
    """Monte Carlo results by region, with every draw's parameters regenerable from the seed."""

    model: Model
    spec: Uncertainty
    seed: int
    n_draws: int
    nominal_score: np.ndarray
    nominal_rank: np.ndarray
    rank_low: np.ndarray  # each region's best rank drawn
    rank_counts: np.ndarray  # regions × ranks from rank_low on: draws of each rank (a band, not every rank)
    tracked: pd.Index  # the regions whose pairwise outranking is counted
    ahead: np.ndarray  # ahead[i, j]: draws in which tracked region i strictly outranks tracked region j
    score_sum: np.ndarray
    first_weights: np.ndarray  # regions × weights: the sum of the flat weights of the draws each region ranks first in
    score_hist: np.ndarray  # regions × SCORE_BINS
    score_edges: np.ndarray
    per_draw: pd.DataFrame  # mean_abs_shift, spearman, kendall

    def outranking(self) -> pd.DataFrame:
        """P(row region ranks above column region) among the tracked regions; a tie counts half, so
        P(A>B) + P(B>A) = 1."""
        ties = self.n_draws - self.ahead - self.ahead.T
        p = (self.ahead + ties / 2) / self.n_draws
        np.fill_diagonal(p, np.nan)
        return pd.DataFrame(p, index=self.tracked, columns=self.tracked)

    def rivals(self, region: str, places: int = 2) -> pd.Series:
        """P(``region`` ranks above each tracked region within ``places`` ranks of it at the nominal weights),
        nearest first, by region id: how firmly it holds its place against its neighbours."""
        p = self.outranking()
        if region not in p.index:
            raise ParameterError(f"region {region!r} is not among the tracked regions ({', '.join(p.index)})")
        arguments.integer(places, "places", 1)
        nominal = pd.Series(self.nominal_rank, index=self.model.regions)[p.index]
        apart = (nominal - nominal[region]).abs()
        near = apart[(apart > 0) & (apart <= places)].sort_values(kind="stable")
        return p.loc[region, near.index].rename("p_above")

    def _rank_quantile(self, q: float) -> np.ndarray:
        cumulative = self.rank_counts.cumsum(axis=1)
        return (cumulative < q * self.n_draws - 1e-9).sum(axis=1) + self.rank_low

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
        ranks = self.rank_low[:, None] + np.arange(self.rank_counts.shape[1])
        out["mean_rank"] = (self.rank_counts * ranks).sum(axis=1) / self.n_draws
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
        """The parameters of draws ``start`` to ``stop − 1``, regenerated from the seed: weights by ``node/child``,
        weighting method, aggregation, normalisation (the key of ``model.scores``) and each step varied."""
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
                    **{k: b[k] if b[k] is not None else v for k, v in defaults.items()},
                    **{k: v for k, v in b.items() if k not in ("weights", *defaults)},  # the steps varied
                )
                for b in blocks
            ],
            ignore_index=True,
        )
        frame.index = pd.RangeIndex(offset, offset + len(frame), name="draw")
        return frame.loc[start : stop - 1]


@dataclass(frozen=True)
class _Setup:
    """What every slice needs: the nominal ranking, the reference ranking, the score bins, the tracked regions."""

    nominal_rank: np.ndarray
    reference: np.ndarray  # the ranking correlations are measured against (published, else nominal)
    reference_centred: np.ndarray
    low: float
    high: float
    tracked: np.ndarray  # positions of the regions whose pairwise outranking is counted


def _band(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each region's lowest value in ``values`` (regions × draws, small whole numbers: ranks or score bins) and
    its number of draws of each value from there (regions × band), counted region by region."""
    low = values.min(axis=1)
    width = int((values.max(axis=1) - low).max()) + 1
    counts = np.empty((len(values), width), np.int64)
    for row, start, out in zip(values, low, counts):
        out[:] = np.bincount(row - start, minlength=width)
    return low.astype(np.int64), counts


def _add_bands(a: tuple, b: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The sum of two bands (low, counts), on a band that holds both."""
    low = np.minimum(a[0], b[0])
    width = int(max((part[0] - low).max() + part[1].shape[1] for part in (a, b)))
    out = np.zeros((len(low), width), np.int64)
    rows = np.arange(len(low))[:, None]
    for start, counts in (a, b):
        out[rows, (start - low)[:, None] + np.arange(counts.shape[1])] += counts
    return low, out


def _unband(band: tuple, width: int) -> np.ndarray:
    """A band (low, counts) as counts of every value 0 to ``width − 1`` (regions × width)."""
    low, counts = band
    # a band is as wide as its widest region's: past the scale, a narrower region's counts are zeros
    out = np.zeros((len(low), max(width, int((low + counts.shape[1]).max()))), np.int64)
    out[np.arange(len(low))[:, None], low[:, None] + np.arange(counts.shape[1])] = counts
    return out[:, :width]


def _ahead(r: np.ndarray) -> np.ndarray:
    """``ahead[i, j]``: the draws in which region i ranks strictly above region j (that is, scores strictly
    higher), from ranks ``r`` (draws × regions), :data:`AHEAD_CELLS` at a time."""
    draws, k = r.shape
    step = max(1, AHEAD_CELLS // (k * k))
    out = np.zeros((k, k), np.int64)
    for start in range(0, draws, step):
        part = r[start : start + step]
        out += (part[:, :, None] < part[:, None, :]).sum(axis=0)
    return out


def _slice(
    model: Model, setup: _Setup, params: dict, r: np.ndarray, bins: np.ndarray, per_draw: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Statistics of one slice of draws (``params`` as :meth:`.Sampler.draw` gives them): each region's rank and
    score bin go into ``r`` and ``bins``, per-draw statistics into ``per_draw`` (all draws × …); returns the
    outranking counts among the tracked regions, the score sums and each region's sum of the weights of the draws
    it ranks first in (regions × weights)."""
    scores = evaluate_draws(model, params["weights"], params["aggregation"], params["normalisation"])
    n = scores.shape[1]
    # Score bins, in float32 (a bin is wide enough): every score lies in [low, high] (up to rounding:
    # truncation sends a hair below to bin 0, and ``high`` itself falls in an extra last bin).
    scaled = np.subtract(scores, setup.low, dtype=np.float32)
    scaled *= np.float32(SCORE_BINS / (setup.high - setup.low) if setup.high > setup.low else 0)  # 0: all equal
    bins[...] = scaled
    if n <= PAIRWISE_REGIONS:
        r[...], ahead, per_draw[:, 2] = compare(scores, setup.reference)
        ahead = ahead[np.ix_(setup.tracked, setup.tracked)]
    else:
        _sorted_ranks(scores, r)
        ahead = _ahead(r[:, setup.tracked])
        per_draw[:, 2] = np.nan
    per_draw[:, 0] = np.abs(r - setup.nominal_rank).sum(axis=1, dtype=np.int32) / n
    r64 = r.astype(np.float64)  # Spearman: Pearson of ranks, from Σr² and Σr per draw (whole numbers, exact)
    spread = np.sqrt(np.maximum(np.einsum("dr,dr->d", r64, r64) - r64.sum(axis=1) ** 2 / n, 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_draw[:, 1] = np.where(spread > 0, (r64 @ setup.reference_centred) / spread, np.nan)
    # each region's first places, ties included, times the draws' weights (SMAA-2's central weights): in float32,
    # twice as fast, and as precise as a drawn weight (:func:`.sampling._gammas`); summed in float64 across slices
    top = (r.T == 1).astype(np.float32)
    return ahead, column_reduce(np.add, scores), (top @ params["weights"].astype(np.float32)).astype(np.float64)


def _block(model: Model, spec: Uncertainty, seed: int, setup: _Setup, block: int, per_draw: np.ndarray) -> dict:
    """Statistics of the draws of ``block``, a slice of at most :data:`SLICE_CELLS` scores at a time; per-draw
    statistics go into ``per_draw``, the (draws × 3) rows of the run's array that the block fills (the last
    block may be cut short). Ranks and score bins are kept region by region (regions × draws), then banded."""
    params = draw_block(model, spec, seed, block)
    n, size = len(model.regions), len(per_draw)
    r = np.empty((n, size), _rank_type(n))
    bins = np.empty((n, size), np.int16)
    ahead, score_sum, first_weights, step = 0, 0, 0, max(1, min(BLOCK, SLICE_CELLS // n))
    for start in range(0, size, step):
        rows = slice(start, min(start + step, size))
        chosen = {key: None if value is None else value[rows] for key, value in params.items()}
        parts = _slice(model, setup, chosen, r[:, rows].T, bins[:, rows].T, per_draw[rows])
        ahead, score_sum, first_weights = ahead + parts[0], score_sum + parts[1], first_weights + parts[2]
    return {
        "ranks": _band(r),
        "bins": _band(bins),
        "ahead": ahead,
        "score_sum": score_sum,
        "first_weights": first_weights,
    }


def _tracked(model: Model, outranking, nominal_rank: np.ndarray) -> np.ndarray:
    """Positions of the regions whose outranking is counted: the top ``outranking`` of the nominal ranking
    (ties by region order), or the regions named."""
    if isinstance(outranking, (int, np.integer)) and not isinstance(outranking, bool):
        arguments.integer(outranking, "outranking", 2)
        return np.sort(np.argsort(nominal_rank, kind="stable")[: min(outranking, len(nominal_rank))])
    names = arguments.names(outranking, "outranking")
    unknown = [r for r in names if r not in model.regions]
    if unknown or len(set(names)) < 2:
        raise ParameterError(
            f"outranking must be a number of top regions or at least two regions of the model; got {unknown or names}"
        )
    return np.sort(model.regions.get_indexer(list(dict.fromkeys(names))))


class _OneBlasThread:
    """A context that holds BLAS to one thread while any Monte Carlo run is on (BLAS's own threads would spin on
    the cores the workers need) and gives its setting back when the last run ends: runs may overlap, in threads.

    threadpoolctl lets only one living thread set OpenBLAS's threads, so each change is made by a thread of its
    own that then ends.
    """

    def __init__(self):
        self._lock, self._runs, self._controller, self._limit = threading.Lock(), 0, None, None

    def __enter__(self):
        with self._lock:
            if not self._runs:
                self._controller = self._controller or ThreadpoolController()  # finding the libraries takes a while
                self._in_a_thread(self._hold)
            self._runs += 1

    def __exit__(self, *exception):
        with self._lock:
            self._runs -= 1
            if not self._runs and self._limit is not None:  # None: holding it failed in its thread
                self._in_a_thread(self._limit.restore_original_limits)
                self._limit = None

    def _hold(self):
        self._limit = self._controller.limit(limits=1, user_api="blas")

    @staticmethod
    def _in_a_thread(change):
        thread = threading.Thread(target=change)
        thread.start()
        thread.join()


_ONE_BLAS_THREAD = _OneBlasThread()


def _processors() -> int:
    """The processors this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _check_finite(model: Model) -> None:
    """Raise a ParameterError naming the first score of ``model`` that is not finite (NaN or infinite)."""
    for normalisation, scores in model.scores.items():
        bad = np.argwhere(~np.isfinite(scores))
        if len(bad):
            region, leaf = bad[0]
            raise ParameterError(
                f"model: the {normalisation} score of {model.leaves[leaf]!r} in region {model.regions[region]!r} is "
                f"{scores[region, leaf]}; every score must be finite"
            )


PER_DRAW = 3
"""The numbers kept for every draw (float32: mean absolute rank shift, Spearman's ρ, Kendall's τ): the one part of a
run's memory that grows with its draws."""


def _per_draw(n_draws: int) -> np.ndarray:
    """The array of every draw's :data:`PER_DRAW` numbers, refused up front if it cannot fit in the memory available
    (naming ``n_draws``), not a numpy MemoryError."""
    need = n_draws * PER_DRAW * np.dtype(np.float32).itemsize
    free = available_memory()
    message = f"n_draws={n_draws}: its per-draw results need {need / 2**30:.1f} GiB"
    if free is not None and need > free:
        raise ParameterError(f"{message}, and {free / 2**30:.1f} GiB are available; give fewer draws")
    try:
        return np.empty((n_draws, PER_DRAW), np.float32)
    except MemoryError:  # under a process limit (ulimit -v)
        raise ParameterError(f"{message}, more than this process may allocate; give fewer draws") from None


def monte_carlo(
    model: Model,
    spec: Uncertainty | None = None,
    n_draws: int = 10_000,
    seed: int = 0,
    workers: int | None = None,
    outranking: int | list = OUTRANKED,
) -> Result:
    """Run ``n_draws`` draws of ``spec`` on ``model`` and summarise them by region.

    ``workers`` blocks of draws are evaluated at once, each in a thread of its own (by default one per processor
    the process may use, at most :data:`WORKERS`): memory grows with them, the result does not. While any run is
    on, BLAS (numpy's matrix products, in every thread of the process) uses one thread (:class:`_OneBlasThread`).
    ``outranking``: the regions whose pairwise outranking probabilities are counted — the top k of the
    nominal ranking, or a list of region codes (memory grows with their square, not the model's).
    """
    spec = as_uncertainty(spec)
    spec.check(model)
    arguments.integer(n_draws, "n_draws", 1)
    arguments.integer(seed, "seed", 0)
    _check_finite(model)
    workers = min(_processors(), WORKERS) if workers is None else arguments.integer(workers, "workers", 1)
    n = len(model.regions)
    nominal_score = evaluate_draws(model, model.nominal[None])[0]
    nominal_rank = _sorted_ranks(nominal_score[None])[0]
    reference = model.published_rank.to_numpy() if model.published_rank is not None else nominal_rank
    centred = reference - reference.mean()
    spread = np.linalg.norm(centred)
    setup = _Setup(
        nominal_rank=nominal_rank,
        reference=reference,
        reference_centred=centred / spread if spread > 0 else np.full(n, np.nan),
        low=min(s.min() for s in model.scores.values()),
        high=max(s.max() for s in model.scores.values()),
        tracked=_tracked(model, outranking, nominal_rank),
    )
    per_draw = _per_draw(n_draws)
    totals = {"ranks": None, "bins": None, "ahead": 0, "score_sum": np.zeros(n), "first_weights": 0}
    blocks = range(-(-n_draws // BLOCK))

    def run(block: int) -> dict:
        return _block(model, spec, seed, setup, block, per_draw[block * BLOCK : (block + 1) * BLOCK])

    with _ONE_BLAS_THREAD, ThreadPoolExecutor(workers) as pool:
        for first in range(0, len(blocks), workers):  # a few blocks at a time: an interrupt stops them there
            parts = pool.map(run, blocks[first : first + workers])
            for part in parts:  # in block order: the same float sums whatever the workers
                for key in ("ranks", "bins"):
                    totals[key] = part[key] if totals[key] is None else _add_bands(totals[key], part[key])
                for key in ("ahead", "score_sum", "first_weights"):
                    totals[key] = totals[key] + part[key]
    hist = _unband(totals["bins"], SCORE_BINS + 1)
    hist[:, -2] += hist[:, -1]  # scores equal to the top of the scale, in the last bin
    rank_low, rank_counts = totals["ranks"]
    return Result(
        model=model,
        spec=spec,
        seed=seed,
        n_draws=n_draws,
        nominal_score=nominal_score,
        nominal_rank=nominal_rank,
        rank_low=rank_low,
        rank_counts=rank_counts[:, : np.flatnonzero(rank_counts.any(axis=0))[-1] + 1],  # as narrow as it can be
        tracked=model.regions[setup.tracked],
        ahead=totals["ahead"],
        score_sum=totals["score_sum"],
        first_weights=totals["first_weights"],
        score_hist=hist[:, :-1],
        score_edges=np.linspace(setup.low, setup.high, SCORE_BINS + 1),
        per_draw=pd.DataFrame(per_draw, columns=["mean_abs_shift", "spearman", "kendall"], copy=False),
    )


def method_rankings(model: Model, extra: dict | None = None) -> pd.DataFrame:
    """The rank of every region under each weighting method of ``model`` (and any ``extra`` named weightings,
    each ``{node: {child: weight}}`` as :func:`livecommerce.index.model.named_weights` reads it), beside the
    published rank where there is one."""
    weightings = dict(check_model(model).alternatives)
    for name, weights in ({} if extra is None else arguments.mapping(extra, "extra")).items():
        weightings[name] = named_weights(model, weights, f"extra: weighting {name!r}")
    out = pd.DataFrame({"name": model.names}, index=model.regions)
    if model.published_rank is not None:
        out["published"] = model.published_rank
    for name, weights in weightings.items():
        out[name] = ranks(evaluate_draws(model, np.concatenate(weights)[None]))[0]
    return out
