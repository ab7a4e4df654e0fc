"""Command line: a thin layer over the Python API.

``livecommerce report`` runs the chapter notebooks and writes the whole report, ``livecommerce
audit`` checks the report's numbers, ``livecommerce template`` writes an empty raw panel to fill
in, ``livecommerce build`` builds the index from a filled-in panel, ``livecommerce indicators`` computes a panel from
a data firm's record files, ``livecommerce explore`` writes the what-if notebook of a run into a folder and opens it
in JupyterLab. Relative paths are read against
the current folder; no command replaces a file it did not write or an input, and an existing file
only with --overwrite.
"""

import argparse
import signal
import sys

from livecommerce.analysis import audit
from livecommerce.data import edition as inputs
from livecommerce.data import panel
from livecommerce.data.io import write_csv
from livecommerce.data.regions import region_set
from livecommerce.errors import LivecommerceError, OutputError, ParameterError
from livecommerce.index import compose as index
from livecommerce.index import impute
from livecommerce.index.scheme import DEFAULT_VARIANT, load_scheme
from livecommerce.records import indicators as records_indicators
from livecommerce.records import read as records_read
from livecommerce.records.engine import ENGINES
from livecommerce.report.outputs import check_file, resolve
from livecommerce.study.records import provenance, record_panels, summary
from livecommerce.vocab import LANGS, RECORD_PERIOD

__all__ = ["main"]

_MISSING_HELP = (
    "error (default), " + ", ".join(impute.MISSING[1:]) + ", group_mean:COLUMN or group_median:COLUMN, the mean "
    "or median of the region's group by a column of the registry (see livecommerce.index.impute.fill_missing)"
)
_LEVEL_HELP = (
    "the region set: province (default), city, prefecture, or a division level (provincial, prefectural, county) "
    "with an optional parent by code or name, e.g. county:510000 or prefectural:河南; with --registry: all "
    "(default), a parent, or COLUMN:VALUE"
)
_REGISTRY_HELP = "a registry of your own regions: CSV or XLSX with id, name, optional parent and group columns"


def _regions(args):
    """The region set ``--level`` and ``--registry`` name."""
    _paths(args, "registry")
    return region_set(args.level or ("all" if args.registry else "province"), args.registry)


_COVERAGE_HELP = (
    "coverage screening before --missing: a region with less than this share (0 to 1) of its indicators filled in "
    "is flagged or dropped, as --screen says (default: 0, none)"
)
_SCREEN_HELP = "what coverage screening does with a region below --coverage: flag (default) or drop"


def _paths(args, *names: str) -> None:
    """Resolve the named path arguments against the caller's working folder, once."""
    for name in names:
        if getattr(args, name, None):
            setattr(args, name, resolve(getattr(args, name)))


def _audit(args) -> str:
    _paths(args, "data")
    if args.output:
        args.output = check_file(args.output, overwrite=args.overwrite)
    checks = audit.run(args.data)
    if args.output:
        write_csv(checks, args.output)
    return audit.summary(checks) + (f"\n\nall {len(checks)} checks written to {args.output}" if args.output else "")


def _template(args) -> str:
    _paths(args, "scheme")
    chosen = _regions(args)
    if args.edition:
        out = resolve(args.output)
        if out.is_file() and out.suffix.lower() != ".xlsx":
            raise OutputError(f"output {out} is a file: give a folder or an .xlsx workbook for an edition")
        one = None if args.level is None and args.registry is None else chosen
        for target in inputs.template_paths(out, one, lang=args.lang):
            check_file(target, inputs=[args.scheme, args.registry], overwrite=args.overwrite)
        written = inputs.write_inputs_template(out, load_scheme(args.scheme), one, lang=args.lang)
        return f"empty edition ({', '.join(p.name for p in written)}) written to {out}"
    args.output = check_file(args.output, inputs=[args.scheme, args.registry], overwrite=args.overwrite)
    scheme = load_scheme(args.scheme)
    panel.write_template(args.output, scheme, chosen, lang=args.lang)
    count = len(scheme.indicators)
    return f"empty {chosen.level} panel with {count} indicators written to {args.output}"


def _build(args) -> str:
    _paths(args, "panel", "records", "scheme")
    if (args.panel is None) == (args.records is None):
        raise ParameterError("build: give a raw panel or --records FOLDER, one of them")
    chosen = _regions(args)
    given = [args.panel or args.records, args.scheme, args.registry]
    args.output = check_file(args.output, inputs=given, overwrite=args.overwrite)
    screening = {"coverage": args.coverage, "screen": args.screen, "seed": args.seed}
    impute.check_missing(args.missing)
    impute.check_screening(**screening)
    scheme = load_scheme(args.scheme).for_regions(chosen)
    if args.records:
        with records_read.read_records(
            args.records, args.period, args.engine, args.bad_rows, args.memory_limit
        ) as records:
            raw = record_panels(records, scheme, chosen).panels[DEFAULT_VARIANT]
        _note(summary(provenance(records)))
    else:
        raw = panel.load_panel(args.panel, scheme, chosen, empty=args.missing != "error")
    data = args.panel or args.records
    scores = index.build(impute.fill_missing(raw, args.missing, data, **screening, regions=chosen), scheme)
    write_csv(scores, args.output)
    return f"{scores.shape[1]} node scores for {len(scores)} regions written to {args.output}"


