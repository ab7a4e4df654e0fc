"""The what-if callback, driven without a browser: its ranks are the ones computed directly from the choices."""

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import jupytext  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from livecommerce import plots  # noqa: E402
from livecommerce.analysis import whatif as explore
from livecommerce.cli import main  # noqa: E402
from livecommerce.data.paths import data_dir, notebooks_dir  # noqa: E402
from livecommerce.errors import ParameterError  # noqa: E402
from livecommerce.index.ranking import rank  # noqa: E402
from livecommerce.plots.explorer import Explorer, changed  # noqa: E402
from livecommerce.report.runs import Run  # noqa: E402
from livecommerce.study.study import Study  # noqa: E402

CHECKOUT = Path(__file__).resolve().parents[1]
SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"


@pytest.fixture(scope="module")
def study():
    return Study.build("province")


@pytest.fixture(scope="module")
def model(study):
    return explore.explorer_model(study)


def direct(study, people, overall) -> pd.Series:
    """The overall index of the published sub-indices under the given weights, computed by hand."""
    s = study.inputs
    p = people[0] * s["activity"] + people[1] * s["sales"] + people[2] * s["influence"]
    return overall[0] * p + overall[1] * s["goods"] + overall[2] * s["venue"]


def test_the_nominal_choices_change_nothing(study, model):
    result = explore.what_if(model)
    assert result.changed.empty and (result.table["rank"] == result.table["baseline_rank"]).all()
    expected = direct(study, (0.17, 0.65, 0.18), (0.533, 0.264, 0.203))
    assert np.allclose(result.table["score"], expected[result.table.index])


@settings(max_examples=25, deadline=None)
@given(people=st.tuples(*[st.floats(0.01, 5)] * 3), overall=st.tuples(*[st.floats(0.01, 5)] * 3))
def test_slider_positions_rank_as_their_rescaled_weights(study, model, people, overall):
    weights = {
        "people": dict(zip(("activity", "sales", "influence"), people)),
        "overall": dict(zip(("people", "goods", "venue"), overall)),
    }
    result = explore.what_if(model, weights)
    expected = direct(study, np.array(people) / sum(people), np.array(overall) / sum(overall))
    assert np.allclose(result.table["score"], expected[result.table.index])
    assert result.table["rank"].equals(rank(expected)[result.table.index])
    moved = result.table["baseline_rank"] != result.table["rank"]
    assert set(result.changed.index) == set(result.table.index[moved])
    assert (result.changed["rank_change"] == result.changed["baseline_rank"] - result.changed["rank"]).all()


def test_a_method_gives_its_own_weights_and_a_node_given_overrides_it(study, model):
    equal = explore.what_if(model, method="equal")
    assert np.allclose(equal.table["score"], direct(study, [1 / 3] * 3, [1 / 3] * 3)[equal.table.index])
    mixed = explore.what_if(model, {"people": {"activity": 17, "sales": 65, "influence": 18}}, method="equal")
    assert np.allclose(mixed.table["score"], direct(study, (0.17, 0.65, 0.18), [1 / 3] * 3)[mixed.table.index])
    geometric = explore.what_if(model, aggregation="geometric")
    s = study.inputs
    p = np.exp(0.17 * np.log(s["activity"]) + 0.65 * np.log(s["sales"]) + 0.18 * np.log(s["influence"]))
    g = np.exp(0.533 * np.log(p) + 0.264 * np.log(s["goods"]) + 0.203 * np.log(s["venue"]))
    assert np.allclose(geometric.table["score"], g[geometric.table.index])


def test_a_raw_panel_switches_normalisation():
    model = explore.explorer_model(Study.build("province", SYNTHETIC))
    assert list(model.scores)[0] == "efficacy" and "zscore" in model.scores
    assert explore.what_if(model, normalisation="efficacy").changed.empty
    ranked = explore.what_if(model, normalisation="rank_score").table
    assert ranked["score"].between(1, 31).all()
    with pytest.raises(ParameterError, match="aggregation='geometric' needs positive scores"):
        explore.what_if(model, normalisation="zscore", aggregation="geometric")


