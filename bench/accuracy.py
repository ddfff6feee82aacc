"""Accuracy on the held-out writers of smista against baselines trained in the same run.

    python bench/accuracy.py [--textcat-epochs N]

Rows, all scored on the same held-out writers (never trained on by any of them):
- a plain ``TfidfVectorizer`` + ``LogisticRegression`` on raw subject and body, and a spaCy
  ``textcat`` model (bag-of-words n-grams, blank Italian), trained on smista's training data;
- smista trained on the old corpus (generator + one writer), the same model on old data;
- smista trained on its current training data.
The first two against the last tell the gain from the model; the old corpus against the last
tells the gain from the data.
"""

from __future__ import annotations

import argparse
import random
import time

import spacy
from spacy.training import Example
from spacy.util import minibatch

from _shared import PROJECT, load_corpus, plain_baseline, raw_text
from classifier.labels import TYPES, URGENCIES
from classifier import nlp as nlp_mod
from classifier.features import prepare
from rich.console import Console
from rich.table import Table
from training import corpus
from training.evaluate import head_report
from training.train import fit, read_config, to_message

OLD_CORPUS = ["data/corpus/generated.jsonl", "data/corpus/handwritten_train.jsonl"]

HEADS = {"type": TYPES, "urgency": URGENCIES}


def textcat_baseline(train: list[dict], head: str, epochs: int, seed: int = 0):
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("it")
    config = {"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
                        "no_output_layer": False}}
    textcat = nlp.add_pipe("textcat", config=config)
    for label in HEADS[head]:
        textcat.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(raw_text(r)), {"cats": {lab: float(lab == r[head]) for lab in HEADS[head]}})
                for r in train]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=64):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    return nlp


def scores(gold: list[dict], predictions: dict[str, list[str]]) -> dict[str, float]:
    t = head_report([r["type"] for r in gold], predictions["type"], TYPES)
    u = head_report([r["urgency"] for r in gold], predictions["urgency"], URGENCIES)
    return {"type macro-F1": t.macro_f1, "urgency macro-F1": u.macro_f1, "emergency recall": u.recall["emergency"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--textcat-epochs", type=int, default=5)
    args = parser.parse_args()
    train, gold = load_corpus()
    rows, seconds = {}, {}

    started = time.perf_counter()
    preds = {h: list(plain_baseline(train, h).predict([raw_text(r) for r in gold])) for h in HEADS}
    rows["TF-IDF + LogisticRegression"], seconds["TF-IDF + LogisticRegression"] = scores(gold, preds), time.perf_counter() - started

    started = time.perf_counter()
    preds = {}
    for head in HEADS:
        model = textcat_baseline(train, head, args.textcat_epochs)
        preds[head] = [max(doc.cats, key=doc.cats.get) for doc in model.pipe(raw_text(r) for r in gold)]
    rows["spaCy textcat (BOW)"], seconds["spaCy textcat (BOW)"] = scores(gold, preds), time.perf_counter() - started

    nlp, name = nlp_mod.load()
    old = corpus.load([PROJECT / p for p in OLD_CORPUS])
    for label, data in ((f"smista on the old corpus ({len(old)})", old), ("smista", train)):
        started = time.perf_counter()
        model = fit(prepare([to_message(r) for r in data], nlp), data, read_config(), name, "bench")
        model.thresholds = {"type": 0.0, "urgency": 0.0}
        results = model.predict([to_message(r) for r in gold], nlp)
        preds = {"type": [x.type for x in results], "urgency": [x.urgency for x in results]}
        rows[label], seconds[label] = scores(gold, preds), time.perf_counter() - started

    writers = sorted({r.get("writer", "?") for r in gold})
    table = Table(title=f"held-out writers {', '.join(writers)}: {len(gold)} messages never trained on "
                        f"({len(train)} training messages)")
    table.add_column("model")
    for col in ("type macro-F1", "urgency macro-F1", "emergency recall", "train+predict s"):
        table.add_column(col, justify="right")
    for name_, row in rows.items():
        table.add_row(name_, *[f"{v:.3f}" for v in row.values()], f"{seconds[name_]:.0f}")
    Console(width=120).print(table)
    best = max(v["type macro-F1"] for k, v in rows.items() if not k.startswith("smista"))
    print(f"smista type macro-F1 minus best baseline: {rows['smista']['type macro-F1'] - best:+.3f}")


if __name__ == "__main__":
    main()
