"""Regenerate data/raw/synthetic_panel_{province,city,prefecture}_2023.csv, the SYNTHETIC example panels, from
their seed."""

from pathlib import Path

from livecommerce.data.synthetic import SEED, write_synthetic_panel
from livecommerce.index.scheme import load_scheme
from livecommerce.vocab import LEVELS

FOLDER = Path(__file__).resolve().parents[1] / "data" / "raw"

if __name__ == "__main__":
    for level in LEVELS:
        path = FOLDER / f"synthetic_panel_{level}_2023.csv"
        write_synthetic_panel(path, level, SEED, scheme=load_scheme())
        print(f"wrote {path} (seed {SEED})")
