"""Helpers shared by the benchmarks: corpus loading and the plain TF-IDF baseline."""

from __future__ import annotations

import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from training import corpus  # noqa: E402
from training.train import read_config  # noqa: E402


def load_corpus() -> tuple[list[dict], list[dict]]:
    config = read_config()
    train = corpus.load([PROJECT / p for p in config["corpus"]["train"]])
    gold = corpus.load([PROJECT / config["corpus"]["gold"]])
    return train, gold


def raw_text(record: dict) -> str:
    return f"{record.get('subject', '')}\n{record.get('body', '')}"


def plain_baseline(train: list[dict], head: str):
    """The reference point: TfidfVectorizer + LogisticRegression on subject and body as they are."""
    model = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=2000))
    return model.fit([raw_text(r) for r in train], [r[head] for r in train])
