"""The corpus profile check: it fails a corpus below the shape of a real inbox."""

from pathlib import Path

from typer.testing import CliRunner

from training.profile import profile, shortfalls

QUOTE = "\n\nIl giorno lun 3 mar 2026 alle ore 09:14 Mario Rossi <m.rossi@gmail.com> ha scritto:\n> il lampione"
WORDS = " ".join(f"parola{i}" for i in range(70))


def record(i: int, body: str, channel: str = "email", subject: str = "lampione") -> dict:
    return {"id": str(i), "subject": subject, "body": body, "channel": channel, "type": "intervention",
            "urgency": "normal", "domain": "lighting"}


def realistic() -> list[dict]:
    """Twenty messages with every trait of the inbox's shape in its share."""
    extras = [QUOTE, QUOTE, QUOTE, QUOTE, QUOTE + " " + WORDS * 2, "\nInizio messaggio inoltrato:\nDa: x",
              "\nInviato da iPhone", "\nAi sensi del Regolamento UE 2016/679 il messaggio è riservato",
              " perche e' gia rotto", " IL LAMPIONE È SPENTO DA GIORNI VENITE SUBITO PER FAVORE", " &nbsp;<br>",
              " Hello, please fix the lamp, thanks and regards", " " + WORDS * 2, "", "", "", "", "", "", ""]
    records = [record(i, WORDS + extra, channel="pec" if i < 3 else "email") for i, extra in enumerate(extras)]
    records[9]["body"] = records[9]["body"].upper()
    return records


def test_a_realistic_corpus_passes():
    assert shortfalls(profile(realistic())) == []


def test_short_cue_heavy_mail_fails_with_the_figures_named():
    short = [record(i, "Il lampione di via Roma è spento.") for i in range(50)]
    problems = shortfalls(profile(short))
    assert any(p.startswith("median_words is 7") for p in problems)
    assert any(p.startswith("replies is 0") for p in problems)
    assert any(p.startswith("pec is 0") for p in problems)


def test_corpus_profile_command_exits_1_below_the_shape(tmp_path: Path):
    from triage.cli import app
    folder = tmp_path / "writers" / "w99"
    folder.mkdir(parents=True)
    (folder / "batch_01.txt").write_text("".join(
        f"### intervention normal lighting email a{i}@b.it\nlampione {i}\nIl lampione {i} è spento.\n\n" for i in range(10)))
    result = CliRunner().invoke(app, ["corpus", "profile", "--writers", str(tmp_path / "writers")])
    assert result.exit_code == 1
    assert "median_words" in result.output
