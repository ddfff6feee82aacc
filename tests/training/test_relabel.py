"""The blind second labelling: the sample hides labels and writers, agreement counts kappa,
and settled labels replace the writer's while keeping it."""

from pathlib import Path

import pytest

from training.relabel import agreement, apply, read_adjudicated, read_key, read_labels, sample, write_blind


def records() -> list[dict]:
    types = ["intervention", "status", "other"]
    return [{"id": f"w{w}-{i}", "writer": f"w{w}", "channel": "email", "subject": f"s{i}", "body": f"corpo {w} {i}",
             "type": types[i % 3], "urgency": "low" if i % 3 == 2 else "normal"} for w in range(3) for i in range(9)]


def test_the_blind_sample_shows_no_label_and_no_writer(tmp_path: Path):
    picked = sample(records(), per_writer=4, seed=1)
    assert len(picked) == 12 and {r["writer"] for r in picked} == {"w0", "w1", "w2"}
    write_blind(picked, tmp_path / "blind.txt", tmp_path / "key.tsv")
    text = (tmp_path / "blind.txt").read_text()
    assert "intervention" not in text and "w1-" not in text and "### m0001 email" in text
    assert set(read_key(tmp_path / "key.tsv").values()) == {r["id"] for r in picked}


def test_agreement_and_settled_labels(tmp_path: Path):
    recs = records()
    second = {r["id"]: (r["type"], r["urgency"]) for r in recs}
    second["w0-0"] = ("reminder", "normal")
    result = agreement(recs, second)
    assert result["n"] == 27 and result["type"]["agreement"] == pytest.approx(26 / 27, abs=1e-4)
    assert result["type"]["kappa"] < 1.0 and result["urgency"]["kappa"] == 1.0
    assert result["disagreements"] == [{"id": "w0-0", "writer": "w0", "first": ("intervention", "normal"),
                                        "second": ("reminder", "normal")}]
    path = tmp_path / "adjudicated.tsv"
    path.write_text("id\ttype\turgency\treason\nw0-0\treminder\tnormal\tpresses on an earlier report\n")
    settled = apply(recs, read_adjudicated(path))
    assert settled[0]["type"] == "reminder" and settled[0]["writer_label"] == "intervention/normal"
    assert recs[0]["type"] == "intervention"  # the writer's records are not changed


def test_an_unknown_label_is_an_error_naming_the_line(tmp_path: Path):
    path = tmp_path / "labels.tsv"
    path.write_text("m0001\trichiesta\tnormal\n")
    with pytest.raises(ValueError, match="line 1 of .*labels.tsv"):
        read_labels(path)
