"""Seeded generator of the training corpus from the hand-written phrase banks.

Every message is composed as it would appear in a contact center's mailbox: greeting,
optional self-introduction, the request built from a type frame and a domain phrase,
closing, signature, optional disclaimer and quoted history; then the noise of real mail
(missing accents, typos, capitals, HTML leftovers, very short or very long text).
The same seed always yields the same corpus; no two messages are identical.

Labelling rules (see data/README.md):
- intervention: the urgency of the reported fault, raised to ``high`` by a hard deadline;
- status and reminder: the urgency the referenced problem still carries (``normal`` at least);
- clarification: ``low`` unless a deadline makes it ``normal`` or ``high``;
- complaint: ``normal`` unless it also reports an ongoing fault, which then decides;
- other: always ``low``.
"""

from __future__ import annotations

import json
import random
import string
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from training.phrasebank import common, frames, objects, people
from training.phrasebank.domains import DOMAINS
from training.phrasebank.english import ENGLISH

TYPE_SHARE = {"intervention": 0.28, "status": 0.13, "clarification": 0.18, "reminder": 0.13, "complaint": 0.12, "other": 0.16}
INTERVENTION_URGENCY = {"emergency": 0.27, "high": 0.25, "normal": 0.38, "low": 0.10}
MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"]
WEEKDAYS = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"]
EXTRA_SENTENCES = [
    "Vi allego alcune foto.", "Abito qui da vent'anni e non era mai successo.", "Il problema è stato segnalato anche ai vigili.",
    "Resto a disposizione per chiarimenti al numero {phone}.", "Vi ringrazio per la collaborazione.",
    "Ho provato anche a chiamare il numero verde ma la linea era sempre occupata.", "Lo dico anche a nome dei vicini.",
    "Allego la planimetria con il punto indicato.", "Passo di lì tutti i giorni per andare al lavoro.",
    "Non so se è di vostra competenza, nel caso inoltrate pure a chi di dovere.", "Per qualsiasi cosa potete chiamarmi.",
    "Mi scuso per il disturbo.", "Faccio presente che nella zona ci sono molti anziani.",
]


