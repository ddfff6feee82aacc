"""Urgency safety layer: danger cues that can only raise urgency, never lower it.

A contact center must not miss a gas smell written calmly, so explicit danger cues raise the
urgency to ``emergency`` whatever the model said; each rule that fires is recorded in the
explanation. Negations just before a cue ("nessun odore di gas", "non c'è fumo") stop it.
Rules run on the normalised text (lowercase, accent-folded), so ``c'e'`` and ``c'è`` match alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifier.labels import URGENCY_RANK


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    urgency: str = "emergency"


def _rule(name: str, pattern: str, urgency: str = "emergency") -> Rule:
    return Rule(name, re.compile(pattern), urgency)


RULES: tuple[Rule, ...] = (
    _rule("fuoco", r"\b(preso fuoco|in fiamme|fiamm[ea]t?[ea]?|incendio|brucia(ndo)?|on fire|fire)\b"),
    _rule("fumo", r"\b(fumo|fuma|fumando|smoke|smoking)\b"),
    _rule("odore di gas", r"\b(odore|puzza|fuga|perdita|smell)\b( forte| fortissim[oa])?( di| of)? gas\b|\bgas smell\b"),
    _rule("odore di bruciato", r"\b(odore|puzza) (di |acre|forte di )?(bruciato|plastica bruciata)|\bodore acre\b"),
    _rule("fili scoperti", r"\b(fili|cavi?|conduttori)( elettric[io])?( senza guaina)? (scopert[io]|espost[io]|di fuori|a terra|penzol\w*)"
                           r"|\bparti in tensione\b|\bprende la scossa\b|\bscintill\w*|\bsparks?\b|\bappes[oa] ai (fili|cavi)\b"),
    _rule("struttura pericolante", r"\bpericolant\w*|\b(sta|stanno|rischia(no)?) (per )?(di )?(cadere|crollare|cedere)\b|\bsta cadendo\b"
                                   r"|\bpenzol\w*|\bpende sopra\b|\boscill\w+|\bsi (sta )?stacca\w*|\bstaccat[oa] (e|che) pend\w*"
                                   r"|\b(could|about to) fall\b|\bleaning\b"),
    _rule("palo o albero caduto", r"\b(palo|lampione|albero|ramo)( \w+){0,3} (caduto|abbattuto|a terra|spezzato|sdraiato|divelto)"
                                  r"|\b(abbattuto|caduto) (un|il) (palo|albero|lampione)|\b(tree|pole) (has )?fallen|fallen (tree|pole)"),
    _rule("crollo", r"\bcrollat\w*|\bcrollo\b|\bcalcinacci\b|\bcaduti (dei )?pezzi\b|\bcrepe? che si allarga\w*|\bvoragine\b|\bsprofondat\w*"),
    _rule("allagamento", r"\ballagat\w*|\ballagamento\b|\bsta allagando\b|\besond\w*|\bflood\w*"
                         r"|\bacqua\b.{0,60}\b(quadr[oi]|prese?|presa|armadi[oi]?|cabina|centralin\w) elettric\w*"
                         r"|\bacqua\b.{0,40}\b(sui|sopra i) server|\bacqua\b.{0,60}\b(vano (dell')?ascensore|locale macchine)\b"),
    _rule("semaforo guasto", r"\b(semafor\w*|impianto semaforico|lanterne semaforiche)\b.{0,50}\b(spent[oi]|guast[oi]|in tilt"
                             r"|non funzion\w*|fuori servizio|verde contemporaneamente|verde su (entrambe|tutte|due))"
                             r"|\btraffic lights? (are |is )?(out|off|not working|broken)\b"),
    _rule("persone bloccate", r"\b(bloccat[oaie]|chius[oaie]|intrappolat[oaie]|stuck)\b.{0,40}\b(ascensore|montalettighe|lift|elevator)\b"
                              r"|\b(ascensore|montalettighe)\b.{0,40}\b(bloccat[oaie] (dentro|con))"),
    _rule("pericolo stradale", r"\btombino\b.{0,30}\b(senza coperchio|aperto|scoperchiato|sprofondat\w*)|\b(macchia|striscia|chiazza) (lunga )?(d'olio|di olio|di gasolio)"
                               r"|\bguard ?rail\b.{0,20}\b(divelto|sfondato)|\bfrana\b|\bcarico\b.{0,20}\b(perso|in mezzo)"),
    _rule("feriti", r"\bferit[oaie]\b|\binjured\b"),
)

_NEGATION = re.compile(r"\b(non|nessun[oa]?|niente|senza|no|nothing)\b")
_WINDOW = 25  # characters before a cue searched for a negation


@dataclass(frozen=True)
class Fired:
    rule: str
    urgency: str
    match: str


def check(folded_text: str) -> list[Fired]:
    """The rules that fire on ``folded_text`` (normalised), negated cues excluded."""
    fired = []
    for rule in RULES:
        for m in rule.pattern.finditer(folded_text):
            before = folded_text[max(0, m.start() - _WINDOW):m.start()]
            if _NEGATION.search(before):
                continue
            fired.append(Fired(rule.name, rule.urgency, m.group(0)))
            break
    return fired


def raise_urgency(urgency: str, fired: list[Fired]) -> str:
    """Apply fired rules: the result is never less urgent than ``urgency``."""
    for f in fired:
        if URGENCY_RANK[f.urgency] > URGENCY_RANK[urgency]:
            urgency = f.urgency
    return urgency
