import pytest

from classifier.safety import check, raise_urgency
from classifier.textprep import normalise


@pytest.mark.parametrize("text, rule", [
    ("C'e' un forte odore di gas nella centrale termica", "odore di gas"),
    ("dal quadro escono scintille", "fili scoperti"),
    ("si vedono i fili scoperti alla base del palo", "fili scoperti"),
    ("il palo è pericolante", "struttura pericolante"),
    ("due persone sono rimaste bloccate nell'ascensore", "persone bloccate"),
    ("il seminterrato è allagato", "allagamento"),
    ("la lanterna ha preso fuoco e fa fumo", "fuoco"),
    ("un albero è caduto sulla carreggiata", "palo o albero caduto"),
    ("il tombino in mezzo alla strada è senza coperchio", "pericolo stradale"),
    ("There is a strong smell of gas in the lab", "odore di gas"),
])
def test_danger_cues_fire(text, rule):
    assert rule in [f.rule for f in check(normalise(text))]


@pytest.mark.parametrize("text", [
    "nessun odore di gas, solo il termosifone freddo",
    "non c'è fumo, ma la caldaia è spenta",
    "il lampione è spento da tre giorni",
    "senza pericolo: la tapparella è rotta",
])
def test_negated_or_absent_cues_do_not_fire(text):
    assert check(normalise(text)) == []


def test_rules_only_raise_urgency():
    fired = check(normalise("odore di gas in cucina"))
    assert raise_urgency("low", fired) == "emergency"
    assert raise_urgency("emergency", fired) == "emergency"
    assert raise_urgency("high", []) == "high"
