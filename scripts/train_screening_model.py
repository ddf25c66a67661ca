"""Train the screener's learned models (adapters/screening/learned.py) on the labelled posts.

    pip install -e '.[train]'     # scikit-learn, for training only
    python scripts/train_screening_model.py
    python scripts/train_screening_model.py --without final19 --out /tmp/m.json.gz  # to measure

Reads tests/screening/eval_posts.jsonl without its held-out subsets (evaluation.HELD_OUT, which
measure the screener on posts it was never fitted to), writes adapters/screening/model.json.gz.
Deterministic: the same labelled rows give the same weights. About a minute on two cores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.screening import ContextScreener, Practice  # noqa: E402
from adapters.screening.learned import (  # noqa: E402
    MODEL_PATH,
    OUTSIDE,
    post_features,
    token_features,
    tokens,
)
from bot.screening import PHI_CATEGORIES  # noqa: E402
from tests.screening.evaluation import load, subset, trained_on, training_rows  # noqa: E402

THRESHOLD = 0.15  # chosen by leave-one-writer-out runs (benchmarks/README.md, "learned model")
WORD_THRESHOLD = 0.5
NUMERIC_SCALE = 3.0  # the two numeric post features are regularised less than one word each
MIN_COUNT = 2  # a feature seen once cannot generalise; leaving it out keeps the file small
FOLDS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--without", action="append", default=[], help="leave a subset out")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    practice, rows = load()
    rows = [r for r in training_rows(rows) if subset(r["id"]) not in args.without]
    posts = [_featurize(row, practice) for row in rows]
    groups = np.array([subset(row["id"]) for row in rows])

    token_vocab = _frequent(f for post in posts for word in post["words"] for f in word)
    tv = DictVectorizer()
    token_x = _int32(tv.fit_transform(_counts(w, token_vocab) for p in posts for w in p["words"]))
    token_y = np.array([label for p in posts for label in p["labels"]])
    token_post = np.repeat(np.arange(len(posts)), [len(p["words"]) for p in posts])

    # The post model learns from token probabilities the token model gives posts it never saw.
    strongest = np.zeros(len(posts))
    for train, _ in GroupKFold(FOLDS).split(np.arange(len(posts)), groups=groups):
        in_train = np.isin(token_post, train)
        fold = _token_model().fit(token_x[in_train], token_y[in_train])
        _record_strongest(fold, token_x[~in_train], token_post[~in_train], posts, strongest)
    token_model = _token_model().fit(token_x, token_y)

    post_vocab = _frequent(f for p in posts for f in p["post"])
    pv = DictVectorizer()
    post_x = _int32(pv.fit_transform(_counts(p["post"], post_vocab) for p in posts))
    numeric = np.array([[strongest[i], float(p["rules"])] for i, p in enumerate(posts)])
    post_y = np.array([p["gold"] for p in posts])
    post_model = LogisticRegression(C=1.0, max_iter=5000)
    post_model.fit(hstack([post_x, csr_matrix(numeric * NUMERIC_SCALE)]).tocsr(), post_y)

    model = _export(tv, token_model, pv, post_model, trained_on(rows))
    args.out.write_bytes(gzip.compress(json.dumps(model).encode(), mtime=0))
    print(f"{args.out}: {len(rows)} posts, {args.out.stat().st_size // 1024} KiB")


def _featurize(row: dict[str, Any], default_practice: dict[str, Any]) -> dict[str, Any]:
    practice = Practice.from_mapping(row.get("practice", default_practice))
    scan, found = ContextScreener(practice, model_file=None).rule_scan(row["text"])
    words = tokens(row["text"])
    labels = []
    for t in words:
        spans = [s for s in row["spans"] if s["start"] < t.end and t.start < s["end"]]
        phi = [s["category"] for s in spans if s["category"] in PHI_CATEGORIES]
        labels.append(phi[0] if phi else OUTSIDE)
    return {
        "words": token_features(scan, found, words),
        "masked": [scan.is_masked(t.start, t.end) for t in words],
        "labels": labels,
        "post": post_features(row["text"], found),
        "rules": any(f.is_phi for f in found),
        "gold": any(s["category"] in PHI_CATEGORIES for s in row["spans"]),
    }


def _int32(x: csr_matrix) -> csr_matrix:
    """liblinear takes 32-bit sparse indices only; DictVectorizer may give 64-bit ones."""
    x = csr_matrix(x)
    x.indices, x.indptr = x.indices.astype(np.int32), x.indptr.astype(np.int32)
    return x


def _token_model() -> OneVsRestClassifier:
    return OneVsRestClassifier(LogisticRegression(C=1.0, solver="liblinear"))


def _frequent(features: Any) -> set[str]:
    return {f for f, n in Counter(features).items() if n >= MIN_COUNT}


def _counts(features: list[str], keep: set[str]) -> dict[str, int]:
    return dict(Counter(f for f in features if f in keep))


def _record_strongest(
    model: OneVsRestClassifier,
    x: csr_matrix,
    owner: np.ndarray,
    posts: list[dict[str, Any]],
    strongest: np.ndarray,
) -> None:
    outside = list(model.classes_).index(OUTSIDE)
    chance = 1.0 - model.predict_proba(x)[:, outside]
    position: Counter[int] = Counter()
    for post, p in zip(owner, chance, strict=True):
        k = position[post]
        position[post] += 1
        if not posts[post]["masked"][k]:
            strongest[post] = max(strongest[post], p)


def _export(
    tv: DictVectorizer,
    token_model: OneVsRestClassifier,
    pv: DictVectorizer,
    post_model: LogisticRegression,
    fingerprint: str,
) -> dict[str, Any]:
    coef = np.vstack([e.coef_[0] for e in token_model.estimators_])  # classes x features
    names = tv.get_feature_names_out()
    token_weights = {
        str(names[j]): [round(float(w), 4) for w in coef[:, j]]
        for j in range(coef.shape[1])
        if np.abs(coef[:, j]).max() >= 1e-3
    }
    post_coef = post_model.coef_[0]
    words = pv.get_feature_names_out()
    post_weights = {
        str(words[j]): round(float(post_coef[j]), 4)
        for j in range(len(words))
        if abs(post_coef[j]) >= 1e-3
    }
    return {
        "classes": [str(c) for c in token_model.classes_],
        "token_bias": [round(float(e.intercept_[0]), 4) for e in token_model.estimators_],
        "token_weights": token_weights,
        "post_bias": round(float(post_model.intercept_[0]), 4),
        "post_weights": post_weights,
        "post_token_weight": round(float(post_coef[len(words)]) * NUMERIC_SCALE, 4),
        "post_rule_weight": round(float(post_coef[len(words) + 1]) * NUMERIC_SCALE, 4),
        "threshold": THRESHOLD,
        "word_threshold": WORD_THRESHOLD,
        "trained_on": fingerprint,
    }


if __name__ == "__main__":
    main()