def _indicators(args) -> str:
    _paths(args, "records", "scheme")
    chosen = _regions(args)
    args.output = check_file(args.output, inputs=[args.records, args.scheme, args.registry], overwrite=args.overwrite)
    scheme = load_scheme(args.scheme).variant(args.variant)  # an unknown name: an error listing the declared ones
    with records_read.read_records(
        args.records, args.period, args.engine, bad_rows=args.bad_rows, memory_limit=args.memory_limit
    ) as records:
        panel = records_indicators.indicators(records, scheme, chosen)
        records_indicators.write_panel(args.output, panel, scheme, records, chosen, args.variant)
    _note(summary(provenance(records)))
    return f"{panel.shape[1]} indicators for {len(panel)} regions from records written to {args.output}"


def _report(args) -> str:
    from livecommerce.report.parameters import PARAMETERS, Parameters, check, checked, chosen_notebooks
    from livecommerce.report.process import Kernels, without_iri_checks  # the standard library only

    given = Parameters(**{name: getattr(args, name) for name in PARAMETERS if hasattr(args, name)})  # else defaults
    only = args.only.split(",") if args.only else None
    names, _ = chosen_notebooks(checked(given, only), only)  # the runner says which it skips
    check(given, names, args.figures_dir)  # refused at once, before the kernels start (the runner checks again)
    without_iri_checks()
    kernels = Kernels(len(names))
    try:
        from livecommerce.report import runner as report  # papermill, jupytext and nbconvert load in seconds

        out = report.run(
            given,
            only=only,
            figures_dir=args.figures_dir,
            told=_note,
            kernels=kernels,
        )
    finally:
        kernels.stop()  # at once if the run was refused; they have ended if it ran
    return f"report written to {out} (open {out / 'index.html'})"


def _note(note: str) -> None:
    """Tell the user something worth knowing about the command's inputs (on stderr, beside the errors)."""
    print(f"livecommerce: note: {note}", file=sys.stderr)


def _record_options(command, defaults: bool = True) -> None:
    """The options of reading records (--period, --engine, --memory-limit, --bad-rows); without ``defaults``, an
    option not given is left out (the run's default applies)."""

    def default(value):
        return {"default": value} if defaults else {}

    first, last = RECORD_PERIOD
    command.add_argument(
        "--period",
        nargs=2,
        metavar=("FIRST", "LAST"),
        help=f"first and last day of the records' period (default: {first} {last}, 2023年前三季度)",
        **default(RECORD_PERIOD),
    )
    command.add_argument("--engine", choices=ENGINES, help="duckdb (default) or spark", **default("duckdb"))
    command.add_argument("--memory-limit", help="DuckDB's memory limit, e.g. 2GB", **default(None))
    command.add_argument(
        "--bad-rows",
        choices=records_read.BAD_ROWS,
        help="refuse (default: stop, naming file, row and column) or drop (leave them out, counted and logged)",
        **default("refuse"),
    )


def _explore(args) -> str:
    from livecommerce.report import explore  # papermill, jupytext and nbconvert load in seconds
    from livecommerce.report.parameters import PARAMETERS, Parameters

    given = {name: getattr(args, name) for name in PARAMETERS if hasattr(args, name)}  # the rest: defaults
    notebook = explore.write_explorer(Parameters(**given), resolve(args.folder))
    if args.no_open:
        return f"what-if notebook written to {notebook} (open it with: jupyter lab {notebook})"
    print(f"what-if notebook written to {notebook}; opening it in JupyterLab (Ctrl-C stops it)", flush=True)
    status = explore.open_in_lab(notebook)
    return f"JupyterLab stopped (exit status {status})"


