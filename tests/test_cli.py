"""The command line audits the data, writes its table atomically and reports errors cleanly."""

import re
import subprocess
import sys

import pandas as pd
import pytest

from livecommerce.cli import main
from livecommerce.data.paths import data_dir


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
    from livecommerce.data.paths import published_dir

    assert main(["audit", "--output", str(published_dir() / "audit.csv")]) == 2
    assert "is inside the bundled data folder" in capsys.readouterr().err
    assert not (published_dir() / "audit.csv").exists()


def test_module_entry_point(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "livecommerce", "audit"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert "checks:" in result.stdout


def test_template_then_build(tmp_path, capsys):
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


@pytest.mark.parametrize(
    "option, message",
    [
        (["--n-draws", "0"], "n_draws=0 must be an integer of at least 1"),
        (["--only", "09"], "--only '09': no such notebook"),
        (["--seed", "-1", "--only", "09,03,1x"], "seed=-1 must be an integer from 0 to 4294967295; --only '09', '1x':"),
        (["--data", "x.csv", "--edition", "e", "--only", "09"], "error: --only '09': no such notebook (choose"),
        (["--level", "city", "--data", "nowhere.csv", "--edition", "e"], "give a raw panel (data) or an edition"),
        (
            ["--level", "county:510000", "--edition", "e", "--only", "03,04"],
            "runs notebook 03_development_index (--only 03); 04_people_goods_venue word or draw the report's sets",
        ),
    ],
)
def test_report_refuses_a_bad_value_before_a_kernel_starts(monkeypatch, tmp_path, capsys, option, message):
    """Checked as the command line reads it: no kernel is started (seconds of processor time) for a refusal."""
    from livecommerce.report import process

    started = []
    monkeypatch.setattr(process, "Kernels", lambda *args: started.append(args))
    assert main(["report", *option, "--output-dir", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert started == [] and not (tmp_path / "out").exists()


def test_report_refuses_an_output_or_figures_folder_it_may_not_write_before_a_kernel_starts(
    monkeypatch, tmp_path, capsys
):
    from livecommerce.report import process

    started = []
    monkeypatch.setattr(process, "Kernels", lambda *args: started.append(args))
    assert main(["report", "--output-dir", str(data_dir() / "mine")]) == 2
    assert "is, holds or is inside the bundled data folder" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["report", "--output-dir", str(out), "--figures-dir", str(out / "figures")]) == 2
    assert "is inside a report folder" in capsys.readouterr().err
    assert started == [] and not any(tmp_path.iterdir())


def test_report_starts_kernels_for_the_notebooks_it_runs(monkeypatch, tmp_path):
    """Kernels are asked for the notebooks that will run: another region set than the report's three runs notebook
    03 alone, one kernel (not two: some four processor seconds and 600 MB); the report's sets, all seven; one chosen
    notebook, one."""
    from livecommerce.report import process
    from livecommerce.report import runner as report

    started = []

    class Started:
        def __init__(self, notebooks):
            started.append(notebooks)

        def stop(self):
            pass

    monkeypatch.setattr(process, "Kernels", Started)
    monkeypatch.setattr(report, "run", lambda params, **options: tmp_path)
    counties = str(data_dir() / "examples" / "synthetic_counties_sichuan")
    for options in (["--level", "county:510000", "--edition", counties], [], ["--only", "05"]):
        assert main(["report", *options, "--output-dir", str(tmp_path / "out")]) == 0
    assert started == [1, 7, 1]


def test_report_takes_coverage_screen_and_seed(monkeypatch, tmp_path, capsys):
    from livecommerce.report import runner as report

    given = []
    monkeypatch.setattr(
        report,
        "run",
        lambda params, only=None, figures_dir=None, told=None, kernels=None: given.append(params) or tmp_path,
    )
    argv = ["report", "--level", "province", "--missing", "mice", "--coverage", "0.7", "--screen", "drop"]
    assert main([*argv, "--seed", "5", "--output-dir", str(tmp_path / "given")]) == 0
    used = given[0]  # the parameters as given; the runner checks them, once
    assert (used.coverage, used.screen, used.seed, used.missing) == (0.7, "drop", 5, "mice")
    assert (used.lang, used.n_draws, used.output_dir) == ("zh", 10_000, str(tmp_path / "given"))  # the defaults
    monkeypatch.undo()  # the real runner: refused before anything runs, the parameter named
    out = str(tmp_path / "out")
    assert main(["report", "--coverage", "1.5", "--output-dir", out]) == 2
    assert "coverage=1.5 must be a share between 0 and 1" in capsys.readouterr().err
    assert main(["report", "--screen", "hide", "--output-dir", out]) == 2
    assert "screen='hide' is not one of flag, drop" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_build_screens_and_seeds_mice(tmp_path, capsys):
    from livecommerce.data.paths import data_dir

    raw = tmp_path / "panel.csv"
    lines = (data_dir() / "raw" / "synthetic_panel_province_2023.csv").read_text(encoding="utf-8").splitlines()
    lines = [
        ",".join(line.split(",")[:2] + [""] * 10 + line.split(",")[12:]) if line.startswith("540000,") else line
        for line in lines
    ]  # 西藏: 7 of 17 indicators
    lines = [line.replace("510000,四川,413815,", "510000,四川,,") for line in lines]
    raw.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = {seed: tmp_path / f"index_{seed}.csv" for seed in (1, 2)}
    for seed, path in out.items():
        argv = ["build", str(raw), "--missing", "mice", "--coverage", "0.5", "--screen", "drop", "--seed", str(seed)]
        assert main([*argv, "--output", str(path)]) == 0
    assert "for 30 regions" in capsys.readouterr().out  # 西藏 screened out
    first, second = (pd.read_csv(p, dtype={"region_id": str}, index_col="region_id") for p in out.values())
    assert "540000" not in first.index and first.loc["510000", "anchor_count"] != second.loc["510000", "anchor_count"]


def test_build_names_the_scheme_setting_for_a_constant_column_and_the_file_of_a_one_region_panel(tmp_path, capsys):
    from livecommerce.data.paths import data_dir

    lines = (data_dir() / "raw" / "synthetic_panel_province_2023.csv").read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("region_id"))
    column = lines[header].split(",").index("service_score")
    rows = [line.split(",") for line in lines[header + 1 :]]
    flat = tmp_path / "flat.csv"
    flat.write_text("\n".join([lines[header], *(",".join([*r[:column], "4.5", *r[column + 1 :]]) for r in rows)]))
    assert main(["build", str(flat), "--output", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert "column 'service_score' is constant across regions" in err and "constant='midpoint'" not in err
    assert 'set constant = "midpoint" in the [normalisation] table of scheme' in err and "report2023.toml" in err
    one = tmp_path / "one.csv"
    one.write_text("\n".join([lines[header], ",".join(rows[0])]))
    assert main(["build", str(one), "--output", str(tmp_path / "out.csv")]) == 2
    assert f"{one}: one region ({rows[0][0]}): the index compares regions" in capsys.readouterr().err
