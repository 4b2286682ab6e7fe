"""Trains Debian's XGBoost (rank:ndcg, tree_method=hist) on LibSVM + query files as the reference for
`npm run bench -- ranker`, and prints one JSON object: the training time measured around xgb.train
alone, and the raw predictions on the test file (the benchmark computes NDCG with its own metric code
so both models are judged by the same numbers).

Run with Debian's interpreter: /usr/bin/python3 scripts/bench/xgboost_train.py --train F --train-query Q
--test F --test-query Q [--rounds 100 --eta 0.1 --max-leaves 31 --min-child-weight 0.001 --nthread N]
"""

import argparse
import json
import sys
import time


def read_groups(path):
    with open(path, encoding="utf-8") as handle:
        return [int(line) for line in handle if line.strip()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True)
    parser.add_argument("--train-query", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--test-query", required=True)
    parser.add_argument("--num-features", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--eta", type=float, default=0.1)
    parser.add_argument("--max-leaves", type=int, default=31)
    parser.add_argument("--max-depth", type=int, default=0)
    parser.add_argument("--min-child-weight", type=float, default=1e-3)
    parser.add_argument("--reg-lambda", type=float, default=0.0)
    parser.add_argument("--nthread", type=int, default=2)
    args = parser.parse_args()

    import xgboost as xgb
    from sklearn.datasets import load_svmlight_file

    # sklearn's reader with an explicit width, so train and test have the same columns (index i = column i).
    train_x, train_y = load_svmlight_file(args.train, n_features=args.num_features, zero_based=True)
    test_x, test_y = load_svmlight_file(args.test, n_features=args.num_features, zero_based=True)
    train = xgb.DMatrix(train_x, label=train_y)
    train.set_group(read_groups(args.train_query))
    test = xgb.DMatrix(test_x, label=test_y)
    test.set_group(read_groups(args.test_query))

    params = {
        "objective": "rank:ndcg",
        "tree_method": "hist",
        "grow_policy": "lossguide",
        "max_leaves": args.max_leaves,
        "max_depth": args.max_depth,
        "eta": args.eta,
        "min_child_weight": args.min_child_weight,
        "lambda": args.reg_lambda,
        "max_bin": 255,
        "nthread": args.nthread,
        "eval_metric": "ndcg@10",
        "verbosity": 0,
    }
    start = time.perf_counter()
    booster = xgb.train(params, train, num_boost_round=args.rounds)
    train_ms = (time.perf_counter() - start) * 1000
    predictions = booster.predict(test, output_margin=True)
    json.dump(
        {
            "version": xgb.__version__,
            "trainMs": train_ms,
            "params": params,
            "rounds": args.rounds,
            "predictions": [float(value) for value in predictions],
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
