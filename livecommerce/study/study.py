"""One index study, built and validated once (COINr's "coin"): a level, its data and scheme, every node's
scores, the weights each node used and the method that gave them, ranks by the report's rule and a log of
every step. Notebooks, plots and analyses read from it instead of loading and deciding again.

>>> s = Study.build("province")                      # the report's published numbers
>>> s.table(4)                                       # 表4 in the report's layout
>>> s.reweight({"people": {"activity": 1 / 3, "sales": 1 / 3, "influence": 1 / 3}}).frame()
"""

import numbers
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from livecommerce import arguments, words
from livecommerce.data.panel import load_panel
from livecommerce.data.published import load_index, load_table
from livecommerce.data.regions import RegionSet, display_names, region_set, resolve
from livecommerce.errors import ParameterError, RegionError
from livecommerce.index import model as models
from livecommerce.index.compose import prepare, weights_table
from livecommerce.index.edit import edit
from livecommerce.index.impute import check_missing, check_screening, fill_missing, gaps, gaps_note
from livecommerce.index.ranking import rank, rank_within, year_over_year
from livecommerce.index.scheme import DEFAULT_VARIANT, Scheme, load_scheme
from livecommerce.records.read import Records
from livecommerce.study.profile import PEERS, STRENGTHS, TIER, Profile
from livecommerce.study.profile import build as build_profile
from livecommerce.study.records import RecordPanels, record_panels
from livecommerce.vocab import CHANGE_COLUMNS, INDEX_TABLES, LANGS, PRINTED_DECIMALS, RANKED, SUB_INDICES

__all__ = ["Study", "ranked_measures"]


