"""How people phrase each request type, independent of the service domain.

``{fault}`` is a clause from a domain bank, ``{issue}`` a noun phrase referring to an earlier
report, ``{question}`` an indirect question, ``{ground}`` the reason for a complaint.
"""

SUBJECTS = {
    "intervention": [
        "Segnalazione guasto", "Richiesta intervento", "segnalazione", "Guasto {where}", "Richiesta di intervento urgente",
        "{where}", "Problema {where}", "guasto", "RICHIESTA INTERVENTO", "Segnalazione disservizio", "intervento tecnico",
        "Rif. {where}", "Segnalazione n. {ticket}", "",
    ],
    "status": [
        "Informazioni su segnalazione {ticket}", "Stato pratica {ticket}", "Richiesta aggiornamento", "Aggiornamento intervento",
        "info pratica", "Stato della richiesta del {date}", "Re: Segnalazione guasto", "Domanda prot. {protocol}", "",
        "Richiesta informazioni stato lavori", "a che punto siamo?",
    ],
    "clarification": [
        "Richiesta informazioni", "Informazioni", "Domanda", "Chiarimento", "Quesito", "richiesta chiarimenti",
        "Info", "Quesito su {topic}", "Informazioni {topic}", "domanda veloce", "",
    ],
    "reminder": [
        "SOLLECITO", "Sollecito segnalazione {ticket}", "Secondo sollecito", "Re: Segnalazione guasto", "R: richiesta intervento",
        "Ancora nessuna risposta", "Sollecito urgente", "Re: Re: {where}", "ennesimo sollecito", "Rif. nostra del {date}", "",
    ],
    "complaint": [
        "Reclamo", "RECLAMO FORMALE", "Reclamo formale", "Reclamo - {where}", "Contestazione", "Disservizio inaccettabile",
        "Formale reclamo e richiesta di risarcimento", "Reclamo per disservizio", "Vergogna", "Contestazione fattura {invoice}", "",
    ],
}

INTRO = [
    "", "", "", "Sono {name}, residente in via {street}.", "Vi scrivo in qualità di {role}.", "Scrivo per conto di {org}.",
    "Mi chiamo {name} e abito in via {street} {num}.", "Sono il referente di {org}.", "Vi contatto per conto dell'ufficio.",
    "Come {role} di {org},", "Scusate il disturbo,",
]

INTERVENTION = [
    "Vi segnalo che {fault}.",
    "Si segnala che {fault}.",
    "Volevo segnalare che {fault}.",
    "Con la presente si comunica che {fault}.",
    "Buongiorno, {fault}.",
    "Vi informo che {fault}.",
    "Segnalo che {fault}.",
    "Vorrei farvi presente che {fault}.",
    "Da qualche giorno {fault}.",
    "Stamattina abbiamo notato che {fault}.",
    "Ieri sera ho visto che {fault}.",
    "Vi scrivo perché {fault}.",
    "Purtroppo {fault}.",
    "Segnalazione: {fault}.",
]
INTERVENTION_ASK = {
    "emergency": [
        "Mandate subito qualcuno, è pericoloso!", "Intervenite immediatamente prima che si faccia male qualcuno.",
        "Serve un intervento immediato.", "Chiedo un intervento urgentissimo per la messa in sicurezza.",
        "Ho già chiamato anche i vigili del fuoco.", "Non so se sia grave, ma forse è meglio se passate a vedere oggi stesso.",
        "Quando potete mandate qualcuno a controllare, grazie.", "Vi chiedo cortesemente di verificare.",
        "Abbiamo transennato la zona in attesa del vostro intervento.", "Per favore venite subito.",
        "Abbiamo fatto uscire le persone dall'edificio.", "",
    ],
    "high": [
        "Chiediamo un intervento in giornata.", "Vi chiediamo di intervenire al più presto.", "È un disagio enorme, intervenite presto.",
        "Serve un intervento entro domani.", "Potete mandare un tecnico oggi?", "Chiedo un intervento urgente.",
        "Vi prego di intervenire quanto prima.", "",
    ],
    "normal": [
        "Chiedo un vostro intervento.", "Potete mandare qualcuno a sistemare?", "Si richiede un sopralluogo.",
        "Attendo un vostro intervento.", "Vi chiedo di provvedere alla riparazione.", "Grazie se potete sistemare.",
        "Non è urgente ma va sistemato.", "Quando potete, grazie.", "Chiedo la riparazione.", "",
    ],
    "low": [
        "Nessuna urgenza.", "Fate con comodo.", "Non c'è fretta.", "Quando sarà possibile.", "",
    ],
}
#: Deadline phrases that make an ordinary request urgent (LABELS: a hard deadline within about two days).
DEADLINE_HIGH = [
    "Domani mattina abbiamo l'ispezione dell'ASL.", "Sabato c'è la festa del quartiere.", "Dopodomani iniziano gli esami.",
    "Lunedì riapriamo al pubblico e deve essere tutto a posto.", "Domani arrivano i bambini del centro estivo.",
    "Entro domani dobbiamo consegnare il verbale.", "Il termine scade domani.", "Giovedì c'è la visita del prefetto.",
]
#: Alarmed words that do not by themselves mean danger: used at every urgency so that tone alone decides nothing.
ALARM = ["URGENTE!!!", "Urgentissimo.", "È una vergogna!", "Non se ne può più!!", "AIUTO", "Per favore!!!", "Rispondete!"]

