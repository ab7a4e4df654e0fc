"""Write SYNTHETIC records (anchors, live sessions, shops, shop sales), seeded: the small set bundled in
data/records/SYNTHETIC_2023/ by default, or a large one for the benchmark.

    python scripts/make_synthetic_records.py                                  # the bundled set (3,000 sessions)
    python scripts/make_synthetic_records.py --sessions 10000000 --kind parquet --output /tmp/records
"""

import argparse
from pathlib import Path

from livecommerce.records.synthetic import SEED, write_synthetic_records

FOLDER = Path(__file__).resolve().parents[1] / "data" / "records" / "SYNTHETIC_2023"

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--kind", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--output", type=Path, default=FOLDER)
    args = parser.parse_args()
    folder = write_synthetic_records(args.output, args.sessions, args.seed, args.kind)
    print(f"wrote SYNTHETIC records to {folder} (seed {args.seed}, {args.sessions} sessions)")
