"""A whole study in one workbook: every stage, scores, ranks, weights and log, reproducible and defused."""

from dataclasses import replace

import numpy as np
import pandas as pd

from livecommerce.data import panel
from livecommerce.data.paths import data_dir
from livecommerce.index.scheme import load_scheme
from livecommerce.study.export import SHEETS, write_workbook
from livecommerce.study.study import Study

RAW = panel.load_panel(data_dir() / "raw" / "synthetic_panel_province_2023.csv", load_scheme())
RAW.loc["510000", "mcn_count"] = np.nan
STUDY = Study.build("province", RAW, missing="median")


def test_a_study_workbook_holds_every_stage_and_the_same_study_gives_the_same_bytes(tmp_path):
    study = replace(STUDY, log=(*STUDY.log, {"step": "note", "=cmd|' /C calc'!A0": "+1"}))
    path = write_workbook(study, tmp_path / "study.xlsx")
    sheets = pd.read_excel(path, sheet_name=None, index_col=0)
    assert list(sheets) == list(SHEETS)
    assert np.isnan(sheets["raw"].loc[510000, "mcn_count"])
    assert sheets["inputs"].loc[510000, "mcn_count"] == RAW["mcn_count"].median()
    assert np.allclose(sheets["scores"].to_numpy(), STUDY.scores.to_numpy())
    assert (sheets["ranks"].loc[:, "overall"].to_numpy() == STUDY.ranks()["overall"].to_numpy()).all()
    assert sheets["normalised"].min().min() >= 60 and sheets["normalised"].max().max() <= 100  # efficacy: 60–100
    log = sheets["log"]
    assert log.loc[log["step"] == "missing", "key"].tolist()[0] == "policy"
    assert log["key"].iloc[-1] == "'=cmd|' /C calc'!A0" and log["value"].iloc[-1] == '"+1"'  # text, not a formula
    again = write_workbook(study, tmp_path / "again.xlsx")
    assert path.read_bytes() == again.read_bytes()


def test_a_published_study_has_no_raw_stages(tmp_path):
    sheets = pd.read_excel(write_workbook(Study.build("city"), tmp_path / "city.xlsx"), sheet_name=None)
    assert list(sheets) == ["inputs", "scores", "ranks", "weights", "log"]