@dataclass(frozen=True)
class Study:
    """A region set's index under a scheme: inputs with provenance, every score, the weights used, and the log.

    ``level`` names the region set (``province``, ``county:510000``, a user registry's name), ``region_set`` holds
    its regions (:func:`livecommerce.data.regions.region_set`).
    ``scores`` holds every leaf and node by region (for the published data without a scheme, ``overall``
    and ``people`` are the report's own numbers); ``weights`` one row per (node, child) with the weight
    and the method that gave it; ``log`` one entry per step, in order.
    """

    level: str
    scheme: Scheme
    source: dict
    inputs: pd.DataFrame
    scores: pd.DataFrame
    weights: pd.DataFrame
    log: tuple[dict, ...]
    parameters: dict
    nominal: models.Model
    published: pd.DataFrame | None = None
    previous: pd.DataFrame | None = None
    region_set: RegionSet | None = None
    raw: pd.DataFrame | None = None
    """A raw panel's indicators as read, before any empty cell was handled (what :meth:`rebuild` starts from)."""
    records: RecordPanels | None = None
    """A study of records: the raw panel under each definition variant (:meth:`rebuild` switches between them)."""

    @classmethod
    def build(
        cls,
        level,
        data: "str | Path | pd.DataFrame | Records | RecordPanels" = "published",
        scheme: Scheme | str | Path | None = None,
        missing: str = "error",
        coverage: float = 0.0,
        screen: str = "flag",
        seed: int = 0,
        registry=None,
        variant: str = DEFAULT_VARIANT,
    ) -> "Study":
        """Build a study: ``data`` is ``"published"`` (the report's sub-indices), a raw panel file, a frame
        of raw indicators indexed by region id, or records (:func:`livecommerce.records.read.read_records`; or their
        panels, :func:`livecommerce.study.records.record_panels`), every indicator computed from them by its record
        definition, or by its definition ``variant`` (a name of ``scheme.variants``); ``scheme`` a scheme or its file
        (the report's by default); ``missing`` the empty-cell policy of a raw panel
        (:data:`livecommerce.index.impute.MISSING`), after coverage screening (regions with less than ``coverage`` of
        their indicators filled in are flagged or dropped, ``screen``); ``seed`` the seed of a random imputation
        (``mice``). See :func:`livecommerce.index.impute.fill_missing`. ``level`` is the region set
        (:func:`livecommerce.data.regions.region_set`: ``province``, ``county:510000`` …; with ``registry``, a user
        registry file's regions); the published data are the report's three named sets only."""
        chosen = region_set(level, registry)
        level = chosen.level
        check_missing(missing)
        check_screening(coverage, screen, seed)
        given = scheme
        scheme = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)
        scheme = scheme.for_regions(chosen)  # a denominator file's names are the set's regions
        parameters = {
            "level": level,
            "data": data if isinstance(data, str) else str(data),
            "scheme": scheme.source,
            "missing": missing,
            "coverage": coverage,
            "screen": screen,
            "seed": seed,
        }
        if chosen.registry != "national":
            parameters["registry"] = chosen.registry
        if isinstance(data, (Records, RecordPanels)):
            return cls._from_records(chosen, scheme, data, variant, parameters)
        if variant != DEFAULT_VARIANT:
            raise ParameterError(f"variant={variant!r}: a definition variant needs records (data=read_records(…))")
        if isinstance(data, pd.DataFrame):
            _check_ids(data, chosen)
            frame = fill_missing(data.copy(), missing, "data", coverage, screen, seed, chosen)
            loaded = data.attrs.get("missing")
            if loaded and (loaded["cells"] or loaded["dropped"]) and not data.isna().any().any():
                frame.attrs["missing"] = loaded  # filled by fill_missing before: keep what was done
            read = data.attrs.get("source")  # a panel read from a file (load_panel) keeps its provenance
            parameters["data"] = str(read["path"]) if read else "DataFrame"
            source = {"kind": "panel", **read} if read else {"kind": "frame"}
            return cls._from_panel(chosen, scheme, frame, source, parameters, data.copy())
        if not isinstance(data, (str, Path)):
            raise ParameterError(
                f"data must be 'published', a panel file, a DataFrame or records, got {type(data).__name__}"
            )
        if str(data) != "published":
            raw = load_panel(data, scheme, chosen, empty=missing != "error")
            frame = fill_missing(raw.copy(), missing, data, coverage, screen, seed, chosen)
            return cls._from_panel(chosen, scheme, frame, {"kind": "panel", **frame.attrs["source"]}, parameters, raw)
        if not chosen.named or len(chosen) != len(region_set(level)):
            raise ParameterError(
                f"level={level!r}: the published data are the report's sets province, city and prefecture, whole; "
                "give a panel (data=…) for another region set"
            )
        published = load_index(level)
        nominal = models.from_published(level, scheme)
        scores = nominal.node_scores()
        log = [{"step": "data", "source": "published", "tables": sorted(INDEX_TABLES[level])}]
        if given is None:  # the report's own overall and 人, not the scheme's approximation of them
            scores[["overall", "people"]] = published[["overall", "people"]]
            log.append({"step": "scores", "note": "overall and people as published; the scheme weights analyses"})
        weights = _weights(nominal)
        return cls(
            level=level,
            scheme=scheme,
            source={"kind": "published"},
            inputs=published[list(SUB_INDICES)],
            scores=scores,
            weights=weights,
            log=(*log, _weights_entry(weights), _aggregate_entry(nominal)),
            parameters=parameters,
            nominal=nominal,
            published=published,
            region_set=chosen,
        )

    @classmethod
    def _from_records(cls, chosen, scheme, data, variant, parameters) -> "Study":
        """A study of ``data``'s panel of the region set under ``variant``, the other variants' panels kept."""
        panels = record_panels(data, scheme, chosen) if isinstance(data, Records) else data
        if panels.level != chosen.level:
            raise ParameterError(f"data: the record panels are of level {panels.level!r}, not {chosen.level!r}")
        arguments.choice(variant, "variant", tuple(panels.panels))
        raw = panels.panels[variant]
        p = {**parameters, "data": panels.folder, "variant": variant}
        frame = fill_missing(raw.copy(), p["missing"], p["data"], p["coverage"], p["screen"], p["seed"], chosen)
        source = {"kind": "records", **panels.provenance, "variant": variant}
        return replace(cls._from_panel(chosen, scheme, frame, source, p, raw), records=panels)

    @classmethod
    def _from_panel(cls, chosen, scheme, frame, source, parameters, raw) -> "Study":
        nominal = models.from_panel(frame, scheme, names=chosen.regions["name"])
        record = frame.attrs["missing"]
        _, treated = prepare(frame, scheme)
        weights = _weights(nominal)
        log = (
            {"step": "data", **source, "regions": len(frame)},
            {"step": "missing", **record},
            {
                "step": "denominate",
                "indicators": {id: i.denominator for id, i in scheme.indicators.items() if i.denominator},
                "denominators": {
                    id: {"path": d.path, "unit": d.unit, "source": d.source} for id, d in scheme.denominators.items()
                },
            },
            {"step": "transform", "indicators": {id: i.transform for id, i in scheme.indicators.items()}},
            {
                "step": "treat",
                "treatments": {
                    id: i.treatment for id, i in scheme.indicators.items() if i.treatment["method"] != "none"
                },
                "points": treated.to_dict("records"),
            },
            _normalise_entry(scheme),
            _weights_entry(weights),
            _aggregate_entry(nominal),
        )
        return cls(
            level=chosen.level,
            scheme=scheme,
            source=source,
            inputs=frame,
            scores=nominal.node_scores(),
            weights=weights,
            log=log,
            parameters=parameters,
            nominal=nominal,
            region_set=chosen,
            raw=raw,
        )

    def rebuild(
        self, missing=None, treat=None, denominators=None, drop=(), normalisation=None, aggregation=None, variant=None
    ) -> "Study":
        """This study built again from its raw panel with some choices changed (COINr's "edit the log,
        regenerate"), the others as they were: ``missing`` the empty-cell policy
        (:data:`livecommerce.index.impute.MISSING` or a group policy; the study's region set groups, and its coverage
        screening and seed stay); ``treat``, ``denominators``, ``drop`` (indicators left out), ``normalisation`` and
        ``aggregation`` as :func:`livecommerce.index.edit.edit` takes them; ``variant``, for a study of records, the
        definition variant whose panel it starts from. With no change it equals this study. A previous edition is
        kept; reweighting is not replayed."""
        if self.raw is None:
            raise ParameterError("rebuild needs a study of a raw panel (the published data have no choices to redo)")
        p = self.parameters
        source, raw = self.source, self.raw
        if variant is not None:
            if self.records is None:
                raise ParameterError(f"variant={variant!r}: only a study of records has definition variants")
            arguments.choice(variant, "variant", tuple(self.records.panels))
            source, raw, p = {**source, "variant": variant}, self.records.panels[variant], {**p, "variant": variant}
        missing = self.parameters["missing"] if missing is None else check_missing(missing)
        scheme = edit(self.scheme, treat, denominators, drop, normalisation, aggregation)
        raw = raw.drop(columns=[c for c in raw if c in self.scheme.indicators and c not in scheme.indicators])
        if missing == "error" and raw.isna().any().any():
            raise ParameterError("missing='error': the panel has empty cells; choose a policy that handles them")
        frame = fill_missing(raw.copy(), missing, p["data"], p["coverage"], p["screen"], p["seed"], self.members)
        changed = {**p, "missing": missing}
        rebuilt = replace(Study._from_panel(self.members, scheme, frame, source, changed, raw), records=self.records)
        return rebuilt if self.previous is None else rebuilt.since(self.previous, self.previous_edition)

    # --- what a study gives -------------------------------------------------------------------------------

    @property
    def regions(self) -> pd.Index:
        return self.scores.index

    @property
    def members(self) -> RegionSet:
        """The region set the study scores (its registry: names, parents, groups)."""
        return self.region_set if self.region_set is not None else region_set(self.level)

    @property
    def index_tables(self) -> dict[int, tuple[str, ...]]:
        """The index tables the study prints, by number (:attr:`RegionSet.index_tables
        <livecommerce.data.regions.RegionSet.index_tables>`)."""
        return self.members.index_tables

    def ranks(self) -> pd.DataFrame:
        """Every node's rank by the report's rule (1 the best, ties share the best rank)."""
        nodes = [n for n in self.scores if n in self.scheme.nodes or n in SUB_INDICES]
        return pd.DataFrame({n: rank(self.scores[n]) for n in nodes})

    def node_weights(self, node: str) -> pd.Series:
        """The weights ``node`` gave its children, by child."""
        rows = self.weights[self.weights["node"] == node] if isinstance(node, str) else self.weights.iloc[:0]
        if rows.empty:
            raise ParameterError(f"node={node!r} is not a node of scheme {self.scheme.name!r}")
        return pd.Series(rows["weight"].to_numpy(), index=rows["child"].to_numpy(), name=node)

    def model(self, methods=("nominal",)) -> models.Model:
        """The sensitivity model of this study, with the weights it uses and every weighting method of ``methods``."""
        return models.with_methods(self.nominal, methods)

    def frame(self) -> pd.DataFrame:
        """The level's index in :func:`livecommerce.data.published.load_index`'s layout, ordered by overall score:
        names,
        every measure, the ranked measures' ranks (and the published growth and rank change, where printed)."""
        out = pd.DataFrame(
            {"name_zh": self._names("zh"), "name_en": self._names("en")},
            index=self.regions,
        )
        out = out.join(self.scores[[m for m in ("overall", "people", *SUB_INDICES) if m in self.scores]])
        for measure in (m for m in RANKED if m in out):
            out[f"{measure}_rank"] = rank(out[measure])
        if self.as_printed("overall"):
            out = out.join(self.published[[c for c in ("rank_change", "yoy_growth") if c in self.published]])
        elif self.previous is not None:
            out = out.join(self._changes("overall")[["rank_change", "yoy_growth"]])
        return out.sort_values(["overall", "overall_rank"], ascending=[False, True], kind="stable")

    def _names(self, lang: str) -> pd.Series:
        """The display names of the study's regions in ``lang``, by region id."""
        return pd.Series(display_names(self.regions, lang, self.members), index=self.regions)

    def table(self, number: int, within: str | None = None) -> pd.DataFrame:
        """表``number`` (1–9, 13–15) in the report's layout: as printed where the study's scores are the
        published ones; else its own scores rounded as the report prints them (two decimals), ranked by its
        rule, with the growth and rank change the report prints in that table (表1: 同比增长 and 位次变化,
        表2–3: 位次变化) against the previous edition if the study has one (:meth:`since`); a region new in
        this edition has neither. ``within`` (a group column of the study's registry: ``province_id``,
        ``parent_id``, ``macro_region``, a user's) adds each region's ``group`` and its rank there,
        ``rank_within``."""
        tables = ", ".join(map(str, self.index_tables))
        if isinstance(number, bool) or not isinstance(number, numbers.Integral):
            raise ParameterError(f"number: expected a table number ({tables}), got {type(number).__name__}")
        measures = self.index_tables.get(number)
        if measures is None:
            raise ParameterError(f"table={number!r} is not an index table of level {self.level!r} ({tables})")
        if within is not None:
            groups = self.groups(within)
        if self.as_printed(measures[0]) and within is None:
            return load_table(number)
        scores = self.scores[list(measures)].round(PRINTED_DECIMALS)
        table = pd.DataFrame(
            {
                "table": number,
                "level": self.level,
                "rank": rank(scores[measures[0]]),
                "region": self._names("zh"),
            }
        ).join(scores)
        changes = list(CHANGE_COLUMNS.get(number, ())) if self.previous is not None else []
        if changes:
            table = table.join(self._changes(measures[0])[changes])
        grouped = []
        if within is not None:
            table["group"], table["rank_within"] = groups, rank_within(scores[measures[0]], groups)
            grouped = ["group", "rank_within"]
        table = table.rename_axis("region_id").reset_index()
        return (
            table[["table", "level", "rank", "region_id", "region", *measures, *changes, *grouped]]
            .sort_values(["rank", "region_id"], kind="stable")
            .reset_index(drop=True)
        )

    def groups(self, column: str) -> pd.Series:
        """Each region's group by ``column`` of the study's registry (``macro_region``, ``parent_id``,
        ``province_id``, ``prefecture_id``, a user registry's group column), by region id."""
        arguments.choice(column, "within", self.members.groups)
        return self.members.regions[column].reindex(self.regions).rename(column)

    def since(self, previous: "pd.DataFrame | Study", edition: str = "") -> "Study":
        """This study with a previous edition to compare with: a Study of the same level, or a frame of its
        ranked measures by region id (:func:`livecommerce.study.compare.load_previous` reads one from the published
        2023 tables or a previous run's output folder); ``edition`` names it in the log ("2023" for the
        published report, whose overall index is not a weighted mean: the tables then say the series breaks)."""
        arguments.string(edition, "edition")
        previous = ranked_measures(previous, self.level)
        entry = {"step": "previous", "measures": [m for m in RANKED if m in previous], "regions": len(previous)}
        entry["edition"] = edition
        return replace(self, previous=previous, log=(*self.log, entry))

    @property
    def previous_edition(self) -> str:
        """The previous edition's name as :meth:`since` was given it ("" if none or unnamed)."""
        return next((e["edition"] for e in reversed(self.log) if e["step"] == "previous"), "")

    def gone(self) -> pd.Index:
        """The regions of the previous edition that this study does not have (no rank, growth or change)."""
        return pd.Index([]) if self.previous is None else self.previous.index.difference(self.regions)

    def _changes(self, measure: str) -> pd.DataFrame:
        """Growth (``yoy_growth``) and rank change of ``measure`` against the previous edition (:meth:`compare`, as
        printed), by region of this study."""
        changes = self.compare(self.previous, measure)
        return changes.rename(columns={"growth": "yoy_growth"}).reindex(self.regions)

    def profile(self, region: str, n: int = STRENGTHS, peers: int = PEERS, tier: int = TIER) -> Profile:
        """A region's profile, by name (四川) or code (510000): its score, rank, weight, contribution and share of
        its parent at every node and component, its ``n`` strongest and weakest components of one ``tier`` (1:
        the indicators, or the sub-indices of the published data; 2: the nodes above them …) by rank among the
        level's regions, and its ``peers`` nearest regions (see :func:`livecommerce.study.profile.build`)."""
        region_id = resolve(region, self.members)
        if region_id not in self.regions:
            raise ParameterError(f"region={region!r} ({region_id}) is not in this study (dropped, or not in its data)")
        order = [i for i in self.scheme.preorder() if i in self.scores]
        names = self._names("zh")
        return build_profile(
            region_id,
            names[region_id],
            self.level,
            self.scores,
            pd.DataFrame({i: rank(self.scores[i]) for i in order}),
            self.weights,
            {node.id: node.aggregation for node in self.nominal.nodes},
            order,
            list(self.nominal.leaves),
            n,
            peers,
            names,
            {i: {lang: self.scheme.label(i, lang) for lang in LANGS} for i in order},
            tier,
        )

    def gaps(self, lang: str | None = None) -> pd.DataFrame:
        """Every region of the study's panel that had an empty cell: its share of indicators filled in, its share of
        imputed indicators, whether it fell below the coverage threshold and whether it was dropped
        (:func:`livecommerce.index.impute.gaps`, from the log); with ``lang`` (zh or en), the region's name beside its
        id and the headings in that language. Empty for the published data."""
        table = gaps(self._missing())
        if lang is None:
            return table
        table = table.assign(region=display_names(table.index, lang, self.members))[["region", *table.columns]]
        return table.rename(columns={c: words.word(words.GAP_HEADINGS, c, lang) for c in table})

    def gaps_note(self, lang: str = "zh") -> str:
        """One sentence in ``lang`` on the study's empty cells: how many regions had them and how they were handled,
        the largest imputed share, and the regions below the coverage threshold
        (:func:`livecommerce.index.impute.gaps_note`)."""
        ids = self.members.ids
        return gaps_note(self._missing(), lang, dict(zip(ids, display_names(ids, lang, self.members))))

    def _missing(self) -> dict:
        """The log's record of the empty cells (none for the published data)."""
        entry = next((e for e in self.log if e["step"] == "missing"), None)
        if entry is None:
            threshold = self.parameters.get("coverage", 0.0)
            screen = self.parameters.get("screen", "flag")
            entry = {
                "policy": self.parameters.get("missing", "error"),
                "cells": [],
                "dropped": [],
                "imputed_share": {},
                "coverage": {"threshold": threshold, "action": screen, "regions": {}},
                "available": {},
            }
        return {k: v for k, v in entry.items() if k != "step"}

    def compare(
        self, previous: "pd.DataFrame | Study", measure: str = "overall", decimals: int | None = PRINTED_DECIMALS
    ) -> pd.DataFrame:
        """Year on year against ``previous`` (a study of the same level, or a frame of its ranked measures by region
        id, as :meth:`since` takes): ``value`` and ``rank`` in both, growth (value / previous − 1), rank change
        (previous rank − rank, the report's ↑) and its mark (↑n, ↓n, →; 新 and — for regions in one edition only,
        which get no growth or change; :func:`livecommerce.index.ranking.year_over_year`). Both editions' values are
        rounded to ``decimals`` first, as the report prints them, so that growth, ranks and arrows agree with the
        printed values (None: unrounded)."""
        previous = ranked_measures(previous, self.level)
        arguments.optional(arguments.integer, decimals, "decimals", 0)
        arguments.choice(measure, "measure", [m for m in RANKED if m in self.scores])
        if measure not in previous:
            raise ParameterError(f"the previous edition has no {measure!r} to compare with")
        now, then = self.scores[measure], previous[measure]
        if decimals is not None:
            now, then = now.round(decimals), then.round(decimals)
        return year_over_year(now, then)

    def reweight(self, weights: dict) -> "Study":
        """A what-if copy with other weights at some nodes, given by name: ``{node: {child: weight}}``."""
        nominal = replace(self.nominal, weights=models.named_weights(self.nominal, weights, "weights"))
        scores = nominal.node_scores()
        entry = {"step": "reweight", "weights": {n: dict(w) for n, w in weights.items()}}
        return replace(
            self,
            nominal=nominal,
            scores=scores,
            weights=_weights(nominal, set(weights)),
            log=(*self.log, entry),
        )

    def against_published(self, measure: str = "overall") -> pd.DataFrame:
        """How the study's own model (its ``nominal`` scheme weights, the centre of every sensitivity
        analysis) scores and ranks ``measure`` against the report's printed numbers, by region in
        published order; ``moved`` marks a region whose rank differs. Only for the published data."""
        if self.published is None:
            raise ParameterError("against_published needs a study of the published data")
        arguments.choice(measure, "measure", RANKED)
        model = self.nominal.node_scores()[measure]
        out = pd.DataFrame(
            {
                "published": self.published[measure],
                "published_rank": rank(self.published[measure]),
                "model": model,
                "model_rank": rank(model),
            }
        )
        out["moved"] = out["model_rank"] != out["published_rank"]
        return out.sort_values(["published_rank", "model_rank"], kind="stable")

    def as_printed(self, measure: str) -> bool:
        """Whether the study's ``measure`` holds the report's published numbers unchanged (then :meth:`table`
        gives the report's own tables)."""
        return self.published is not None and self.scores[measure].equals(self.published[measure])


