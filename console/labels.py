"""The console's Italian words for the machine names the store and the API keep."""

from __future__ import annotations

from classifier.labels import TYPES, URGENCIES

TYPE = {"intervention": "Intervento", "status": "Stato pratica", "clarification": "Chiarimento",
        "reminder": "Sollecito", "complaint": "Reclamo", "other": "Non pertinente"}
URGENCY = {"emergency": "Emergenza", "high": "Alta", "normal": "Normale", "low": "Bassa"}
KIND = {"email": "E-mail", "pec": "PEC", "pec-receipt": "Ricevuta PEC", "pec-anomaly": "Anomalia PEC"}
STATUS = {"stored": "In attesa", "classified": "Classificato", "receipt": "Ricevuta", "failed": "Non leggibile",
          "quarantined": "In quarantena"}
ROUTING = {"none": "Non inoltrato", "pending": "In consegna", "delivered": "Consegnato", "dead": "Consegna fallita"}
REVIEW = {"pending": "Da revisionare", "done": "Revisionato", "auto": "Automatico"}
DELIVERY = {"pending": "In coda", "delivered": "Consegnato", "dead": "Fallito"}
TARGET = {"routing": "Smistamento", "oncall": "Reperibilità"}
ROLE = {"operator": "Operatore", "supervisor": "Supervisore", "admin": "Amministratore"}

#: Keys of the review queue: a digit picks a type, a letter an urgency, Invio saves.
TYPE_KEYS = {str(i + 1): t for i, t in enumerate(TYPES)}
URGENCY_KEYS = {"e": "emergency", "a": "high", "n": "normal", "b": "low"}
assert set(URGENCY_KEYS.values()) == set(URGENCIES) and set(TYPE) == set(TYPES)
