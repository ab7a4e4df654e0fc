"""Regenerate data/examples/synthetic_edition_2024/, the SYNTHETIC 2024 edition, from its seed."""

from pathlib import Path

from livecommerce.data.synthetic import EDITION_SEED, write_synthetic_edition
from livecommerce.index.scheme import load_scheme

FOLDER = Path(__file__).resolve().parents[1] / "data" / "examples" / "synthetic_edition_2024"

if __name__ == "__main__":
    write_synthetic_edition(FOLDER, EDITION_SEED, scheme=load_scheme())
    print(f"wrote {FOLDER} (seed {EDITION_SEED})")
