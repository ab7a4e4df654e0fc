"""Denominators: declared in the scheme with a user file and its source, dividing indicators region by region."""

import numpy as np
import pandas as pd
import pytest

from livecommerce import Study
from livecommerce.data import panel
from livecommerce.data.paths import data_dir, default_scheme_path
from livecommerce.data.published import regions
from livecommerce.errors import DataError, SchemeError
from livecommerce.index import compose as index
from livecommerce.index.scheme import load_scheme

SYNTHETIC = data_dir() / "raw" / "synthetic_panel_province_2023.csv"
SOURCE = "a test file: invented figures, not a statistic"


def denominator_file(folder, values=None, name="per_region.csv", by="region"):
    """A CSV of invented positive values per province (a test fixture, not data)."""
    registry = regions("province")
    values = np.arange(1.0, 32.0) if values is None else values
    keys = registry["name"] if by == "region" else registry.index
    frame = pd.DataFrame({by: list(keys), "size": values})
    path = folder / name
    frame.to_csv(path, index=False)
    return path


def scheme_file(folder, declaration, indicator="shop_count"):
    text = default_scheme_path().read_text(encoding="utf-8")
    text = text.replace(f"[indicators.{indicator}]\n", f'[indicators.{indicator}]\ndenominator = "size"\n')
    path = folder / "scheme.toml"
    path.write_text(text + "\n[denominators.size]\n" + declaration, encoding="utf-8")
    return path


def test_an_indicator_is_divided_by_its_denominator_region_by_region(tmp_path):
    denominator_file(tmp_path)
    path = scheme_file(tmp_path, f'file = "per_region.csv"\nunit = "things"\nsource = "{SOURCE}"\n')
    scheme = load_scheme(path)
    size = scheme.denominators["size"]
    assert size.source == SOURCE and size.unit == "things" and size.values["110000"] == 1.0
    assert scheme.indicators["shop_count"].denominator == "size"
    raw = panel.load_panel(SYNTHETIC, load_scheme(path))
    prepared, _ = index.prepare(raw, path)
    expected = np.log1p(raw["shop_count"] / size.values[raw.index])  # divided, then log-transformed
    assert prepared["shop_count"].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-15)
    plain, _ = index.prepare(raw)
    assert prepared.drop(columns="shop_count").equals(plain.drop(columns="shop_count"))
    study = Study.build("province", SYNTHETIC, scheme=path)
    entry = next(e for e in study.log if e["step"] == "denominate")
    assert entry["indicators"] == {"shop_count": "size"}
    assert entry["denominators"]["size"] == {
        "path": str((tmp_path / "per_region.csv").resolve()),
        "unit": "things",
        "source": SOURCE,
    }


def test_region_ids_and_an_absolute_path_work_too(tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    file = denominator_file(other, by="region_id")
    path = scheme_file(tmp_path, f'file = "{file.as_posix()}"\ncolumn = "size"\nsource = "{SOURCE}"\n')
    assert load_scheme(path).denominators["size"].values["650000"] == 31.0


@pytest.mark.parametrize(
    "declaration, message",
    [
        ('file = "per_region.csv"\n', "needs `source`, where its figures come from"),
        ('file = "per_region.csv"\nsource = "  "\n', "needs `source`"),
        (f'source = "{SOURCE}"\n', "needs `file`"),
        (f'file = "nowhere.csv"\nsource = "{SOURCE}"\n', "file .*nowhere.csv not found"),
        (f'file = "per_region.csv"\ncolumn = "gdp"\nsource = "{SOURCE}"\n', "the column 'gdp'"),
        (f'file = "per_region.csv"\nsource = "{SOURCE}"\nyear = 2022\n', "unknown key 'year'"),
    ],
)
def test_a_bad_declaration_is_named(tmp_path, declaration, message):
    denominator_file(tmp_path)
    with pytest.raises(SchemeError, match=message):
        load_scheme(scheme_file(tmp_path, declaration))


def test_bad_figures_are_named_by_line_and_region(tmp_path):
    values = np.arange(1.0, 32.0)
    values[4] = 0  # line 6: 内蒙古
    denominator_file(tmp_path, values)
    with pytest.raises(SchemeError, match=r"per_region.csv: line 6, region '内蒙古', column 'size': '0.0' is not"):
        load_scheme(scheme_file(tmp_path, f'file = "per_region.csv"\nsource = "{SOURCE}"\n'))


def test_an_undeclared_denominator_and_a_region_without_a_value_are_named(tmp_path):
    text = default_scheme_path().read_text(encoding="utf-8")
    path = tmp_path / "scheme.toml"
    path.write_text(
        text.replace("[indicators.shop_count]\n", '[indicators.shop_count]\ndenominator = "gdp"\n'), encoding="utf-8"
    )
    with pytest.raises(SchemeError, match="indicator 'shop_count': denominator 'gdp' is not declared"):
        load_scheme(path)
    file = denominator_file(tmp_path)
    file.write_text("\n".join(file.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")  # no 新疆
    path = scheme_file(tmp_path, f'file = "per_region.csv"\nsource = "{SOURCE}"\n')
    with pytest.raises(DataError, match="denominator 'size' .* has no value for region '650000'"):
        index.prepare(panel.load_panel(SYNTHETIC, load_scheme(path)), path)


def test_a_study_rebuilt_without_its_denominator_or_with_it_elsewhere_equals_the_scheme_that_says_so(tmp_path):
    declaration = f'file = "per_region.csv"\nunit = "things"\nsource = "{SOURCE}"\n'
    denominator_file(tmp_path)
    study = Study.build("province", SYNTHETIC, scheme=scheme_file(tmp_path, declaration))
    plain = Study.build("province", SYNTHETIC)
    pd.testing.assert_frame_equal(study.rebuild(denominators=False).scores, plain.scores, check_exact=True)
    other = tmp_path / "other"
    other.mkdir()
    denominator_file(other)
    elsewhere = Study.build("province", SYNTHETIC, scheme=scheme_file(other, declaration, "product_count"))
    moved = study.rebuild(denominators={"shop_count": None, "product_count": "size"})
    pd.testing.assert_frame_equal(moved.scores, elsewhere.scores, check_exact=True)
    assert moved.log[2]["indicators"] == {"product_count": "size"}