def ranked_measures(previous: "pd.DataFrame | Study", level: str) -> pd.DataFrame:
    """A previous edition's ranked measures of ``level`` by region: a :class:`Study` of that level, or a frame
    with one column of :data:`RANKED` or more (as :func:`livecommerce.study.compare.load_previous` reads one)."""
    if isinstance(previous, Study):
        if previous.level != level:
            raise ParameterError(f"previous is a study of level {previous.level!r}, not {level!r}")
        return previous.scores[[m for m in RANKED if m in previous.scores]]
    if not isinstance(previous, pd.DataFrame) or not set(previous.columns) & set(RANKED):
        raise ParameterError(f"previous must be a Study or a frame with a column of {', '.join(RANKED)}")
    return previous


def _check_ids(data: pd.DataFrame, chosen: RegionSet) -> None:
    """Refuse a frame of raw indicators with no region, or with an index entry that is not a region id of the
    region set (a name, or an id of another level: :func:`livecommerce.data.regions.resolve` turns names into
    ids)."""
    if data.empty:
        raise ParameterError("data: the frame has no region (row) or no indicator (column)")
    unknown = data.index.difference(chosen.ids, sort=False)
    if len(unknown):
        raise RegionError(
            f"data: {', '.join(map(repr, unknown[:5]))}{' …' if len(unknown) > 5 else ''} "
            f"{'is not a region id' if len(unknown) == 1 else 'are not region ids'} of level {chosen.level!r} "
            f"(the frame's index must hold the registry's ids, e.g. {chosen.ids[0]!r})"
        )