class Slots:
    """Fills ``{slot}`` fields; a slot keeps its value within one message so references agree."""

    def __init__(self, rng: random.Random, domain: str) -> None:
        self.rng = rng
        self.domain = domain
        self.values: dict[str, str] = {}

    def fill(self, template: str) -> str:
        names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
        return template.format(**{n: self[n] for n in names})

    def __getitem__(self, name: str) -> str:
        if name not in self.values:
            self.values[name] = self._make(name)
        return self.values[name]

    def _digits(self, n: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    def _letters(self, n: int) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(n))

    def _make(self, name: str) -> str:  # noqa: C901 - a flat table of slot recipes
        r, c = self.rng, self.rng.choice
        match name:
            case "first":
                return c(people.FIRST_NAMES)
            case "surname":
                return c(people.SURNAMES)
            case "name":
                return f"{self['first']} {self['surname']}"
            case "initial":
                return self["first"][0]
            case "phone":
                return c([f"3{self._digits(2)} {self._digits(7)}", f"0{self._digits(3)} {self._digits(6)}",
                          f"+39 3{self._digits(2)} {self._digits(3)} {self._digits(4)}", f"3{self._digits(2)}-{self._digits(7)}",
                          f"0{self._digits(2)}.{self._digits(3)}.{self._digits(3)}"])
            case "email":
                user = f"{self['first']}.{self['surname']}".lower().replace(" ", "").replace("'", "")
                return f"{user}{c(['', '', self._digits(2)])}@{c(people.EMAIL_DOMAINS)}"
            case "street" | "street2":
                return c(people.STREETS)
            case "num":
                return str(r.randint(1, 180))
            case "square":
                return c(people.SQUARES)
            case "school":
                return c(people.SCHOOLS)
            case "hospital":
                return c(people.HOSPITALS)
            case "ward":
                return c(people.WARDS)
            case "area":
                return c(people.AREAS)
            case "city":
                return c(people.CITIES)
            case "role":
                return c(people.ROLES)
            case "org":
                return c(people.COMPANIES + [f"Comune di {self['city']}", f"Istituto Comprensivo {self['school']}",
                                             f"ASL di {self['city']}", f"Provincia di {self['city']}"])
            case "pole":
                return c([f"PL-{self._digits(4)}", f"P{self._digits(3)}", f"n. {self._digits(4)}", f"IP{self._digits(5)}",
                          f"{self._letters(2)}-{self._digits(4)}", f"{self._digits(3)}/{self._digits(2)}"])
            case "qr":
                return c([f"QR{self._digits(6)}", f"QR-{self._letters(2)}-{self._digits(5)}", f"{self._digits(8)}"])
            case "ticket":
                return c([f"TK-2026-{self._digits(5)}", f"#{self._digits(6)}", f"INC{self._digits(7)}", f"n. {self._digits(5)}",
                          f"{self._digits(6)}", f"SR{self._digits(6)}"])
            case "protocol":
                return c([f"{self._digits(5)}/2026", f"n. {self._digits(4)} del {self['date']}", f"REG-{self._digits(6)}"])
            case "date" | "date2":
                day, month = r.randint(1, 28), r.randint(1, 12)
                return c([f"{day:02d}/{month:02d}/2026", f"{day} {MONTHS[month - 1]}", f"{day}.{month}.26", f"{day}/{month}"])
            case "time":
                return f"{r.randint(7, 22):02d}:{r.randint(0, 59):02d}"
            case "weekday":
                return c(WEEKDAYS)
            case "month":
                return c(MONTHS)
            case "plate" | "plate2":
                return f"{self._letters(2)}{self._digits(3)}{self._letters(2)}"
            case "card":
                return c([f"**** {self._digits(4)}", f"7000 {self._digits(4)} {self._digits(4)}", f"n. {self._digits(8)}",
                          f"terminante con {self._digits(4)}"])
            case "claim":
                return f"{self._digits(4)}/26/{self._digits(4)}"
            case "invoice":
                return f"{self._digits(4)}/{c(['25', '26'])}"
            case "sp":
                return f"SP{r.randint(1, 99)}"
            case "road":
                return str(r.randint(1, 30))
            case "ws":
                return c([f"PC-{self._digits(3)}", f"{self._letters(3)}{self._digits(2)}", f"n. {r.randint(1, 40)}"])
            case "cup":
                return f"{self._letters(1)}{self._digits(2)}{self._letters(1)}{self._digits(2)}{self._digits(6)}"
            case "call":
                return c(people.CALLS)
            case "url":
                return c(["http://", "https://"]) + c(["bit.ly/", "secure-login.", "promo-pa.", "info-"]) + \
                    "".join(r.choice(string.ascii_lowercase) for _ in range(6)) + c([".com/", ".net/", ".info/x?id="])
            case "digits":
                return self._digits(8)
            case "digits2":
                return self._digits(4)
            case "topic":
                return c(["polizza", "bando", "contratto", "orari", "fatturazione", "carte", "servizio", "manutenzione"])
            case "object":
                return c(objects.OBJECTS.get(self.domain, objects.OBJECTS["lighting"]))
            case "object_cap":
                return _sentence(self["object"])
            case "broken":
                return c(objects.BROKEN)
            case "place":
                places = [str(p) for p in DOMAINS[self.domain]["places"]] if self.domain in DOMAINS else []
                return self.fill(c(places) if places else "via {street}")
            case "where":
                return self["place"].replace("il ", "").replace("la ", "")
            case "subject":
                return c(["Segnalazione guasto", "Richiesta intervento", "Informazioni", "segnalazione"])
            case _:
                raise KeyError(f"no recipe for slot {{{name}}}")


