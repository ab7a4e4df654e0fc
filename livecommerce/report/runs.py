"""One report run (:class:`Run`): its parameters checked once, its inputs read once, one study per level, its
language, and the writers of its tables, figures and notes.

The command line and :func:`livecommerce.report.runs` build a run; the runner writes its parameters as checked to
``run.json`` in the staging folder, and every chapter notebook takes that file as its one parameter
(:meth:`Run.open`), so a kernel neither checks nor decides again; the printed document is assembled from the
runner's own run. A run file is data (JSON), never code: opening one checks it as the command line would.

>>> run = Run.build(Parameters(level="province", lang="en", output_dir="out"))
>>> run.study("province").table(1)
>>> run.figure(plots.ranked(run.study("province").frame(), lang=run.lang), "table01_ranked", ...)
"""

import json
import os
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython import get_ipython
from IPython.display import Image, display
from PIL import Image as PILImage

from livecommerce import arguments, words
from livecommerce.analysis.sensitivity.uncertainty import Uncertainty
from livecommerce.data.edition import EditionInputs, Metadata, given_metadata, load_inputs, report_metadata
from livecommerce.data.export import write_table
from livecommerce.data.facts import facts_in_language
from livecommerce.data.io import atomic_path, file_version, refuse_links
from livecommerce.data.panel import load_panel
from livecommerce.data.published import chapter_facts, load_facts, load_table
from livecommerce.data.regions import RegionSet, region_set
from livecommerce.errors import DataError, ParameterError
from livecommerce.index.scheme import Scheme, load_scheme
from livecommerce.plots import sources
from livecommerce.plots.save import DPI, png, save
from livecommerce.publish import claims
from livecommerce.publish import text as section_text
from livecommerce.records.read import read_records
from livecommerce.report.outputs import STAGING, add_to_manifest
from livecommerce.report.parameters import OPTIONAL, PARAMETERS, Parameters, check, checked, one_set
from livecommerce.study.compare import load_previous
from livecommerce.study.records import RecordPanels, record_panels
from livecommerce.study.study import Study
from livecommerce.vocab import (
    INDEX_TABLES,
    LEVELS,
    PEOPLE_COMPONENTS,
    PILLARS,
    PUBLISHED_EDITION,
    TOP5_TABLES,
)

RUN_FILE = "run.json"
"""The run as checked, in the folder its notebooks run in (the runner's staging folder)."""
RECORD_PANELS = "record_panels.json"
"""Beside the run file of a run of records: each level's record panels as the run computed them (JSON), which
:meth:`Run.open` reads instead of the records."""
NEEDED_NODES = {"overall": PILLARS, "people": PEOPLE_COMPONENTS}
"""The nodes (and their children) the notebooks draw: 人/货/场 under the index, 人's three sub-indices."""
PRINTED_TABLES = ("overall", "people", "goods", "venue")
"""The measures of a level's printed tables (表1–9, 13–15), whose numbers a figure drawn from all of them cites."""
FOCUS = {"province": "510000", "city": "510100", "prefecture": "510100"}
"""The region of each level shown on its own (unit profile, tornado): 四川, 成都, 成都."""
UNCERTAINTY = Uncertainty(
    concentration=100, methods={"nominal": 0.6, "equal": 0.1, "entropy": 0.1, "critic": 0.1, "pca": 0.1}
)
"""What varies in the uncertainty analysis (notebook 07) and the edition's appendix states: Dirichlet weights
around the nominal ones, and the weighting method drawn with these probabilities."""
SOBOL_RESAMPLES = 99
"""Bootstrap resamples of the Sobol' intervals in notebook 07."""


