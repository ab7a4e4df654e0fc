"""Regenerate data/raw/synthetic_panel_province_2023.csv, the SYNTHETIC example panel, from its seed."""

from pathlib import Path

from livecommerce.synthetic import SEED, write_synthetic_panel

PATH = Path(__file__).resolve().parents[1] / "data" / "raw" / "synthetic_panel_province_2023.csv"

if __name__ == "__main__":
    write_synthetic_panel(PATH, SEED)
    print(f"wrote {PATH} (seed {SEED})")