@dataclass(frozen=True)
class Draft:
    """A generated request before the mailbox noise is applied."""

    subject: str
    text: str
    urgency: str
    quoted: str = ""


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _intervention(rng: random.Random, slots: Slots, bank: dict, urgency: str) -> Draft:
    deadline = urgency == "high" and rng.random() < 0.3
    level = "normal" if deadline else urgency
    faults = bank["faults"][level] or bank["faults"]["normal"]
    if not bank["faults"][level]:
        urgency = "normal"
    fault = slots.fill(rng.choice(faults))
    if level == "normal" and rng.random() < 0.4:
        fault = slots.fill(rng.choice(["{object} {broken}", "{object} in {place} {broken}", "{object} {broken} da qualche giorno"]))
    parts = [_sentence(rng.choice(frames.INTERVENTION).format(fault=fault))]
    if deadline:
        parts.append(rng.choice(frames.DEADLINE_HIGH))
    parts.append(rng.choice(frames.INTERVENTION_ASK[level]))
    return Draft(slots.fill(rng.choice(frames.SUBJECTS["intervention"])), " ".join(p for p in parts if p), urgency)


def _issue(rng: random.Random, slots: Slots, bank: dict, allowed: tuple[str, ...]) -> tuple[str, str]:
    choices = [(np, u) for np, u in bank["issues"] if u in allowed] or bank["issues"]
    np, urgency = rng.choice(choices)
    return slots.fill(np), urgency


def _status(rng: random.Random, slots: Slots, bank: dict, _: str) -> Draft:
    issue, urgency = _issue(rng, slots, bank, ("normal", "high", "normal", "emergency"))
    if rng.random() < 0.35:
        issue, urgency = slots["object"], "normal"
        text = slots.fill(rng.choice(objects.STATUS_DIRECT))
    else:
        text = slots.fill(rng.choice(frames.STATUS).replace("{issue}", "\0")).replace("\0", issue)
    if urgency == "normal" and rng.random() < 0.12:
        text += " " + rng.choice(frames.DEADLINE_HIGH)
        urgency = "high"
    return Draft(slots.fill(rng.choice(frames.SUBJECTS["status"])), text, urgency, _original_report(rng, slots, issue))


def _clarification(rng: random.Random, slots: Slots, bank: dict, _: str) -> Draft:
    question = slots.fill(rng.choice(bank["questions"]))
    text = rng.choice(frames.CLARIFICATION).format(question=question)
    if rng.random() < 0.3:
        text = slots.fill(rng.choice(objects.QUESTIONS))
    urgency = _pick(rng, {"low": 0.76, "normal": 0.12, "high": 0.12})
    if urgency != "low":
        text += " " + slots.fill(rng.choice(frames.CLARIFICATION_DEADLINE[urgency]))
    return Draft(slots.fill(rng.choice(frames.SUBJECTS["clarification"])), text, urgency)


def _reminder(rng: random.Random, slots: Slots, bank: dict, _: str) -> Draft:
    issue, urgency = _issue(rng, slots, bank, ("normal", "normal", "high", "emergency"))
    if rng.random() < 0.35:
        issue, urgency = slots["object"], "normal"
        text = slots.fill(rng.choice(objects.REMINDER_DIRECT))
    else:
        text = slots.fill(rng.choice(frames.REMINDER).replace("{issue}", "\0")).replace("\0", issue)
    text = f"{text} {rng.choice(frames.REMINDER_STILL[urgency])}".strip()
    return Draft(slots.fill(rng.choice(frames.SUBJECTS["reminder"])), text, urgency, _original_report(rng, slots, issue))


def _complaint(rng: random.Random, slots: Slots, bank: dict, _: str) -> Draft:
    ground = slots.fill(rng.choice(bank["complaints"]))
    text, urgency = rng.choice(frames.COMPLAINT).format(ground=ground), "normal"
    if rng.random() < 0.18:
        level = _pick(rng, {"normal": 0.4, "high": 0.4, "emergency": 0.2})
        if bank["faults"][level]:
            text += f" Per di più, {slots.fill(rng.choice(bank['faults'][level]))}."
            urgency = level
    return Draft(slots.fill(rng.choice(frames.SUBJECTS["complaint"])), text, urgency)