def test_the_explorer_works_on_data_with_zeros():
    # 山西 with no anchors in the SYNTHETIC records: distance to the leader scores it 0, as min-max does
    panel = pd.read_csv(SYNTHETIC, dtype={"region_id": str}, comment="#").set_index("region_id")
    panel = panel.drop(columns=[c for c in panel if panel[c].dtype == object])
    panel.loc["140000", "anchor_count"] = 0.0
    model = explore.explorer_model(Study.build("province", panel))
    leader = explore.what_if(model, normalisation="distance_to_leader").table
    assert leader["score"].notna().all() and leader.loc["140000", "rank"] > 1
    at = model.regions.get_loc("140000"), model.leaves.index("anchor_count")
    assert model.scores["distance_to_leader"][at] == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"weights": {"peeple": {"a": 1}}}, "'peeple' is not a node"),
        ({"weights": {"people": {"activity": 1, "sales": 1}}}, "needs a weight for each of its children"),
        ({"weights": {"people": {"activity": 0, "sales": 0, "influence": 0}}}, "not all zero"),
        ({"method": "magic"}, "method='magic'"),
        ({"normalisation": "zscore"}, "normalisation='zscore'"),
        ({"aggregation": "mode"}, "aggregation='mode'"),
    ],
)
def test_bad_choices_are_named(model, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        explore.what_if(model, **kwargs)


@pytest.mark.parametrize("lang, region, score", [("zh", "地区", "指数值"), ("en", "Region", "Score")])
def test_the_changed_ranks_read_as_a_table_of_regions(model, lang, region, score):
    """The regions that moved, by name, their scores as the tables print them (two decimals), headed in the
    language."""
    result = explore.what_if(model, {"people": {"activity": 1, "sales": 1, "influence": 1}})
    table = changed(result, lang)
    assert table.index.name == region and list(table.index) == list(result.changed["name"]) and len(table)
    assert (table[score] == result.changed["score"].round(2).to_numpy()).all()
    assert (table[score] * 100 - (table[score] * 100).round()).abs().max() < 1e-9


def test_the_widgets_call_the_callback(study, capsys):
    plots.set_theme()
    explorer = Explorer(study, lang="en", top=10)
    assert explorer.result.changed.empty
    assert "▲" not in explorer.chart.value and "<td>" not in explorer.changes.value  # nothing moved yet
    explorer.sliders["people"]["sales"].value = 0.2
    expected = explore.what_if(explorer.model, **explorer.choices())
    pd.testing.assert_frame_equal(explorer.result.table, expected.table)
    assert not explorer.result.changed.empty
    assert explorer.chart.value == plots.what_if_html(expected.table, "en", top=10)  # both redrawn
    for name in explorer.result.changed["name"]:
        assert f"<th>{name}</th>" in explorer.changes.value
    explorer.method.value = "equal"  # moves every slider to 1/3, then recomputes once
    assert all(s.value == pytest.approx(1 / 3, abs=0.01) for s in explorer._all_sliders())
    assert explorer.result.choices["method"] == "equal"
    for slider in explorer.sliders["overall"].values():
        slider.value = 0.0  # a choice that cannot be computed is shown, not raised
    assert "not all zero" in explorer.message.value
    capsys.readouterr()


def test_the_what_if_chart(model):
    plots.set_theme()
    table = explore.what_if(model, {"people": {"activity": 1, "sales": 1, "influence": 1}}).table
    ax = plots.what_if(table, top=12)
    assert len(ax.patches) == 12
    moved = table.head(12)["rank_change"].fillna(0) != 0
    assert sum("▲" in t.get_text() or "▼" in t.get_text() for t in ax.texts) == moved.sum()


def test_the_explorer_speaks_the_editions_language(study):
    explorer = Explorer(study, lang="zh")
    assert explorer.method.description == "权重方法" and ("熵权法", "entropy") in explorer.method.options
    assert explorer.aggregation.options[0] == ("按指标体系", "nominal")
    explorer.sliders["people"]["activity"].value = 1.0
    assert "位次变化" in explorer.changes.value and "四川" in explorer.chart.value


def test_the_html_chart_draws_a_bar_per_region_to_scale(model):
    table = explore.what_if(model, {"people": {"activity": 1, "sales": 1, "influence": 1}}).table
    page = plots.what_if_html(table, "zh", top=12)
    widths = [float(w) for w in re.findall(r"width:([0-9.]+)%", page)]
    shown = table.sort_values("rank", kind="stable").head(12)
    left = shown["score"].min() - 0.1 * (shown["score"].max() - shown["score"].min())
    expected = 100 * (shown["score"] - left) / (shown["score"].max() - left)
    assert widths == pytest.approx(list(expected), abs=0.051)
    moved = (shown["rank_change"].fillna(0) != 0).sum()
    assert page.count("▲") + page.count("▼") == moved


def test_jupyterlab_opens_a_python_notebook_as_a_notebook():
    """The package's setting, installed where JupyterLab reads the defaults of its settings (overrides.d in its
    settings folder), makes jupytext's notebook the default viewer of Python files: a setting the document manager's
    schema takes, naming a viewer jupytext's JupyterLab extension registers."""
    from jupyterlab.commands import get_app_dir

    shipped = json.loads((CHECKOUT / "jupyter" / "livecommerce-overrides.json").read_text(encoding="utf-8"))
    plugin = "@jupyterlab/docmanager-extension:plugin"
    assert shipped == {plugin: {"defaultViewers": {"python": "Jupytext Notebook"}}}
    app = Path(get_app_dir())
    installed = app / "settings" / "overrides.d" / "livecommerce.json"
    assert json.loads(installed.read_text(encoding="utf-8")) == shipped
    package, name = plugin.split(":")
    schema = json.loads((app / "schemas" / package / f"{name}.json").read_text(encoding="utf-8"))
    viewers = schema["properties"]["defaultViewers"]
    assert viewers["type"] == "object" and viewers["additionalProperties"] == {"type": "string"}
    extension = app.parent / "labextensions" / "jupyterlab-jupytext" / "static"
    assert any('"Jupytext Notebook"' in p.read_text(encoding="utf-8") for p in extension.glob("*.js"))


def test_explore_writes_the_what_if_notebook_of_a_run(tmp_path, capsys):
    folder = tmp_path / "what-if"
    assert main(["explore", str(folder), "--level", "city", "--lang", "en", "--no-open"]) == 0
    assert "08_explore.ipynb" in capsys.readouterr().out
    notebook = nbformat.read(folder / "08_explore.ipynb", as_version=4)
    nbformat.validate(notebook)
    script = jupytext.read(notebooks_dir() / "08_explore.py")
    given = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(given) == 1 and given[0].source == "run = 'run.json'"
    at = notebook.cells.index(given[0])
    assert "parameters" in notebook.cells[at - 1].metadata["tags"]  # right after the script's parameters cell
    rest = [c for c in notebook.cells if c is not given[0]]
    assert [(c.cell_type, c.source) for c in rest] == [(c.cell_type, c.source) for c in script.cells]
    run = Run.open(folder / "run.json")
    assert run.levels == ("city",) and run.lang == "en" and run.output == folder
    assert main(["explore", str(folder), "--no-open"]) == 0  # its own folder: written again
    (folder / "mine.txt").write_text("notes", encoding="utf-8")
    assert main(["explore", str(folder), "--no-open"]) == 2
    assert "mine.txt, which livecommerce did not write" in capsys.readouterr().err


ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}")
"""Three or more English words in a row: a phrase or sentence, not a name (CRITIC, Saltelli 和 Tarantola) or an
identifier (`livecommerce.analysis.whatif.what_if`)."""


