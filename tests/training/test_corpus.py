import json
import re
from pathlib import Path

import pytest

from training import corpus
from training.train import run

GOOD = {"id": "x1", "subject": "s", "body": "b", "from": "a@b.it", "channel": "email", "type": "status",
        "urgency": "normal", "domain": "lighting", "source": "handwritten"}


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_problems_are_reported_with_file_and_line(tmp_path):
    bad = write(tmp_path / "bad.jsonl", [
        json.dumps(GOOD),
        json.dumps({**GOOD, "id": "x2", "type": "richiesta"}),
        "{not json",
        json.dumps({k: v for k, v in GOOD.items() if k != "urgency"} | {"id": "x3"}),
        json.dumps({**GOOD, "id": "x1"}),
    ])
    with pytest.raises(corpus.CorpusError) as info:
        corpus.load([bad])
    messages = [str(p) for p in info.value.problems]
    assert any("line 2 of" in m and "unknown type 'richiesta'; expected one of intervention" in m for m in messages)
    assert any("line 3 of" in m and "invalid JSON" in m for m in messages)
    assert any("line 4 of" in m and "missing field 'urgency'" in m for m in messages)
    assert any("duplicate id 'x1'" in m for m in messages)
    assert all(str(bad) in m for m in messages)


def test_valid_file_loads(tmp_path):
    good = write(tmp_path / "good.jsonl", [json.dumps(GOOD)])
    assert corpus.load([good]) == [GOOD]


def test_training_refuses_to_start_on_a_bad_corpus(tmp_path):
    write(tmp_path / "train.jsonl", [json.dumps(GOOD), json.dumps({**GOOD, "id": "x2", "urgency": "urgentissima"})])
    write(tmp_path / "gold.jsonl", [json.dumps({**GOOD, "id": "g1"})])
    config = Path(__file__).resolve().parents[2] / "training" / "config.toml"
    text = re.sub(r"(?m)^train = .*$", 'train = ["train.jsonl"]', config.read_text())
    text = re.sub(r'(?m)^gold = .*$', 'gold = "gold.jsonl"', text)
    text = re.sub(r"(?m)^same_writer_gold = .*$", "", text)
    cfg = write(tmp_path / "config.toml", [text])
    with pytest.raises(corpus.CorpusError, match="unknown urgency 'urgentissima'"):
        run(tmp_path, tmp_path / "models", cfg, progress=lambda s: None)
    assert not (tmp_path / "models").exists()


def test_shipped_corpus_is_valid_and_large_enough():
    root = Path(__file__).resolve().parents[2] / "data" / "corpus"
    generated = corpus.load([root / "generated.jsonl"])
    hand = corpus.load([root / "handwritten_train.jsonl"])
    gold = corpus.load([root / "gold.jsonl"])
    assert len(generated) >= 6000 and len(hand) + len(gold) >= 600 and len(gold) >= 300
    assert not {r["id"] for r in gold} & {r["id"] for r in hand}
    assert len({(r["subject"], r["body"]) for r in generated}) == len(generated)


def test_shipped_writers_corpus_has_many_writers_and_whole_writers_held_out():
    root = Path(__file__).resolve().parents[2] / "data" / "corpus"
    train = corpus.load([root / "writers_train.jsonl"])
    gold = corpus.load([root / "writers_gold.jsonl"])
    writers = {r["writer"] for r in train} | {r["writer"] for r in gold}
    assert len(train) + len(gold) >= 4000 and len(writers) >= 12
    assert len(gold) >= 800 and len({r["writer"] for r in gold}) >= 4
    assert not {r["writer"] for r in train} & {r["writer"] for r in gold}
