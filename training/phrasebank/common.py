"""What surrounds the request in real mailboxes: signatures, disclaimers, quoted history,
and the whole messages that are not requests at all (type ``other``)."""

SIGNATURES = [
    "{name}\nTel. {phone}",
    "{name}\n{role}\n{org}\nTel. {phone} - {email}",
    "--\n{name}\nCell. {phone}",
    "{name}",
    "{initial}. {surname}",
    "Inviato da iPhone",
    "Inviato dal mio smartphone Samsung Galaxy",
    "{name}\n{org}\nVia {street}, {num} - {city}\nTel. {phone}",
    "{role}\n{name}",
    "{name} | {role} | {org}\nT +39 {phone}",
    "--\n{org}\nUfficio Tecnico\n{phone}",
]
DISCLAIMERS = [
    "Ai sensi del Regolamento UE 2016/679 (GDPR) le informazioni contenute in questo messaggio sono riservate e ad uso esclusivo del destinatario. Qualora il messaggio le fosse pervenuto per errore, la preghiamo di eliminarlo senza copiarlo e di non inoltrarlo a terzi, dandocene gentilmente comunicazione.",
    "Questo messaggio e i suoi allegati sono indirizzati esclusivamente alle persone indicate. La diffusione, copia o qualsiasi altra azione derivante dalla conoscenza di queste informazioni sono rigorosamente vietate.",
    "AVVISO DI RISERVATEZZA: le informazioni contenute nella presente comunicazione sono riservate. Se avete ricevuto questo messaggio per errore vi preghiamo di distruggerlo e di informare il mittente.",
    "Prima di stampare pensa all'ambiente.",
    "Informativa privacy: i dati personali sono trattati ai sensi degli artt. 13 e 14 del Regolamento (UE) 2016/679. L'informativa completa è disponibile sul sito istituzionale.",
    "This e-mail and any attachments are confidential and may be privileged. If you are not the intended recipient, please notify the sender immediately and delete it.",
]
QUOTE_HEADERS = [
    "Il giorno {date} alle ore {time}, {name} <{email}> ha scritto:",
    "-----Messaggio originale-----\nDa: {name} [mailto:{email}]\nInviato: {weekday} {date} {time}\nA: assistenza@contactcenter.it\nOggetto: {subject}",
    "Da: {name} <{email}>\nInviato: {weekday} {date} {time}\nA: Contact Center\nOggetto: {subject}",
    "On {date}, at {time}, {name} <{email}> wrote:",
    "---------- Messaggio inoltrato ----------\nDa: {name} <{email}>\nData: {date}\nOggetto: {subject}",
    "---------- Forwarded message ---------\nFrom: {name} <{email}>\nDate: {date}\nSubject: {subject}",
    "Il {date} {time} Contact Center <assistenza@contactcenter.it> ha scritto:",
]
#: The provider's own previous answers, quoted under citizens' replies.
PROVIDER_REPLIES = [
    "Gentile utente, la sua segnalazione è stata registrata con il numero {ticket}. Sarà ricontattato appena possibile.",
    "Buongiorno, abbiamo preso in carico la richiesta n. {ticket}. Un tecnico interverrà secondo le tempistiche contrattuali.",
    "Gentile cliente, la ringraziamo per averci contattato. La sua richiesta è in lavorazione.",
]

