#!/usr/bin/env python3
"""Fit Storyline's event-join decision (gradient-boosted trees) from candidate features.

The clustering decision "does this article join its best candidate event?" is learned from
labelled article streams, as Miranda et al. (2018) learn theirs. This script is a dev-time
tool: the product only reads the model file it writes.

    S=../shared/data/clustering; R="cargo run --release -p storyline --example cluster_features --"
    # 1. candidate features with the clusterer's state built from the gold stories
    for f in mn_val_stream duc_stream googlenews_ts_stream; do $R $S/$f.jsonl > /tmp/tf_$f.csv; done
    # 2. round 0: fit on the even-numbered articles of every stream (odd ones stay held out)
    python3 tools/train_join_model.py /tmp/tf_*.csv > /tmp/round0.txt
    # 3. DAgger (Ross et al. 2011): features of the states the round-0 model itself builds
    for f in mn_val_stream duc_stream googlenews_ts_stream; do
      $R $S/$f.jsonl --on-policy --model /tmp/round0.txt --param join_probability=0.4 > /tmp/op_$f.csv
    done
    # 4. round 1, the shipped model: both sets of features
    python3 tools/train_join_model.py /tmp/tf_*.csv /tmp/op_*.csv > crates/storyline/src/cluster/join_model.txt

Needs numpy and scikit-learn (the peers' venv has them). Model file format, one item per
line: `baseline B`, then per tree `tree N` followed by N node lines
`feature threshold left right value leaf` (go left when x[feature] <= threshold).
"""
import collections
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier


def load(paths, parity):
    X, y = [], []
    for path in paths:
        for line in open(path):
            p = line.rstrip("\n").split(",")
            if p[1] == "-1" or int(p[0]) % 2 != parity:
                continue
            X.append([float(x) for x in p[3:]])
            y.append(int(p[2]))
    return np.array(X), np.array(y)


def main():
    paths = sys.argv[1:]
    if not paths:
        sys.exit(__doc__)
    X, y = load(paths, 0)
    model = HistGradientBoostingClassifier(max_iter=100, max_depth=4, learning_rate=0.1, random_state=0)
    model.fit(X, y)
    out = [f"baseline {float(np.ravel(model._baseline_prediction)[0]):.9g}"]
    for trees in model._predictors:
        nodes = trees[0].nodes
        out.append(f"tree {len(nodes)}")
        for n in nodes:
            out.append(
                f"{int(n['feature_idx'])} {float(n['num_threshold']):.9g} {int(n['left'])} {int(n['right'])} "
                f"{float(n['value']):.9g} {int(n['is_leaf'])}"
            )
    print("\n".join(out))
    print(f"# fitted on {len(y)} candidates ({int(y.sum())} positive) from {len(paths)} streams", file=sys.stderr)


if __name__ == "__main__":
    main()
