"""Write tests/reference/coinr/report_inputs.csv, the report's data that scripts/coinr_reference.R gives COINr: the
published province sub-indices (表4–表9: activity, sales, influence, goods, venue) with their effective weights in
the report's scheme (a last row, ``weight``)."""

from pathlib import Path

import pandas as pd

from livecommerce.index.model import effective_weights, from_published

PATH = Path(__file__).resolve().parents[1] / "tests" / "reference" / "coinr" / "report_inputs.csv"

if __name__ == "__main__":
    model = from_published("province")
    data = pd.DataFrame(model.scores["published"], index=model.regions, columns=list(model.leaves))
    weights = effective_weights(model)["effective"][list(model.leaves)]
    frame = pd.concat([data, weights.to_frame("weight").T])
    frame.index.name = "region"
    with PATH.open("w", encoding="utf-8", newline="\n") as file:
        file.write("# The report's province sub-indices and their effective weights; scripts/export_coinr_inputs.py\n")
        frame.to_csv(file, float_format="%.17g", lineterminator="\n")
    print(f"wrote {PATH}")