def _shown(output) -> list[str]:
    """What a notebook output shows a reader as text: a stream, Markdown, HTML without its tags and styles, and
    plain text unless a widget stands for it (whose plain text is its Python repr)."""
    if output.output_type == "stream":
        return [output.text]
    data = output.get("data", {})
    shown = [data.get("text/markdown", "")]
    shown.append(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", data.get("text/html", ""), flags=re.S)))
    if "application/vnd.jupyter.widget-view+json" not in data:
        shown.append(data.get("text/plain", ""))
    return shown


@pytest.mark.slow
def test_the_what_if_notebook_speaks_the_editions_language(tmp_path):
    """Executed as a Chinese edition's, the what-if notebook shows its prose and table headings in Chinese and no
    English sentence (code cells may name identifiers)."""
    import papermill

    from livecommerce.report.explore import write_explorer
    from livecommerce.report.parameters import Parameters

    notebook = write_explorer(Parameters(level="province", lang="zh"), tmp_path / "zh")
    executed = tmp_path / "executed.ipynb"
    papermill.execute_notebook(notebook, executed, cwd=notebook.parent, progress_bar=False, kernel_name="python3")
    cells = nbformat.read(executed, as_version=4).cells
    shown = [t for c in cells if c.cell_type == "markdown" for t in [c.source]]
    shown += [t for c in cells if c.cell_type == "code" for o in c.outputs for t in _shown(o)]
    text = "\n".join(shown)
    assert "# 假设分析（交互）" in text and "“人”的三个分项指数等权" in text
    assert all(h in text for h in ("地区", "新排名", "位次变化"))  # the changed-rank table, headed in Chinese
    assert not ENGLISH.findall(text)
