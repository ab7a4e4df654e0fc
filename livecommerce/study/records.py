"""A level's raw panels from records, one per definition variant of the scheme, with what they rest on: what a
study of records is built from (``Study.build(level, data=records)``), computed once so that a study under another
variant, and a Monte Carlo draw of the variant, only pick a panel."""

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from livecommerce import arguments
from livecommerce.data.regions import region_set
from livecommerce.errors import SchemeError
from livecommerce.index.scheme import DEFAULT_VARIANT, Scheme
from livecommerce.records.indicators import indicators
from livecommerce.records.read import Records
from livecommerce.records.tables import RULES

__all__ = ["RecordPanels", "provenance", "record_files", "record_panels", "summary"]


@dataclass(frozen=True)
class RecordPanels:
    """The raw panels of ``level`` from records, by variant (:data:`DEFAULT_VARIANT` first), and their
    ``provenance`` (:func:`provenance`)."""

    level: str
    panels: dict[str, pd.DataFrame]
    provenance: dict

    @property
    def folder(self) -> str:
        """The folder the record files are in (their nearest common folder)."""
        return os.path.commonpath([str(Path(f).parent) for files in self.provenance["files"].values() for f in files])


def provenance(records: Records) -> dict:
    """What a panel from ``records`` rests on, for a study's log: the engine, the period, each table's files and
    rows, the bad rows dropped per table, file and rule, and the log's lines (drops, the attribution of places)."""
    return {
        "engine": records.engine.name,
        "period": [records.period[0].isoformat(), records.period[1].isoformat()],
        "files": {name: [str(f) for f in files] for name, files in records.tables.items()},
        "rows": dict(records.rows),
        "bad_rows": records.bad.to_dict("records"),
        "log": list(records.log),
    }


def summary(provenance: dict) -> str:
    """One line on what records gave (:func:`provenance`): rows read, rows dropped by rule, period and files."""
    read = sum(provenance["rows"].values())
    dropped = pd.DataFrame(provenance["bad_rows"], columns=["table", "file", "rule", "rows"])
    by_rule = dropped.groupby("rule", sort=False)["rows"].sum()
    rules = f" ({', '.join(f'{rule} {n:,}' for rule, n in by_rule.items())})" if len(by_rule) else ""
    files = sum(len(f) for f in provenance["files"].values())
    first, last = provenance["period"]
    return (
        f"records: {read:,} rows read from {files} file(s) of {', '.join(provenance['files'])}, {first} to {last}; "
        f"{int(by_rule.sum()):,} rows dropped{rules}"
    )


def record_files(provenance: dict) -> pd.DataFrame:
    """What records gave (:func:`provenance`), a row per record table: its files, rows read, and bad rows dropped
    in all and by each rule (:data:`livecommerce.records.tables.RULES`)."""
    tables = list(provenance["files"])
    dropped = pd.DataFrame(provenance["bad_rows"], columns=["table", "file", "rule", "rows"])
    by_rule = dropped.pivot_table("rows", "table", "rule", aggfunc="sum").reindex(index=tables, columns=list(RULES))
    return pd.DataFrame(
        {
            "files": {t: "; ".join(files) for t, files in provenance["files"].items()},
            "rows": provenance["rows"],
            "bad_rows_dropped": dropped.groupby("table")["rows"].sum().reindex(tables, fill_value=0),
            **{f"dropped_{rule}": by_rule[rule].fillna(0).astype(int) for rule in RULES},
        }
    ).rename_axis("table")


def record_panels(records: Records, scheme: Scheme, level) -> RecordPanels:
    """The raw panel of the region set ``level`` (a name or a :class:`~livecommerce.data.regions.RegionSet`, a user
    registry's too) under each definition variant of ``scheme``, from ``records`` (every indicator of the scheme
    needs a record definition); one pass of the records' queries for all of them."""
    arguments.having(records, "records", ("engine", "rows", "period"), "records (records.read.read_records)")
    lacking = [id for id, item in scheme.indicators.items() if item.record is None]
    if lacking:
        raise SchemeError(
            f"scheme {scheme.source}: indicator(s) {', '.join(lacking)} have no record definition; a study of "
            "records computes every indicator from them"
        )
    definitions = {id: item.record for id, item in scheme.indicators.items()}
    varied = {
        f"{id}|{name}": variant for id, item in scheme.indicators.items() for name, variant in item.variants.items()
    }
    chosen = region_set(level)
    computed = indicators(records, {**definitions, **varied}, chosen)
    default = computed[list(definitions)]
    panels = {DEFAULT_VARIANT: default}
    for name in scheme.variants[1:]:
        changed = {column: column.split("|")[0] for column in varied if column.split("|")[1] == name}
        panels[name] = default.assign(**{id: computed[column] for column, id in changed.items()})
    return RecordPanels(chosen.level, panels, provenance(records))
