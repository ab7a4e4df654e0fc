"""Statistical coherence of the index tree (the Handbook's multivariate step): do a node's components measure
one thing, and does each move with its parent?

Per node of a scheme: correlations of its components with each other and with the node (Pearson and Spearman,
with p-values), Cronbach's alpha, the Kaiser–Meyer–Olkin measure of sampling adequacy, Bartlett's test of
sphericity, and principal components (loadings, variance explained); a component that correlates negatively
or weakly with its parent is flagged. References: OECD/JRC, *Handbook on Constructing Composite Indicators*
(2008), Part 1 §4 (multivariate analysis: 4.1 PCA and factor analysis, 4.2 Cronbach's coefficient alpha) and
Step 4 of Part 1's checklist; COINr's ``get_corr``, ``get_cronbach``, ``get_PCA`` and ``get_corr_flags``.

The closed forms are written here (scipy gives the p-values and the chi-square law): ``factor_analyzer`` and
``pingouin``, which also compute them, would bring scikit-learn and xarray for a few lines of linear algebra.

>>> c = coherence(Study.build("province"))
>>> c.summary          # one row per node: alpha, KMO, Bartlett, first component's share
>>> c.flags            # components that correlate negatively or weakly with their parent
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from livecommerce import arguments, words
from livecommerce.errors import DataError
from livecommerce.index.scheme import Scheme, as_scheme
from livecommerce.study.study import Study
from livecommerce.vocab import LANGS

__all__ = [
    "CORRELATIONS",
    "Coherence",
    "LABELLED",
    "WEAK",
    "COLLINEAR",
    "bartlett",
    "coherence",
    "collinear",
    "correlations",
    "cronbach_alpha",
    "kmo",
    "pca",
    "summary",
]

CORRELATIONS = ("pearson", "spearman")
"""The correlation coefficients reported (scipy.stats.pearsonr and spearmanr)."""

WEAK = 0.3
"""The default threshold below which a component's correlation with its parent is flagged as weak: a choice
of ours, a parameter, not a statistic of the report."""


COLLINEAR = 0.9
"""The default threshold above which two components of one node correlate so closely that they are flagged as
collinear (COINr's ``get_corr_flags``, ``cor_thresh = 0.9``): a choice, not a statistic of the report."""


def _values(frame, what: str, min_columns: int = 2) -> pd.DataFrame:
    """``frame`` as finite floats with ``min_columns`` columns or more, none constant, three regions or more."""
    values = arguments.numeric_frame(frame, what, min_rows=3)
    if values.shape[1] < min_columns:
        raise DataError(f"{what}: needs {min_columns} components (columns) or more, got {values.shape[1]}")
    flat = values.columns[values.std(ddof=1) <= 0]
    if len(flat):
        raise DataError(f"{what}: column {flat[0]!r} is constant across regions: it has no correlation")
    return values


def correlations(frame: pd.DataFrame, parent: pd.Series | None = None, weak: float = WEAK) -> pd.DataFrame:
    """Pearson and Spearman correlations (with two-sided p-values) of every pair of ``frame``'s columns and, if
    ``parent`` is given, of each column with it (Handbook 2008, Part 1 §4; COINr ``get_corr``).

    Tidy: one row per (x, y, method) with r, p, n and ``flag``: ``"negative"`` (r < 0) or ``"weak"``
    (0 ≤ r < ``weak``) for a component against its parent, empty otherwise.
    """
    from scipy import stats  # when used: scipy.stats loads in about a second

    weak = arguments.number(weak, "weak")
    values = _values(frame, "correlations")
    pairs = [(a, b) for i, a in enumerate(values) for b in values.columns[i + 1 :]]
    if parent is not None:
        parent = arguments.series(parent, "parent")
        if not parent.index.equals(values.index):
            parent = parent.reindex(values.index)
        values = values.assign(**{str(parent.name): _values(parent.to_frame(), "parent", 1).iloc[:, 0]})
        pairs += [(c, str(parent.name)) for c in frame.columns]
    rows = []
    for x, y in pairs:
        for method in CORRELATIONS:
            test = stats.pearsonr if method == "pearson" else stats.spearmanr
            r, p = test(values[x], values[y])
            flag = ""
            if parent is not None and y == str(parent.name):
                flag = "negative" if r < 0 else "weak" if r < weak else ""
            rows.append((x, y, method, float(r), float(p), len(values), flag))
    return pd.DataFrame(rows, columns=["x", "y", "method", "r", "p", "n", "flag"])


def _collinear(table: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The rows of a correlations table of pairs of components whose correlation is above ``threshold``."""
    return table[table["r"] > arguments.number(threshold, "threshold")].drop(columns="flag").reset_index(drop=True)


def collinear(frame: pd.DataFrame, threshold: float = COLLINEAR) -> pd.DataFrame:
    """The pairs of ``frame``'s columns (components, regions as rows) that correlate above ``threshold`` by
    Pearson's or Spearman's coefficient (rows of :func:`correlations`): near-duplicates that count one thing twice
    (COINr's ``get_corr_flags``)."""
    return _collinear(correlations(frame), threshold)


def cronbach_alpha(frame: pd.DataFrame) -> float:
    """Cronbach's coefficient alpha (Cronbach 1951; Handbook 2008, Part 1 §4.2): k/(k−1) · (1 − Σ var(xᵢ) / var(Σ xᵢ)),
    sample variances; 1 when every column is the same, near 0 or below when they are unrelated."""
    values = _values(frame, "cronbach_alpha")
    k = values.shape[1]
    return float(k / (k - 1) * (1 - values.var(ddof=1).sum() / values.sum(axis=1).var(ddof=1)))


_NOISE = 1e-12
"""Correlations smaller than this in magnitude are floating-point noise (exactly orthogonal columns give ~1e-17)."""


def _correlation(values: pd.DataFrame) -> np.ndarray:
    return np.corrcoef(values.to_numpy(), rowvar=False)


def kmo(frame: pd.DataFrame) -> tuple[float, pd.Series]:
    """The Kaiser–Meyer–Olkin measure of sampling adequacy (Kaiser 1970, 1974; Handbook 2008, Part 1 §4.1):
    overall and per column. With R the correlation matrix and Q the partial correlations (from R's inverse,
    a pseudo-inverse if R is singular), KMO = Σ r² / (Σ r² + Σ q²) over the off-diagonal entries: near 1 when
    the columns share common factors, near 0 when they correlate only in pairs. As R tends to the identity
    q → r, so KMO → 0.5; an identity R (no correlation at all, 0/0) scores that limit."""
    values = _values(frame, "kmo")
    r = _correlation(values)
    r[np.abs(r) < _NOISE] = 0.0  # rounding noise of exactly uncorrelated columns, not a correlation
    inverse = np.linalg.pinv(r)
    scale = np.sqrt(np.outer(np.diag(inverse), np.diag(inverse)))
    q = -inverse / scale
    off = ~np.eye(len(r), dtype=bool)
    r2, q2 = np.where(off, r**2, 0.0), np.where(off, q**2, 0.0)
    if r2.sum() + q2.sum() == 0:  # no correlation and no partial correlation: undecided
        return 0.5, pd.Series(0.5, index=values.columns, name="kmo")
    per_column = r2.sum(axis=0) / (r2.sum(axis=0) + q2.sum(axis=0))
    return float(r2.sum() / (r2.sum() + q2.sum())), pd.Series(per_column, index=values.columns, name="kmo")


def bartlett(frame: pd.DataFrame) -> pd.Series:
    """Bartlett's test of sphericity (Bartlett 1950; Handbook 2008, Part 1 §4.1): is the correlation matrix the
    identity? χ² = −(n − 1 − (2k + 5)/6) · ln det R with k(k−1)/2 degrees of freedom; a small p says the
    components are correlated enough to summarise."""
    from scipy import stats  # when used: scipy.stats loads in about a second

    values = _values(frame, "bartlett")
    n, k = values.shape
    sign, logdet = np.linalg.slogdet(_correlation(values))
    chi2 = np.inf if sign <= 0 else -(n - 1 - (2 * k + 5) / 6) * logdet
    df = k * (k - 1) // 2
    return pd.Series({"statistic": float(chi2), "df": df, "p": float(stats.chi2.sf(chi2, df))}, name="bartlett")


def pca(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Principal components of the standardised columns (the correlation matrix; Handbook 2008, Part 1 §4.1):
    loadings (columns × PC1…PCk, eigenvector × √eigenvalue, each component signed so that its loadings sum to
    a positive number) and variance explained (eigenvalue, share, cumulative share) per component."""
    values = _values(frame, "pca")
    eigenvalues, vectors = np.linalg.eigh(_correlation(values))
    order = np.argsort(eigenvalues, kind="stable")[::-1]
    eigenvalues, vectors = np.clip(eigenvalues[order], 0.0, None), vectors[:, order]
    vectors = vectors * np.where(vectors.sum(axis=0) < 0, -1.0, 1.0)
    names = [f"PC{i + 1}" for i in range(len(eigenvalues))]
    loadings = pd.DataFrame(vectors * np.sqrt(eigenvalues), index=values.columns, columns=names)
    share = eigenvalues / eigenvalues.sum()
    variance = pd.DataFrame(
        {"eigenvalue": eigenvalues, "share": share, "cumulative": np.cumsum(share)}, index=pd.Index(names)
    )
    return loadings, variance


LABELLED = ("correlations", "loadings", "variance", "flags")
"""The frames :meth:`Coherence.labelled` gives with labels for ids."""


def summary(frame: pd.DataFrame) -> pd.Series:
    """A set of components in one row: how many, over how many regions, Cronbach's alpha, KMO, Bartlett's
    χ², degrees of freedom and p, and the first principal component's share of the variance."""
    values = _values(frame, "summary")
    test = bartlett(values)
    return pd.Series(
        {
            "components": values.shape[1],
            "regions": len(values),
            "alpha": cronbach_alpha(values),
            "kmo": kmo(values)[0],
            "bartlett_chi2": test["statistic"],
            "bartlett_df": int(test["df"]),
            "bartlett_p": test["p"],
            "pc1_share": pca(values)[1]["share"].iloc[0],
        },
        dtype=object,
    )


@dataclass(frozen=True)
class Coherence:
    """Coherence of every node with two components or more, as tidy frames (one column ``node`` each)."""

    correlations: pd.DataFrame
    summary: pd.DataFrame
    loadings: pd.DataFrame
    variance: pd.DataFrame
    labels: dict = field(default_factory=dict)
    """Each node's and component's label by language, from the scheme: ``{id: {"zh": …, "en": …}}``."""

    def label(self, id: str, lang: str = "zh") -> str:
        """``id``'s label in ``lang`` (the id itself where the scheme gives none)."""
        return self.labels.get(id, {}).get(lang, id)

    def table(self, lang: str = "zh") -> pd.DataFrame:
        """The summary with nodes and headings in ``lang`` (zh or en), as the report's chapter prints it."""
        words.check_lang(lang)
        table = self.summary.assign(node=[self.label(n, lang) for n in self.summary["node"]])
        return table.rename(columns={c: words.word(words.COHERENCE_HEADINGS, c, lang) for c in table})

    def labelled(self, name: str, lang: str = "zh") -> pd.DataFrame:
        """The frame ``name`` (:data:`LABELLED`: correlations, loadings, variance or flags) with every node and
        component id (columns ``node``, ``x``, ``y``, ``component``) replaced by its label in ``lang`` (zh or en);
        the summary in ``lang`` is :meth:`table`."""
        words.check_lang(lang)
        frame = getattr(self, arguments.choice(name, "name", LABELLED))
        ids = [c for c in ("node", "x", "y", "component") if c in frame]
        return frame.assign(**{c: [self.label(i, lang) for i in frame[c]] for c in ids})

    def collinear(self, threshold: float = COLLINEAR) -> pd.DataFrame:
        """The pairs of components of one node that correlate above ``threshold`` (:func:`collinear`)."""
        table = self.correlations
        return _collinear(table[table["y"] != table["node"]], threshold)

    @property
    def flags(self) -> pd.DataFrame:
        """The components that correlate negatively or weakly with their parent (by either coefficient)."""
        return self.correlations[self.correlations["flag"] != ""].reset_index(drop=True)


def coherence(data, scheme: Scheme | None = None, weak: float = WEAK) -> Coherence:
    """Coherence of each node of a study (``data`` a :class:`~livecommerce.study.study.Study`), or of a frame of
    scores (every node and component a column, regions as rows) under ``scheme``: the nodes whose components
    are all in the scores, with two components or more."""
    if isinstance(data, Study):
        scores, scheme = data.scores, data.scheme if scheme is None else as_scheme(scheme)
    else:
        scores, scheme = arguments.frame(data, "data", min_rows=3), as_scheme(scheme)
    rows, corr, loads, variances = [], [], [], []
    for id in scheme.preorder():
        node = scheme.nodes.get(id)
        if node is None or id not in scores or len(node.children) < 2 or not set(node.children) <= set(scores):
            continue
        children = scores[list(node.children)]
        loadings, variance = pca(children)
        corr.append(correlations(children, scores[id].rename(id), weak).assign(node=id))
        rows.append({"node": id, **summary(children)})
        loads.append(loadings.rename_axis("component").reset_index().assign(node=id))
        variances.append(variance.rename_axis("pc").reset_index().assign(node=id))
    if not rows:
        raise DataError(f"no node of scheme {scheme.name!r} has two or more components among the scores' columns")

    def tidy(frames):
        frame = pd.concat(frames, ignore_index=True)
        return frame[["node", *[c for c in frame if c != "node"]]]

    ids = [id for id in scheme.preorder() if id in scores]
    return Coherence(
        correlations=tidy(corr),
        summary=pd.DataFrame(rows),
        loadings=tidy(loads),
        variance=tidy(variances),
        labels={id: {lang: scheme.label(id, lang) for lang in LANGS} for id in ids},
    )