def _weights(nominal: models.Model, edited: set = frozenset()) -> pd.DataFrame:
    """The weights each node of the study's model used (:func:`livecommerce.index.weights_table`)."""
    return weights_table(nominal.nodes, nominal.weights, edited)


def _weights_entry(weights: pd.DataFrame) -> dict:
    """The log's record of the weights: each node's method, and an AHP node's consistency ratio."""
    nodes = {}
    for node, rows in weights.groupby("node", sort=False):
        nodes[node] = {"method": rows["method"].iloc[0]}
        if rows["cr"].notna().any():
            nodes[node]["cr"] = float(rows["cr"].iloc[0])
    return {"step": "weights", "nodes": nodes}


def _aggregate_entry(nominal: models.Model) -> dict:
    """The log's record of how each node combined its children (its aggregation, with its options where it has
    any), root last."""
    return {
        "step": "aggregate",
        "nodes": {
            node.id: {"method": node.aggregation, **node.options} if node.options else node.aggregation
            for node in nominal.nodes
        },
    }


def _normalise_entry(scheme) -> dict:
    """The log's record of the normalisation: the scheme's, and each indicator's own where it has one."""
    own = {id: i.normalisation for id, i in scheme.indicators.items() if i.normalisation is not None}
    return {"step": "normalise", **scheme.normalisation, **({"indicators": own} if own else {})}
