#!/usr/bin/python3
"""Reference predictions from Debian's XGBoost, used by the ranker tests to check the TypeScript importer,
scorer and TreeSHAP against XGBoost itself.

Usage: /usr/bin/python3 scripts/xgboost_reference.py MODEL.json [ROWS]
ROWS (a file, or stdin when omitted or "-") is either JSON, a list of rows with null for a missing value,
or CSV, one row per line with an empty field or "nan" for a missing value.
Prints JSON {"predictions": [margin per row], "contributions": [[per feature..., bias] per row]}.
"""
import json
import math
import sys

import numpy as np
import xgboost as xgb


def read_rows(text):
    stripped = text.strip()
    if stripped.startswith("["):
        rows = json.loads(stripped)
        return [[math.nan if value is None else float(value) for value in row] for row in rows]
    rows = []
    for line in stripped.splitlines():
        if line.strip() == "":
            continue
        rows.append([math.nan if field.strip() in ("", "nan", "NaN") else float(field) for field in line.split(",")])
    return rows


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: xgboost_reference.py MODEL.json [ROWS]")
    # XGBoost prints its warnings (e.g. "old JSON model") on stdout, which must carry only the JSON result.
    xgb.set_config(verbosity=0)
    booster = xgb.Booster(model_file=sys.argv[1])
    source = sys.argv[2] if len(sys.argv) > 2 else "-"
    text = sys.stdin.read() if source == "-" else open(source, encoding="utf-8").read()
    rows = read_rows(text)
    data = xgb.DMatrix(np.array(rows, dtype=np.float64), missing=np.nan)
    predictions = booster.predict(data, output_margin=True)
    contributions = booster.predict(data, pred_contribs=True)
    json.dump(
        {
            "predictions": [float(value) for value in predictions],
            "contributions": [[float(value) for value in row] for row in contributions],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