STATUS = [
    "Vorrei sapere a che punto è {issue}.",
    "Avete notizie su {issue}?",
    "Quando è previsto l'intervento per {issue}?",
    "Posso sapere lo stato della pratica {ticket} relativa a {issue}?",
    "Vi chiedo un aggiornamento su {issue}, segnalata il {date}.",
    "Il {date} ho segnalato {issue} (ticket {ticket}). Mi sapete dire se è stata presa in carico?",
    "Potreste indicarmi i tempi previsti per {issue}?",
    "Chiedo gentilmente informazioni sullo stato di {issue}.",
    "Sapete dirmi se {issue} è già stata assegnata a una squadra?",
    "Vorrei capire se la richiesta del {date} per {issue} è stata lavorata.",
    "Mi date un'indicazione sui tempi per {issue}? Nessuna fretta, solo per organizzarci.",
    "A che punto siamo con {issue}? Il numero di protocollo è {protocol}.",
    "La pratica {ticket} risulta ancora aperta sul portale: è in lavorazione?",
    "Buongiorno, è stata fissata una data per {issue}?",
]

CLARIFICATION = [
    "Vorrei sapere {question}.",
    "Vi chiedo gentilmente di spiegarmi {question}.",
    "Potreste indicarmi {question}?",
    "Avrei bisogno di capire {question}.",
    "Chiedo informazioni su {question}.",
    "Mi potete dire {question}?",
    "Una domanda: {question}?",
    "Vorrei un chiarimento: {question}.",
    "Non mi è chiaro {question}: potete aiutarmi?",
    "Sul vostro sito non ho trovato {question}.",
    "Scrivo per sapere {question}.",
    "Gentilmente vorremmo conoscere {question}.",
]
CLARIFICATION_DEADLINE = {
    "high": ["Devo saperlo entro domani.", "Ci serve una risposta entro domani perché la scadenza è dopodomani.", "Domani dobbiamo decidere.", "La scadenza è domani mattina."],
    "normal": ["Ci servirebbe saperlo entro fine mese.", "Entro le prossime settimane dobbiamo organizzarci.", "Dobbiamo decidere entro il {date}."],
}

REMINDER = [
    "Sollecito la segnalazione {ticket} del {date} relativa a {issue}: ancora nessun intervento.",
    "Vi ho già scritto il {date} per {issue} e non ho avuto nessuna risposta.",
    "È la terza volta che segnalo {issue}.",
    "Ennesimo sollecito per {issue}.",
    "Ancora nessuna notizia per {issue}, segnalata ormai due settimane fa.",
    "Torno a sollecitare {issue}, già segnalata il {date}.",
    "Con la presente si sollecita nuovamente {issue} (vs. rif. {ticket}).",
    "Vi riscrivo perché {issue} non è stata ancora risolta nonostante la mia mail del {date}.",
    "Sono passati dieci giorni dalla mia segnalazione su {issue} e non è cambiato nulla.",
    "Sollecito, come da precedente comunicazione, {issue}.",
    "Nessuno si è ancora fatto vivo per {issue}. Vi prego di intervenire.",
    "Vi ricordo che {issue} è ancora in attesa, rif. pratica {ticket}.",
    "Secondo sollecito per {issue}: per favore fatemi sapere qualcosa.",
]
REMINDER_STILL = {
    "emergency": ["Il pericolo è ancora lì e qualcuno si farà male.", "La situazione è pericolosa e peggiora.", "Oggi è quasi caduto un passante."],
    "high": ["Siamo ancora senza servizio.", "Il disagio continua da giorni.", "La situazione è sempre la stessa e blocca l'attività."],
    "normal": ["", "Resto in attesa.", "Grazie."],
}

COMPLAINT = [
    "Presento formale reclamo per {ground}.",
    "Con la presente si presenta reclamo formale in merito a {ground}.",
    "Sono profondamente insoddisfatto per {ground} e chiedo una risposta scritta.",
    "Intendo sporgere reclamo per {ground}.",
    "Vi scrivo per lamentare {ground}. Pretendo una risposta formale entro 30 giorni.",
    "Esprimo tutto il mio disappunto per {ground}. Considerate questa mail un reclamo ufficiale.",
    "Contesto formalmente {ground} e chiedo il rimborso.",
    "Reclamo: {ground}. Chiedo il risarcimento dei danni.",
    "Non è accettabile {ground}. Chiedo che il reclamo venga protocollato.",
    "Segnalo la mia totale insoddisfazione per {ground}; mi riservo di agire nelle sedi opportune.",
    "Trovo vergognoso {ground} e presento reclamo.",
    "In merito a {ground}, chiedo formalmente un rimborso e le scuse della vostra azienda.",
]

CLOSING = [
    "Grazie", "Cordiali saluti", "Distinti saluti", "Saluti", "Grazie mille", "In attesa di riscontro, porgo cordiali saluti",
    "Resto in attesa di una vostra risposta", "Grazie per l'attenzione", "Buona giornata", "Cordialmente", "Un saluto",
    "Ringraziando anticipatamente", "Attendo riscontro", "", "",
]
GREETING = [
    "Buongiorno,", "Buongiorno", "Salve,", "Gentili signori,", "Spett.le Contact Center,", "Buonasera,", "Gentile operatore,",
    "Egregi signori,", "Ciao,", "Alla cortese attenzione dell'ufficio competente,", "Spettabile ditta,", "Buondì,", "", "",
]