OTHER = {
    "out_of_office": [
        "Sono fuori ufficio fino al {date} con accesso limitato alla posta. Per urgenze contattare {name} al {phone}.",
        "Risposta automatica: sono assente dal {date} al {date2}. Leggerò la sua mail al mio rientro.",
        "Gentile mittente, sono in ferie fino al {date}. La sua mail non verrà inoltrata. Per questioni urgenti scrivere a {email}.",
        "I am out of the office until {date} with limited access to e-mail. For urgent matters please contact {email}.",
        "Messaggio automatico: l'ufficio resterà chiuso per la festività fino al {date}. Grazie.",
        "Sono in malattia e non leggo la posta. Per pratiche urgenti rivolgersi all'ufficio protocollo.",
        "Auto-reply: I'm currently on leave and will be back on {date}. Thanks for your message.",
    ],
    "pec_receipt": [
        "Ricevuta di accettazione\nIl giorno {date} alle ore {time} il messaggio \"{subject}\" proveniente da \"{email}\" ed indirizzato a: assistenza@pec.contactcenter.it è stato accettato dal sistema ed inoltrato.\nIdentificativo messaggio: opec{digits}.{digits2}@pec.aruba.it",
        "Ricevuta di avvenuta consegna\nIl giorno {date} alle ore {time} il messaggio \"{subject}\" proveniente da \"assistenza@pec.contactcenter.it\" ed indirizzato a \"{email}\" è stato consegnato nella casella di destinazione.\nIdentificativo messaggio: {digits}@legalmail.it",
        "Avviso di non accettazione\nIl giorno {date} alle ore {time} nel messaggio \"{subject}\" è stato rilevato un problema che ne impedisce l'accettazione a causa di: destinatario non valido.",
        "Avviso di mancata consegna\nIl giorno {date} alle ore {time} si è verificato un errore nella consegna del messaggio \"{subject}\" indirizzato a \"{email}\". Il messaggio è stato rifiutato dal sistema.",
        "ACCETTAZIONE: {subject}\nRicevuta di accettazione del messaggio indirizzato a {email}. Il presente documento ha valore legale ai sensi del DPR 68/2005.",
        "CONSEGNA: {subject}\nIl messaggio è stato consegnato al destinatario {email} in data {date} ore {time}.",
    ],
    "newsletter": [
        "Newsletter di {month}: scopri le novità del mese! Webinar gratuito sulla sicurezza negli edifici pubblici il {date}. Per cancellarti clicca qui: {url}",
        "Offerta riservata alle pubbliche amministrazioni: lampade LED a prezzi scontati fino al 40%. Richiedi subito il catalogo su {url}",
        "Convegno nazionale sulla manutenzione urbana, {city} {date}. Iscrizioni aperte su {url}. Non rispondere a questa email.",
        "Il nostro studio offre consulenza per la partecipazione ai bandi regionali. Contattaci per una valutazione gratuita: {url}",
        "Webinar: la fatturazione elettronica dopo la riforma. Iscriviti gratuitamente {url}. Ricevi questa mail perché sei iscritto alla nostra lista.",
        "Weekly digest: 5 new tips for facility managers. Read more at {url}. Unsubscribe anytime.",
    ],
    "phishing": [
        "Gentile cliente, il suo account di posta verrà disattivato entro 24 ore. Clicca qui per verificare le credenziali: {url}",
        "La sua carta è stata sospesa per motivi di sicurezza. Acceda al link {url} e inserisca i dati per sbloccarla.",
        "Hai ricevuto un bonifico di 2.500 euro. Per sbloccarlo conferma i tuoi dati su {url}",
        "Your mailbox has exceeded its storage limit. Click {url} to upgrade now or your messages will be deleted.",
        "Fattura n. {invoice} in allegato non pagata. Scarica il documento da {url} per evitare sanzioni.",
        "Agenzia delle Entrate: è disponibile un rimborso a suo favore. Compili il modulo su {url} entro 48 ore.",
    ],
    "thanks": [
        "Volevo ringraziarvi per la rapidità dell'intervento in via {street}. Il lampione ora funziona perfettamente.",
        "Grazie mille per la risposta esauriente, è tutto chiaro.",
        "Ringrazio il vostro tecnico per la cortesia e la professionalità. Problema risolto!",
        "Tutto sistemato, grazie ancora. Potete chiudere la segnalazione {ticket}.",
        "Solo per dirvi grazie: la squadra è passata stamattina e ha risolto.",
        "Thank you very much for your quick help!",
        "Grazie, {object} è stato sistemato stamattina. Gentilissimi.",
        "Ok ricevuto, grazie.",
        "Perfetto, grazie per la risposta. Buon lavoro!",
        "Ringrazio per la cortese risposta, ora è tutto chiaro e procediamo con la domanda.",
    ],
    "notification": [
        "La segnalazione n. {ticket} è stata chiusa dall'operatore. Non rispondere a questa email.",
        "This is the mail system at host mail.contactcenter.it. Your message could not be delivered to {email}: mailbox unavailable.",
        "Delivery Status Notification (Failure). Il messaggio non è stato recapitato a {email}: indirizzo inesistente.",
        "Si trasmette il comunicato stampa sull'inaugurazione dei nuovi impianti in piazza {square}, prevista per sabato.",
        "Promemoria: riunione di coordinamento mensile il {date} alle {time} in sala riunioni. Ordine del giorno in allegato.",
        "Il tuo ticket {ticket} è stato aggiornato. Accedi al portale per visualizzare i dettagli. Messaggio generato automaticamente.",
    ],
    "wrong_recipient": [
        "Scusate, credo di aver sbagliato indirizzo: questa mail era destinata all'ufficio anagrafe.",
        "Buongiorno, ho ricevuto per errore una vostra comunicazione indirizzata a {name}. Ve la rigiro.",
        "Vi inoltro per competenza la mail qui sotto, che non riguarda il nostro ufficio.",
        "Ciao Marco, ti mando le foto della cena di sabato! Ci vediamo domenica.",
        "Ciao {first}, ci vediamo domani alle {time} al bar per il caffè? Fammi sapere.",
        "Ti giro il verbale della riunione di condominio, poi ne parliamo.",
        "Scusate, la mail precedente era per un altro ufficio: ignoratela.",
        "Non sono io il destinatario di questa mail, per favore rimuovete il mio indirizzo.",
    ],
}
