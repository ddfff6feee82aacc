import pytest

from training.corpus import CorpusError
from training.handwritten import parse


def test_blocks_become_records(tmp_path):
    src = tmp_path / "train_x.txt"
    src.write_text("### status normal lighting email a@b.it\nlampione\nA che punto è?\nGrazie\n\n"
                   "### other low general pec r@pec.it\nACCETTAZIONE\nRicevuta\n", encoding="utf-8")
    records = parse(src)
    assert [r["id"] for r in records] == ["h-train_x-001", "h-train_x-002"]
    assert records[0]["subject"] == "lampione" and records[0]["body"] == "A che punto è?\nGrazie"
    assert records[1]["channel"] == "pec" and records[1]["source"] == "handwritten"


def test_bad_header_is_reported_with_line(tmp_path):
    src = tmp_path / "gold_x.txt"
    src.write_text("### status normal lighting email a@b.it\ns\nb\n### urgente lighting email a@b.it\ns\nb\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="line 4"):
        parse(src)