def _original_report(rng: random.Random, slots: Slots, issue: str) -> str:
    """An earlier message about ``issue``, quoted under status questions and reminders."""
    if rng.random() < 0.5:
        return ""
    return rng.choice([f"Buongiorno, vi segnalo {issue}. Grazie", f"Segnalo {issue}.\n{slots['name']}",
                       slots.fill(rng.choice(common.PROVIDER_REPLIES))])


OTHER_SUBJECTS = {
    "out_of_office": ["Risposta automatica: {subject}", "Fuori sede", "Automatic reply: {subject}", "Assenza", "Out of Office"],
    "pec_receipt": ["ACCETTAZIONE: {subject}", "CONSEGNA: {subject}", "AVVISO DI MANCATA CONSEGNA: {subject}",
                    "POSTA CERTIFICATA: ricevuta", "AVVISO DI NON ACCETTAZIONE: {subject}"],
    "newsletter": ["Newsletter", "Novità di {month}", "Webinar gratuito", "Offerta riservata", "Invito al convegno"],
    "phishing": ["Avviso importante", "Account sospeso", "URGENTE: verifica il tuo account", "Fattura non pagata", "Rimborso disponibile"],
    "thanks": ["Grazie", "Ringraziamento", "Re: Segnalazione guasto", "Risolto", "Thanks"],
    "notification": ["Segnalazione chiusa", "Undelivered Mail Returned to Sender", "Comunicato stampa", "Promemoria riunione",
                     "Aggiornamento ticket {ticket}", "Delivery Status Notification (Failure)"],
    "wrong_recipient": ["I: comunicazione", "Fwd: documenti", "Errore destinatario", "foto", "R: informazioni"],
}


def _other(rng: random.Random, slots: Slots, kind: str) -> Draft:
    return Draft(slots.fill(rng.choice(OTHER_SUBJECTS[kind])), slots.fill(rng.choice(common.OTHER[kind])), "low")


BUILDERS = {"intervention": _intervention, "status": _status, "clarification": _clarification,
            "reminder": _reminder, "complaint": _complaint}


