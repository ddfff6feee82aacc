"""Everyday objects per domain, with what goes wrong with them in ordinary (``normal``) faults,
and direct questions people ask about them. They widen the short, plain reports that make up
much of a real mailbox ("la stampante non funziona")."""

OBJECTS = {
    "lighting": ["il lampione", "la lampada del palo", "il punto luce", "la luce del vialetto", "il faro del parcheggio",
                 "il lampione del cortile", "la plafoniera del portico", "l'orologio del quadro di accensione"],
    "buildings": ["la porta del bagno", "il rubinetto", "la tapparella", "la finestra", "il citofono", "la serratura",
                  "lo sciacquone", "il lavandino", "la campanella", "la plafoniera dell'aula", "l'armadietto", "la maniglia"],
    "it": ["la stampante", "il PC", "il monitor", "lo scanner", "il telefono", "la tastiera", "il portatile", "il proiettore",
           "la rete wifi della sala riunioni", "il badge", "il tablet", "la postazione"],
    "facility": ["la macchinetta del caffè", "il distributore d'acqua", "il dispenser del sapone", "la tenda", "la sedia",
                 "il cestino", "il condizionatore della stanza", "la porta automatica", "l'asciugamani elettrico"],
    "roads": ["la panchina", "il cestino", "l'altalena", "la fontanella", "il cartello", "il dissuasore", "la staccionata",
              "lo scivolo del parco", "la rastrelliera per le bici"],
    "energy": ["il termosifone", "il cronotermostato", "il fan coil", "la valvola del radiatore", "lo scaldabagno",
               "il climatizzatore", "il contatore", "la pompa di calore"],
    "insurance": ["l'auto di servizio", "il furgone", "il parabrezza", "lo specchietto", "il paraurti", "il fanale posteriore"],
    "cards": ["la carta carburante", "il telepass", "la carta", "il dispositivo di telepedaggio", "il PIN della carta"],
    "funding": ["l'area riservata", "la domanda", "il modulo online", "la ricevuta di invio", "l'anagrafica dell'impresa"],
}

BROKEN = [
    "non funziona", "ha un guasto", "non funziona più", "non va", "è fuori servizio", "si blocca di continuo",
    "fa un rumore strano", "non si accende", "perde acqua", "ha un problema", "dà errore", "funziona a singhiozzo",
    "non funziona bene", "non si chiude", "non si apre", "è fuori uso da ieri", "ha smesso di funzionare",
]

#: Direct questions of the ``clarification`` kind, about an object of the domain.
QUESTIONS = [
    "Chi si occupa della manutenzione di {object}?", "{object_cap} è di vostra competenza o del comune?",
    "Spetta a voi o a noi la manutenzione di {object}?", "Ogni quanto viene controllato {object}?",
    "Serve un permesso per sostituire {object}?", "Quanto costa la sostituzione di {object}?",
    "È possibile avere {object} nuovo pagando la differenza?", "Cosa devo fare se {object} si rompe di sera?",
    "A chi devo rivolgermi per {object}?", "Il contratto copre anche {object}?",
]

#: Direct status questions, about an object already reported.
STATUS_DIRECT = [
    "Quando passa il tecnico per {object}?", "{object_cap} verrà riparato? Sapete quando?",
    "È stato programmato l'intervento per {object}?", "Per {object} che vi ho segnalato, avete già un giorno?",
    "La segnalazione per {object} è stata presa in carico?", "{object_cap} è stato sistemato? Sul portale risulta ancora aperto.",
    "Ci sono novità per {object}?", "Mi confermate che per {object} è tutto in programma?",
    "Sapete dirmi in che settimana verrà sistemato {object}?",
]

#: Reminders phrased around an object, without the word "sollecito".
REMINDER_DIRECT = [
    "Vi ricordo {object} che {broken}, segnalato il {date}.", "Scrivo ancora per {object}: {broken}, ancora niente.",
    "Vi riscrivo per {object} che {broken}. È passata una settimana.", "Scusate ancora per {object}, ve l'avevo scritto il mese scorso.",
    "Di nuovo per {object}: {broken} ancora, nessuno è passato.", "Ancora {object} che {broken}! Vi ho già scritto due volte.",
    "Ve l'avevo già segnalato: {object} {broken}. Quando venite?",
]
