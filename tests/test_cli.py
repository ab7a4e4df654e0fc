"""The command line audits the data, writes its table atomically and reports errors cleanly."""

import re
import subprocess
import sys

import pandas as pd
import pytest

from livecommerce.cli import main


def test_audit_prints_findings_and_writes_every_check(tmp_path, capsys):
    out = tmp_path / "build" / "audit.csv"
    assert main(["audit", "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    checks = pd.read_csv(out, index_col="check_id")
    assert printed.startswith(f"{len(checks)} checks:")
    assert "[inconsistent] province-overall-within-components" in printed
    assert [p.name for p in out.parent.iterdir()] == ["audit.csv"]  # no temporary file left behind


def test_bad_data_folder_exits_2_with_the_file_named(tmp_path, capsys):
    assert main(["audit", "--data", str(tmp_path)]) == 2
    assert re.search(r"table\d\d\.csv: file not found", capsys.readouterr().err)


def test_refuses_to_write_into_published(capsys):
    from livecommerce.paths import published_dir

    assert main(["audit", "--output", str(published_dir() / "audit.csv")]) == 2
    assert "is inside the bundled data folder" in capsys.readouterr().err
    assert not (published_dir() / "audit.csv").exists()


def test_module_entry_point(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "livecommerce", "audit"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert "checks:" in result.stdout


def test_template_then_build(tmp_path, capsys):
    from livecommerce.paths import data_dir

    template = tmp_path / "template.csv"
    assert main(["template", "--level", "city", "--output", str(template)]) == 0
    assert pd.read_csv(template, dtype={"region_id": str}, comment="#").shape == (15, 19)
    out = tmp_path / "index.csv"
    assert main(["build", str(data_dir() / "raw" / "synthetic_panel_province_2023.csv"), "--output", str(out)]) == 0
    assert "24 node scores for 31 regions" in capsys.readouterr().out
    assert pd.read_csv(out, dtype={"region_id": str}, index_col="region_id").loc["510000", "people"] == pytest.approx(
        89.98, abs=0.05
    )  # 表4: 四川 人 89.98
    assert main(["build", str(template), "--level", "city", "--output", str(out), "--overwrite"]) == 2
    assert "no indicator value is filled in" in capsys.readouterr().err


def test_module_entry_point_reports_a_bad_parameter(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "livecommerce", "report", "--n-draws", "-5"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "n_draws=-5" in result.stderr
