"""Folds hold out whole writers: no writer is ever on both sides of a split."""

import numpy as np
import pytest

from training.splits import check_disjoint, writer_folds, writer_of
from training.train import calibration_splits

TYPES = ("intervention", "status", "clarification", "reminder", "complaint", "other")


def corpus(writers: int, per_writer: int = 30, generated: int = 50) -> list[dict]:
    records = [{"id": f"w{w}-{i}", "writer": f"w{w:02d}", "source": "handwritten", "type": TYPES[i % 6]}
               for w in range(writers) for i in range(per_writer)]
    return records + [{"id": f"g{i}", "source": "generated", "type": TYPES[i % 6]} for i in range(generated)]


def test_no_writer_on_both_sides_and_every_writer_validated_once():
    records = corpus(9)
    splits = writer_folds(records, 4, seed=1)
    check_disjoint(records, splits)
    groups = np.array([writer_of(r) for r in records])
    tested = np.concatenate([te for _, te in splits])
    assert len(tested) == len(set(tested)) == 9 * 30  # each writer's message validated exactly once
    for tr, te in splits:
        assert set(groups[tr]).isdisjoint(groups[te])
        assert "generator" in set(groups[tr]) and "generator" not in set(groups[te])


def test_a_leaking_split_is_caught():
    records = corpus(3)
    leak = [(np.arange(0, 40), np.arange(35, 60))]  # writer w01 (ids 30-59) on both sides
    with pytest.raises(AssertionError, match="w01"):
        check_disjoint(records, leak)


def test_folds_are_capped_by_writers_and_need_two():
    assert len(writer_folds(corpus(2), 5, seed=0)) == 2
    with pytest.raises(ValueError, match="at least two writers"):
        writer_folds(corpus(1), 5, seed=0)


def test_calibration_falls_back_to_stratified_folds_for_one_writer():
    records = corpus(1, per_writer=60, generated=0)
    splits = calibration_splits(records, 3, seed=0)
    assert len(splits) == 3 and all(len(te) == 20 for _, te in splits)


def test_older_handwritten_mail_is_its_own_writer():
    assert writer_of({"source": "handwritten"}) == "h0"
    assert writer_of({"source": "generated"}) == "generator"
    assert writer_of({"source": "handwritten", "writer": "w07"}) == "w07"
