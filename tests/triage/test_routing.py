from datetime import datetime, timezone
from pathlib import Path

import pytest

from triage.routing import Router, RulesError

ROUTER = Router.load(Path(__file__).resolve().parents[2] / "routing.toml")
UTC = timezone.utc


def test_deadlines_follow_working_hours_and_italian_holidays():
    friday_late = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)  # 17:00 in Rome
    d = ROUTER.decide(friday_late, type="intervention", urgency="normal")
    # 0.5 h on Friday, Monday 7th, Immacolata on Tuesday 8th skipped, Wednesday, 8.5 h on Thursday
    assert (d.rule, d.destination) == ("interventi", "squadre-manutenzione")
    assert d.deadline.isoformat() == "2026-12-10T17:00:00+01:00"
    christmas_eve = ROUTER.decide(datetime(2026, 12, 24, 15, 0, tzinfo=UTC), type="status", urgency="normal")
    assert christmas_eve.deadline.isoformat() == "2026-12-29T16:00:00+01:00"
    night = ROUTER.decide(datetime(2026, 12, 5, 2, 0, tzinfo=UTC), type="status", urgency="normal")
    assert night.deadline.isoformat() == "2026-12-09T17:30:00+01:00"  # from Monday 08:30; Tuesday is a holiday


def test_emergencies_run_around_the_clock():
    saturday_night = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)
    d = ROUTER.decide(saturday_night, type="intervention", urgency="emergency")
    assert d.destination == "pronto-intervento" and (d.deadline - saturday_night).total_seconds() == 7200


def test_conditions_and_default(tmp_path):
    assert ROUTER.decide(datetime(2026, 12, 1, 9, tzinfo=UTC), type="complaint", urgency="normal").rule == "reclami"
    assert ROUTER.decide(datetime(2026, 12, 1, 9, tzinfo=UTC), type="status", urgency="normal").rule == "contact-center"
    bad = tmp_path / "r.toml"
    bad.write_text('[[rule]]\nname = "x"\nwhen = { colour = ["red"] }\ndestination = "a"\nsla_hours = 1\n')
    with pytest.raises(RulesError, match="colour"):
        Router.load(bad)
    bad.write_text('[[rule]]\nname = "x"\nwhen = { type = ["other"] }\ndestination = "a"\nsla_hours = 1\n')
    with pytest.raises(RulesError, match="default"):
        Router.load(bad)