@dataclass(frozen=True)
class Run:
    """A checked run: its ``parameters`` (every path absolute), the ``scheme`` read once, the raw panel, the
    edition's inputs or the record panels of each level (:class:`livecommerce.study.records.RecordPanels`) read once
    (``inputs``), and the folder its writers write to (``output``). Studies are built on
    first use, one per level, and kept: ask :meth:`study` as often as needed."""

    parameters: Parameters
    scheme: Scheme
    inputs: pd.DataFrame | EditionInputs | dict | None
    output: Path
    uncertainty: Uncertainty = UNCERTAINTY
    sobol_resamples: int = SOBOL_RESAMPLES
    _studies: dict = field(default_factory=dict, repr=False, compare=False)

    # --- building and opening -------------------------------------------------------------------------------

    @classmethod
    def build(cls, parameters: Parameters | None = None, notebooks=(), output: Path | str | None = None) -> "Run":
        """Check ``parameters`` (the defaults if None) and read the inputs: a bad value, a scheme the notebooks
        cannot use, an edition's section text that is not one or that states a rank or value its tables deny
        (:mod:`livecommerce.publish.claims`, once the studies are built), too many draws for the memory the
        ``notebooks`` (names; none: the memory check of notebook 07 is skipped) may use, or an output folder that
        may not be replaced is an error here, before anything runs. Every path is made absolute against the
        caller's folder. The writers write to ``output`` (the checked output folder by default)."""
        if parameters is None:
            parameters = Parameters()
        p = check(parameters, notebooks)
        scheme = load_scheme(p.scheme or None)
        _check_nodes(scheme)
        inputs = _read(p, scheme)
        text = edition_text(p.edition, p.lang) if p.edition else None
        if text:  # its section texts checked (never run) now, not when the document is assembled at the end
            section_text.read(p.lang, text)
        run = cls(p, scheme, inputs, Path(output) if output is not None else Path(p.output_dir))
        for level in run.levels:  # the published sub-indices weighted by the scheme, each previous edition read
            run.study(level)
        if text and all(run.region_set(level).named for level in run.levels):  # prose must not deny the tables:
            claims.check(section_text.own_sources(p.lang, text), run.index_tables(), p.lang)  # before any notebook
        return run

    @classmethod
    def open(cls, run: "str | Path | Run" = "") -> "Run":
        """The run a notebook takes: a :class:`Run` as it is; the path of a run file (``run.json``, which the runner
        writes in the output folder; a notebook finds it at ``../run.json``), whose writers write to the folder
        holding it; or ``""``: the report's
        defaults, written to the default output folder. The run file of a runner's staging folder gives the same
        run each time in a process while the files it reads are unchanged (a kernel's notebooks share its inputs and
        studies); any other is read again."""
        if isinstance(run, Run):
            return run
        if not str(run):
            return cls.build()
        path = Path(os.path.abspath(arguments.path(run, "run")))  # the folder its writers write to, not ".."
        try:
            given = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataError(f"{path}: not a run file ({exc})") from None
        required = sorted(set(PARAMETERS) - set(OPTIONAL))
        if not isinstance(given, dict) or not set(required) <= set(given) <= set(PARAMETERS):
            raise DataError(f"{path}: a run file holds exactly {', '.join(required)} ({', '.join(OPTIONAL)} if given)")
        if isinstance(given.get("period"), list):
            given["period"] = tuple(given["period"])
        p = replace(checked(Parameters(**given)), output_dir=str(path.parent))
        scheme = load_scheme(p.scheme or None)
        if path.parent.name.endswith(STAGING):  # a runner's run: its notebooks in one kernel share what it read
            return _staged(p, _versions(p, scheme))
        return cls._opened(p, scheme)

    @classmethod
    def _opened(cls, p: Parameters, scheme: Scheme) -> "Run":
        """The run of parameters ``p`` (checked) and ``scheme``, its inputs read (a run of records: the panels its
        runner stored beside the run file, if they were read as ``p`` reads them)."""
        stored = Path(p.output_dir) / RECORD_PANELS
        inputs = (_stored_panels(stored, p) if p.records and stored.is_file() else None) or _read(p, scheme)
        return cls(p, scheme, inputs, Path(p.output_dir))

    def store(self, folder: Path) -> Path:
        """Write the run's parameters, as checked, to ``folder/run.json`` (atomically; its output folder is the folder
        the file is in); return its path."""
        path = refuse_links(Path(folder) / RUN_FILE)
        with atomic_path(path) as tmp:
            # the output folder is the one the file is in: not written, so that the same run writes the same bytes;
            # an optional parameter at its default is left out (OPTIONAL)
            default = Parameters()
            given = {
                k: v
                for k, v in asdict(replace(self.parameters, output_dir="")).items()
                if k not in OPTIONAL or v != getattr(default, k)
            }
            tmp.write_text(json.dumps(given, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if isinstance(self.inputs, dict):  # the record panels, so that the run's kernels do not read the records again
            with atomic_path(refuse_links(Path(folder) / RECORD_PANELS)) as tmp:
                levels = {level: _panels_data(panels) for level, panels in self.inputs.items()}
                stored = {"read": _read_as(self.parameters), "levels": levels}
                tmp.write_text(json.dumps(stored, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    def writing_to(self, output: Path) -> "Run":
        """The same run (its studies too), its writers writing to ``output``."""
        return replace(self, output=Path(output), _studies=self._studies)

    # --- what the notebooks ask for ------------------------------------------------------------------------

    @property
    def lang(self) -> str:
        """The language of every word the run prints (``zh`` or ``en``)."""
        return self.parameters.lang

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels the run covers: all three named sets, or one region set (by its name)."""
        chosen = one_set(self.parameters)
        return LEVELS if chosen is None else (chosen.level,)

    def region_set(self, level: str | None = None) -> RegionSet:
        """The region set of ``level`` (the run's one set by default): with the run's ``registry``, a user's."""
        level = self.parameters.level if level is None else level
        return region_set(level, self.parameters.registry or None)

    @property
    def edition(self) -> EditionInputs | None:
        """The edition's inputs, if the run has an edition."""
        return self.inputs if isinstance(self.inputs, EditionInputs) else None

    @property
    def label(self) -> str:
        """The label every page, table and figure of the run carries: SYNTHETIC for a synthetic edition, records or
        raw panel (as a file or folder name says: ``SYNTHETIC_2023/``, ``synthetic_panel_province_2023.csv``)."""
        if self.edition is not None:
            return "SYNTHETIC" if self.edition.synthetic else ""
        if self.inputs is None:
            return ""
        panels = self.inputs.values() if isinstance(self.inputs, dict) else ()  # the record files' names too
        files = [f for each in panels for table in each.provenance["files"].values() for f in table]
        names = [self.parameters.records or self.parameters.data, *files]
        return "SYNTHETIC" if any("synthetic" in Path(name).name.lower() for name in names) else ""

    @property
    def metadata(self) -> Metadata:
        """The front matter of what the run prints, in its language: the edition's, each field it leaves out
        defaulted from its year; for records or a raw panel, their own (:func:`given_metadata`: the period's year,
        the data given as provider, never the 2023 report's 委托单位, authors or provider); or the 2023 report's."""
        if self.edition is not None:
            return self.edition.metadata.completed(self.lang)
        if self.inputs is None:
            return report_metadata(self.lang)
        p = self.parameters
        if p.records:
            given = given_metadata(words.text("records_provider", self.lang), self.lang, p.period)
        else:
            given = given_metadata(words.text("raw_panel", self.lang), self.lang, name=Path(p.data).name)
        return given.completed(self.lang)

    def unrewritten(self) -> dict[str, int]:
        """The section files of the run's text written for another edition than its own, with their edition: the
        document marks them or leaves them out, as the edition's metadata choose (none for a region set other
        than the report's three: its document prints no section text)."""
        if not all(self.region_set(level).named for level in self.levels):
            return {}
        text = edition_text(self.parameters.edition, self.lang) if self.parameters.edition else None
        return section_text.unrewritten(self.lang, text, self.metadata.year, self.metadata.given_data)

    def unrewritten_claims(self) -> list[str]:
        """What the sections written for another edition (:meth:`unrewritten`) state of ranks and values that this
        edition's tables deny (:mod:`livecommerce.publish.claims`): none if they are left out; printed with a
        marker, they are listed, not refused."""
        stale = self.unrewritten()
        if not stale or self.metadata.unrewritten == "omit":
            return []
        text = edition_text(self.parameters.edition, self.lang) if self.parameters.edition else None
        files = [(path, source) for path, source in section_text.sources(self.lang, text) if path.name in stale]
        return claims.contradictions(files, self.index_tables(), self.lang)

    def index_tables(self) -> dict[int, pd.DataFrame]:
        """The run's index tables by number (:meth:`Study.table`), every level's."""
        return {n: study.table(n) for study in map(self.study, self.levels) for n in study.index_tables}

    def study(self, level: str) -> Study:
        """The run's study of ``level``: the published data, the raw panel or the edition's panel of the level,
        under the run's scheme, compared with the previous edition if the run has one; built once."""
        if level not in self.levels:
            raise ParameterError(f"level={level!r} is not a level of this run ({', '.join(self.levels)})")
        if level not in self._studies:
            self._studies[level] = self._build(level)
        return self._studies[level]

    def _build(self, level: str) -> Study:
        p = self.parameters
        screening = {"coverage": p.coverage, "screen": p.screen, "seed": p.seed}
        scheme = self.scheme if p.scheme else None  # None: the report's overall and 人 as published
        if self.inputs is None:
            try:
                built = Study.build(self.region_set(level), "published", scheme, p.missing, **screening)
            except (ParameterError, KeyError) as exc:
                raise ParameterError(
                    f"scheme {self.scheme.source} cannot weight the published sub-indices "
                    f"(activity, sales, influence, goods, venue) through nodes 'people' and 'overall': {exc}"
                ) from None
        else:
            panel = self.edition.panels[level] if self.edition is not None else self.inputs
            panel = panel[level] if isinstance(panel, dict) else panel  # the record panels of each level
            built = Study.build(self.region_set(level), panel, self.scheme, p.missing, **screening)
            named = {"data_name": self.metadata.data_name(self.lang)} if self.edition is not None else {}
            built = replace(built, parameters={**built.parameters, "data": p.edition or p.records or p.data, **named})
        if not p.previous:
            return built
        source = "published" if p.previous == PUBLISHED_EDITION else p.previous
        return built.since(load_previous(source, self.region_set(level)), p.previous)

    def top5(self) -> dict[int, pd.DataFrame]:
        """The lists behind 表10–12 by table number: the edition's, or the report's own."""
        if self.edition is not None:
            return self.edition.top5_tables()
        return {number: load_table(number) for number in TOP5_TABLES}

    def facts(self, chapter: str | None = None) -> pd.DataFrame:
        """The facts of chapters 1–2 (of ``chapter`` only, 一 or 二, if given): the report's, each replaced by the
        edition's fact of the same ``fact_id`` and the edition's new ones added, if the edition has facts; their
        sections and sources in the run's language (:func:`~livecommerce.data.facts.facts_in_language`)."""
        facts = load_facts()
        given = self.edition.facts if self.edition is not None else None
        if given is not None:
            facts = pd.concat([facts.drop(index=given.index, errors="ignore"), given])
        return facts_in_language(facts if chapter is None else chapter_facts(facts, chapter), self.lang)

    def focus(self, level: str) -> str | None:
        """The region shown on its own at ``level`` (:data:`FOCUS`), or None if the study lacks it (a region
        dropped from a raw panel for its empty cells)."""
        region = FOCUS.get(level)
        return region if region in self.study(level).regions else None

    @staticmethod
    def number(level: str, measure: str) -> int:
        """The report's table of a level's measure: ``number("city", "goods")`` is 8 (表8); a region set other than
        the report's three has the province tables' numbers."""
        for number, measures in INDEX_TABLES.get(level, INDEX_TABLES["province"]).items():
            if measures[0] == measure:
                return number
        raise ParameterError(f"no table ranks {measure!r} at level {level!r}")

    def source(self, level: str, measures=PRINTED_TABLES) -> str:
        """The 来源 line of what is drawn from the study of ``level``: its tables of ``measures`` (one or several)."""
        measures = (measures,) if isinstance(measures, str) else measures
        return sources.study_source(self.study(level), [self.number(level, m) for m in measures], self.lang)

    def scope(self, level: str) -> str:
        """What the figures of ``level`` cover, in the run's language (全国15个副省级城市); a region set other than
        the report's three by what its regions are (:meth:`RegionSet.scope`)."""
        if level in LEVELS:
            return words.word(words.SCOPES, level, self.lang, "level")
        return self.region_set(level).scope(self.lang)

    def caption(self, key: str, **fields) -> str:
        """A figure's caption in the run's language (:func:`livecommerce.words.caption`), its ``level`` named by
        :meth:`scope`."""
        if fields.get("level") is not None:
            fields["scope"] = self.scope(fields.pop("level"))
        return words.caption(key, self.lang, **fields)

    def settings(self, keys, **fields) -> str:
        """What was computed and how, as a 来源 line in the run's language (:func:`livecommerce.plots.settings`)."""
        return sources.settings(keys, self.lang, **fields)

    # --- the writers -----------------------------------------------------------------------------------------

    def _folder(self, sub: str) -> Path:
        folder = refuse_links(self.output / sub)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _listed(self, paths) -> None:
        """Outside a runner's staging folder (whose manifest the runner writes whole), list what a writer wrote in
        the output folder's manifest, so that the folder stays one the package may replace (a notebook opened in
        JupyterLab writes straight into it)."""
        if not self.output.name.endswith(STAGING):
            add_to_manifest(self.output, [Path(p).relative_to(self.output).as_posix() for p in paths])

    def table(self, frame: pd.DataFrame, name: str) -> None:
        """Save a table into the run's ``tables/`` (CSV, XLSX, Markdown)."""
        self._listed(write_table(frame, name, self._folder("tables")))

    def figure(self, drawn, name: str, caption: str, source: str) -> None:
        """Save a figure (or the figure of axes ``drawn``) into the run's ``figures/`` (PNG and SVG) with its
        caption and 来源 line beside it (``<name>.json``, which the document prints under it); the run's label (e.g.
        SYNTHETIC) is printed across it."""
        fig = getattr(drawn, "figure", drawn)
        if self.label:
            fig.text(0.5, 0.5, self.label, ha="center", va="center", rotation=30, fontsize=40, color="0.5", alpha=0.25)
        written = save(fig, name, self._folder("figures"), caption=caption, source=source)
        self._listed(written)
        preview = _preview(fig, written[0]) if get_ipython() is not None else None
        plt.close(fig)  # in a notebook: shown as just saved, not drawn a third time
        if preview is not None:
            display(Image(data=preview))

    def note(self, text: str, name: str) -> None:
        """Save a sentence that stands where figure ``name`` would be (a chart with nothing to show, e.g. a rank no
        weight moves) as ``figures/<name>.json`` (``{"text": …}``), which the document prints as a paragraph."""
        arguments.string(text, "text")
        if not text.strip():
            raise ParameterError(f"note {name!r} is empty")
        path = self._folder("figures") / f"{arguments.string(name, 'name')}.json"
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps({"text": text.strip()}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self._listed([path])


def _preview(fig, saved: Path) -> bytes:
    """Figure ``fig``, just saved as PNG file ``saved``, at a third of its size (100 dpi, as a notebook shows
    figures), as PNG bytes. Made from the pixels its Agg canvas holds since it drew that file (the same pixels, not
    decoded from the file again: half the time a preview takes); from the file if the canvas holds others (not the
    file's size)."""
    with PILImage.open(saved) as read:  # the header read, the pixels not yet
        renderer = getattr(fig.canvas, "renderer", None)
        held = None if renderer is None else np.asarray(renderer.buffer_rgba())
        same = held is not None and held.shape == (read.height, read.width, 4)
        drawn = PILImage.fromarray(held) if same else read.convert("RGBA")
        small = drawn.reduce(3)  # each pixel the mean of a 3×3 block: what a screen shows, and fast (RGBA)
    return png(np.asarray(small), DPI / 3)


@lru_cache(maxsize=1)
def _staged(p: Parameters, versions: tuple) -> Run:
    """The run of a runner's staging folder (``p.output_dir``), read once a process while the ``versions`` of the
    files it reads stay (:func:`_versions`): the notebooks one kernel runs share its inputs and the studies they
    build, as the runner's own run does. A run's staging folder is new (its name random): the next run is read anew."""
    return Run._opened(p, load_scheme(p.scheme or None))


def _versions(p: Parameters, scheme: Scheme) -> tuple:
    """The version (:func:`~livecommerce.data.io.file_version`) of every file a run of ``p`` reads: its panel,
    scheme and the scheme's denominators, registry, and each file in its edition, records or previous edition's
    folder, and the record panels stored beside its run file."""
    given = [p.data, p.scheme, p.registry, p.edition, p.records, p.previous]
    paths = [Path(x) for x in given if x and x not in ("published", PUBLISHED_EDITION)]
    paths += [Path(d.path) for d in scheme.denominators.values()]
    files = [f for path in paths for f in (sorted(path.rglob("*")) if path.is_dir() else [path])]
    return tuple((str(f), file_version(f)) for f in [*files, Path(p.output_dir) / RECORD_PANELS])


def edition_text(edition: str, lang: str) -> Path | None:
    """An edition's own section texts in ``lang``: ``text/<lang>/`` in the edition folder (beside the workbook),
    each file replacing the 2023 section of the same name; None if it has none. A folder linked from elsewhere
    is refused: nothing outside the edition is read."""
    root = Path(edition) if Path(edition).is_dir() else Path(edition).parent
    folder = root / "text" / lang
    if folder.is_dir() and not folder.resolve().is_relative_to(root.resolve()):
        raise DataError(f"{folder}: a link out of the edition; its section texts must be in the edition's folder")
    return folder if folder.is_dir() else None


def _read(p: Parameters, scheme: Scheme) -> pd.DataFrame | EditionInputs | dict | None:
    """The run's raw panel or edition, read and validated (empty cells allowed unless ``missing`` is ``error``: its
    studies impute them), or its records' panels by level (every definition variant's, the records read once and
    closed); None for the published data."""
    empty = p.missing != "error"
    if p.records:
        chosen = one_set(p)
        with read_records(p.records, p.period, p.engine, p.bad_rows, p.memory_limit or None) as records:
            return {
                c.level: record_panels(records, scheme, c) for c in ([chosen] if chosen else map(region_set, LEVELS))
            }
    if p.edition:
        chosen = one_set(p)
        return load_inputs(p.edition, scheme, LEVELS if chosen is None or chosen.named else chosen, empty=empty)
    if p.data == "published":
        return None
    chosen = one_set(p)
    return load_panel(p.data, scheme.for_regions(chosen), chosen, empty=empty)


def _panels_data(panels: RecordPanels) -> dict:
    """Record panels as JSON data: each variant's panel split into index, columns and rows (floats, NaN kept)."""
    split = {name: frame.to_dict("split") for name, frame in panels.panels.items()}
    return {"level": panels.level, "provenance": panels.provenance, "panels": split}


def _read_as(p: Parameters) -> list:
    """What record panels depend on of a run's parameters: the records, their period and what was done with bad rows
    (the engine computes the same panels)."""
    return [p.records, list(p.period), p.bad_rows]


def _stored_panels(path: Path, p: Parameters) -> dict[str, RecordPanels] | None:
    """The record panels :meth:`Run.store` wrote to ``path``, by level; None if they were read otherwise than ``p``
    reads them (the run file was edited since)."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["read"] != _read_as(p):
            return None
        return {
            level: RecordPanels(
                item["level"],
                {
                    name: pd.DataFrame(
                        split["data"], pd.Index(split["index"], name="region_id"), split["columns"], dtype=float
                    )
                    for name, split in item["panels"].items()
                },
                item["provenance"],
            )
            for level, item in stored["levels"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: not the record panels of a run ({exc})") from None


def _check_nodes(scheme: Scheme) -> None:
    """Refuse a scheme without the nodes the notebooks draw, naming what is missing."""
    for node, children in NEEDED_NODES.items():
        if node not in scheme.nodes or set(scheme.nodes[node].children) != set(children):
            raise ParameterError(
                f"scheme {scheme.source}: the notebooks need a node {node!r} with children {', '.join(children)}"
            )


__all__ = ["FOCUS", "Run", "edition_text"]