def _fold_accents(text: str, rng: random.Random) -> str:
    """Write as people do on phones: ``è`` as ``e'``, ``perché`` as ``perche``."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isalpha():
            out.append(base + ("'" if rng.random() < 0.6 else ""))
        else:
            out.append(ch)
    return "".join(out)


def _typos(text: str, rng: random.Random, rate: float = 0.04) -> str:
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) > 4 and word.isalpha() and rng.random() < rate:
            j = rng.randrange(len(word) - 1)
            words[i] = rng.choice([word[:j] + word[j + 1] + word[j] + word[j + 2:], word[:j] + word[j + 1:], word[:j] + word[j] + word[j:]])
    return " ".join(words)


def _html(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        paras = "".join(f"<p>{line}</p>" if line else "<p>&nbsp;</p>" for line in text.split("\n"))
        return f"<html><head><style>p{{margin:0}}</style></head><body><div dir=\"ltr\">{paras}</div></body></html>"
    return text.replace("\n", "<br>\n").replace("  ", " &nbsp;")


def _quote(rng: random.Random, slots: Slots, text: str) -> str:
    header = slots.fill(rng.choice(common.QUOTE_HEADERS))
    prefix = rng.choice(["> ", ">", ""])
    return header + "\n" + "\n".join(prefix + line for line in text.split("\n"))


@dataclass
class Generator:
    """Builds ``n`` unique labelled messages; ``seed`` makes the output reproducible."""

    seed: int = 20261125
    pec_share: float = 0.2

    def messages(self, n: int) -> Iterator[dict]:
        rng = random.Random(self.seed)
        seen: set[tuple[str, str]] = set()
        count = 0
        while count < n:
            record = self._one(rng, count)
            key = (record["subject"], record["body"])
            if key in seen:
                continue
            seen.add(key)
            count += 1
            yield record

    def _one(self, rng: random.Random, index: int) -> dict:
        mtype = _pick(rng, TYPE_SHARE)
        domain = rng.choice(list(DOMAINS)) if mtype != "other" or rng.random() < 0.3 else "general"
        slots = Slots(rng, domain if domain != "general" else "lighting")
        channel = "pec" if rng.random() < self.pec_share else "email"
        if mtype == "other":
            kind = rng.choice(list(common.OTHER))
            if kind == "pec_receipt":
                channel = "pec"
            draft = _other(rng, slots, kind)
        elif rng.random() < 0.03 and ENGLISH.get(mtype):
            text, urgency = rng.choice(ENGLISH[mtype])
            draft = Draft(rng.choice(["Request", "Information", "Urgent", "Ticket", "Complaint", ""]), slots.fill(text), urgency)
        else:
            bank = DOMAINS[domain]
            urgency = _pick(rng, INTERVENTION_URGENCY) if mtype == "intervention" else "normal"
            draft = BUILDERS[mtype](rng, slots, bank, urgency)
        body = self._dress(rng, slots, draft, mtype, channel)
        subject = draft.subject
        if rng.random() < 0.1:
            subject = subject.upper()
        if channel == "pec" and mtype != "other" and rng.random() < 0.3:
            subject = f"Oggetto: {subject}" if subject else "Comunicazione"
        sender = slots["email"] if channel == "email" else self._pec_address(rng, slots)
        return {"id": f"g{index + 1:06d}", "subject": subject, "body": body, "from": sender, "channel": channel,
                "type": mtype, "urgency": draft.urgency, "domain": domain, "source": "generated"}

    def _pec_address(self, rng: random.Random, slots: Slots) -> str:
        domain = rng.choice(people.PEC_DOMAINS).format(city=slots["city"].lower().replace("ì", "i"))
        local = rng.choice([slots["email"].split("@")[0], "protocollo", "segreteria", "amministrazione", "ufficiotecnico"])
        return f"{local}@{domain}"

    def _dress(self, rng: random.Random, slots: Slots, draft: Draft, mtype: str, channel: str) -> str:
        """Wrap the request in greeting, signature, disclaimer and history, then add mail noise."""
        text = draft.text
        if mtype != "other" and rng.random() < 0.12:
            text = f"{rng.choice(frames.ALARM)} {text}"
        shape = rng.random()
        if mtype == "other" or shape < 0.12:  # very short: the request alone
            lines = [text]
        else:
            lines = [rng.choice(frames.GREETING), slots.fill(rng.choice(frames.INTRO)), text]
            if shape > 0.8:  # very long
                lines += [slots.fill(s) for s in rng.sample(EXTRA_SENTENCES, 3)]
            lines += [rng.choice(frames.CLOSING), slots.fill(rng.choice(common.SIGNATURES))]
            if rng.random() < (0.5 if channel == "pec" else 0.2):
                lines.append(rng.choice(common.DISCLAIMERS))
        body = "\n".join(line for line in lines if line)
        if draft.quoted or (mtype != "other" and rng.random() < 0.08):
            earlier = draft.quoted or slots.fill(rng.choice(common.PROVIDER_REPLIES))
            body += "\n\n" + _quote(rng, slots, earlier)
        return self._noise(rng, body)

    def _noise(self, rng: random.Random, body: str) -> str:
        roll = rng.random()
        if roll < 0.15:
            body = _fold_accents(body, rng)
        if rng.random() < 0.18:
            body = _typos(body, rng)
        if rng.random() < 0.04:
            body = body.upper()
        elif rng.random() < 0.06:
            body = body.lower()
        if rng.random() < 0.06:
            body = _html(body, rng)
        return body


def write_corpus(path: Path, n: int, seed: int) -> int:
    """Write ``n`` generated messages to ``path`` as JSONL and return how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in Generator(seed=seed).messages(n):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n
