from __future__ import annotations

import pytest

from classifier import nlp as nlp_mod
from training.train import fit, read_config, to_message
from classifier.features import prepare

TINY = {
    "intervention": ["Il lampione di via Roma è spento", "La caldaia della scuola non parte", "C'è una buca in via Verdi",
                     "Il palo della luce è pericolante", "Manca l'acqua nel municipio", "Odore di gas in cucina"],
    "status": ["A che punto è la pratica 123?", "Quando è previsto l'intervento segnalato?", "Avete notizie della segnalazione?",
               "La richiesta è stata presa in carico?", "Sapete quando passa il tecnico?"],
    "clarification": ["Quali documenti servono per il bando?", "Come si richiede la carta?", "Quali sono gli orari?",
                      "La polizza copre la grandine?", "Chi gestisce i lampioni privati?"],
    "reminder": ["Sollecito la segnalazione del mese scorso", "Vi ho già scritto tre volte", "Ancora nessuna risposta!",
                 "Secondo sollecito per il guasto", "È la terza volta che segnalo"],
    "complaint": ["Presento formale reclamo", "Reclamo per il comportamento del tecnico", "Chiedo il rimborso, reclamo",
                  "Contesto la fattura e presento reclamo", "Reclamo ufficiale per i ritardi"],
    "other": ["Sono fuori ufficio fino a lunedì", "Ricevuta di accettazione PEC", "Newsletter di novembre",
              "Grazie mille, tutto risolto", "Il tuo account verrà sospeso, clicca qui"],
}
URGENCY = {"intervention": "high", "status": "normal", "clarification": "low", "reminder": "normal",
           "complaint": "normal", "other": "low"}


@pytest.fixture(scope="session")
def tiny_model():
    """A model overfitted on a handful of Italian messages: fast, and enough to test I/O."""
    quote = "\n\nIl giorno 2 nov 2026, Mario <m@x.it> ha scritto:\n> messaggio precedente sul guasto"
    records = [{"subject": f"{t} richiesta", "body": text + (quote if i % 2 else ""), "from": "", "type": t, "urgency": "emergency" if ("pericolante" in text or "gas" in text) else URGENCY[t],
                "source": "handwritten"} for t, texts in TINY.items() for i, text in enumerate(texts)]
    config = read_config()
    config["model"]["calibration_folds"] = 2
    config["features"]["max_char_features"] = 2000
    nlp, name = nlp_mod.load()
    model = fit(prepare([to_message(r) for r in records], nlp), records, config, name, "20260101-000000")
    model.thresholds = {"type": 0.3, "urgency": 0.3}
    return model, records, nlp
