#!/usr/bin/python3
"""Trains a small XGBoost model over foldrank's feature names and writes, into the
directory given as the only argument:
  trees.json     Booster.get_dump(dump_format="json", with_stats=True) as one array
  base_score.txt the booster's base_score
  rows.txt       test rows, one per line, 16 space-separated float32 values
  margins.txt    XGBoost's own prediction (output_margin) for each row
Run by tree_ensemble_test with Debian's python3-xgboost.
"""
import json
import sys

import numpy as np
import xgboost as xgb

FEATURES = ["bm25_title", "bm25_body", "bm25_all", "retrieval_score", "coverage_title",
            "coverage_body", "phrase_in_title", "proximity_body", "log_title_length",
            "log_body_length", "log_popularity", "freshness", "query_length", "sum_idf",
            "click_rate_doc", "click_rate_query_doc"]

out = sys.argv[1]
rng = np.random.default_rng(7)
x = rng.random((400, len(FEATURES)), dtype=np.float32)
y = 2 * x[:, 2] + x[:, 0] * x[:, 4] - 0.5 * x[:, 10] + rng.normal(0, 0.1, 400)
train = xgb.DMatrix(x, label=y, feature_names=FEATURES)
booster = xgb.train({"max_depth": 4, "eta": 0.3, "objective": "reg:squarederror", "seed": 1},
                    train, num_boost_round=25)

with open(f"{out}/trees.json", "w") as f:
    f.write("[" + ",".join(booster.get_dump(dump_format="json", with_stats=True)) + "]")
config = json.loads(booster.save_config())
with open(f"{out}/base_score.txt", "w") as f:
    f.write(config["learner"]["learner_model_param"]["base_score"] + "\n")

rows = rng.random((60, len(FEATURES)), dtype=np.float32)
# Values exactly at split thresholds exercise XGBoost's "value < threshold" rule.
root = json.loads(booster.get_dump(dump_format="json")[0])
rows[:5, FEATURES.index(root["split"])] = np.float32(root["split_condition"])
margins = booster.predict(xgb.DMatrix(rows, feature_names=FEATURES), output_margin=True)
np.savetxt(f"{out}/rows.txt", rows, fmt="%.9g")
np.savetxt(f"{out}/margins.txt", margins, fmt="%.9g")