def _run_options(command) -> None:
    """The options of a run (its region set, language, data, scheme, imputation, edition, previous edition, seed)."""
    command.add_argument(
        "--level", help="province, city, prefecture, all (default), or another region set as for build"
    )
    command.add_argument("--registry", help=_REGISTRY_HELP)
    command.add_argument("--lang", help="zh (default) or en")
    command.add_argument("--data", help="published (default) or a raw panel, CSV or XLSX")
    command.add_argument(
        "--records", help="a folder of record files (anchors, sessions, shops, sales): every level's panel from them"
    )
    _record_options(command, defaults=False)
    command.add_argument("--scheme", help="scheme file (default: the report's)")
    command.add_argument("--missing", help=f"empty cells of a raw panel: {_MISSING_HELP}")
    command.add_argument("--coverage", type=float, help=_COVERAGE_HELP)
    command.add_argument("--screen", help=_SCREEN_HELP)
    command.add_argument("--edition", help="a new edition: a folder or XLSX workbook of three panels and top-5 lists")
    command.add_argument("--previous", help="the previous edition: 2023 (the report) or a previous report's folder")
    command.add_argument("--seed", type=int, help="random seed (Monte Carlo, Sobol' and a --missing mice imputation)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="livecommerce", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run_audit = commands.add_parser("audit", help="check what the report's numbers say about each other")
    run_audit.add_argument("--data", default=None, help="folder of published tables (default: the bundled report)")
    run_audit.add_argument("--output", default=None, help="write every check to this CSV file")
    run_audit.add_argument("--overwrite", action="store_true", help="replace the output file if it exists")
    run_audit.set_defaults(run=_audit)
    for name, run, text in (
        ("template", _template, "write an empty raw panel to fill in"),
        ("build", _build, "build every node's score from a raw panel"),
    ):
        command = commands.add_parser(name, help=text)
        if name == "template":
            command.add_argument(
                "--edition",
                action="store_true",
                help="an empty edition instead (every level's panel, the top-5 lists and the front matter; with "
                "--level or --registry, that region set's panel and the front matter): --output is a folder or an "
                ".xlsx workbook",
            )
            command.add_argument(
                "--lang",
                default="zh",
                choices=LANGS,
                help="the template's column and unit names, and an edition's sheet and file names (default: zh)",
            )
        if name == "build":
            command.add_argument("panel", nargs="?", help="raw panel, CSV or XLSX (see data/raw/README.md)")
            command.add_argument(
                "--records", help="a folder of record files instead of a panel (anchors, sessions, shops, sales)"
            )
            _record_options(command)
            command.add_argument("--missing", default="error", help=f"empty cells: {_MISSING_HELP}")
            command.add_argument("--coverage", type=float, default=0.0, help=_COVERAGE_HELP)
            command.add_argument("--screen", default="flag", help=_SCREEN_HELP)
            command.add_argument("--seed", type=int, default=0, help="seed of --missing mice (default: 0)")
        command.add_argument("--scheme", default=None, help="scheme file (default: the report's, report2023.toml)")
        command.add_argument("--level", default=None, help=_LEVEL_HELP)
        command.add_argument("--registry", default=None, help=_REGISTRY_HELP)
        kind = "CSV or XLSX (by its suffix) file" if name == "template" else "CSV file"
        command.add_argument("--output", required=True, help=f"{kind} to write")
        command.add_argument("--overwrite", action="store_true", help="replace the output file if it exists")
        command.set_defaults(run=run)
    run_indicators = commands.add_parser("indicators", help="compute a raw panel from record files")
    run_indicators.add_argument("records", help="folder of record files: anchors, sessions, shops, sales (CSV/Parquet)")
    run_indicators.add_argument("--scheme", default=None, help="scheme file (default: the report's, report2023.toml)")
    run_indicators.add_argument("--level", default=None, help=_LEVEL_HELP)
    run_indicators.add_argument("--registry", default=None, help=_REGISTRY_HELP)
    run_indicators.add_argument(
        "--variant",
        default=DEFAULT_VARIANT,
        help="a definition variant the scheme declares (variants = {NAME = {…}} on an indicator): every indicator "
        f"that declares it computed so (default: {DEFAULT_VARIANT}, the record definitions themselves)",
    )
    _record_options(run_indicators)
    run_indicators.add_argument("--output", required=True, help="CSV or XLSX panel to write")
    run_indicators.add_argument("--overwrite", action="store_true", help="replace the output file if it exists")
    run_indicators.set_defaults(run=_indicators)
    run_report = commands.add_parser(
        "report", help="run the chapter notebooks and write the whole report", argument_default=argparse.SUPPRESS
    )
    _run_options(run_report)
    run_report.add_argument("--n-draws", type=int, help="Monte Carlo draws per level")
    run_report.add_argument("--output-dir", help="output folder (default: build/)")
    run_report.add_argument("--only", default=None, help="comma-separated notebooks, e.g. 03,07")
    run_report.add_argument("--figures-dir", default=None, help="also copy every figure into this folder")
    run_report.set_defaults(run=_report)
    run_explore = commands.add_parser(
        "explore",
        help="write the what-if notebook of a run into a folder and open it in JupyterLab",
        argument_default=argparse.SUPPRESS,
    )
    run_explore.add_argument("folder", help="the folder to write the notebook and its run file into")
    _run_options(run_explore)
    run_explore.add_argument("--no-open", action="store_true", default=False, help="write the notebook only")
    run_explore.set_defaults(run=_explore)
    args = parser.parse_args(argv)
    try:
        message = args.run(args)
    except LivecommerceError as exc:
        print(f"livecommerce: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # Ctrl-C; a report run names the signal that stopped it, and what it had done
        stopped = signal.Signals.__members__.get(str(exc.args[0]) if exc.args else "", signal.SIGINT)
        done = exc.args[1] if len(exc.args) > 1 else "nothing was replaced"
        print(f"livecommerce: interrupted ({stopped.name}); {done}", file=sys.stderr)
        return 128 + stopped
    print(message)
    return 0
