"""Per-domain banks: where things happen, what breaks at each urgency, what people ask.

Slots in braces are filled by ``training.generator``: {place} with one of the domain's
places, and codes such as {pole}, {qr}, {plate}, {card}, {protocol}, {ticket}, {date}.
``faults`` are clauses that report a problem, keyed by the urgency they deserve;
``issues`` are noun phrases that later messages (status, reminder, complaint) refer back to,
with the urgency the underlying problem still carries.
"""

LIGHTING = {
    "places": [
        "via {street}", "via {street} all'altezza del civico {num}", "piazza {square}", "viale {street}",
        "il parcheggio di via {street}", "la rotonda di viale {street}", "il parco giochi di via {street}",
        "il sottopasso di via {street}", "corso {street}", "la frazione {area}", "vicolo {street}",
    ],
    "faults": {
        "emergency": [
            "il palo {pole} in {place} è pericolante e si piega verso la strada",
            "dal quadro dell'illuminazione in {place} escono scintille e si sente odore di bruciato",
            "in {place} un palo della luce è stato abbattuto da un'auto ed è a terra sulla carreggiata",
            "la portella alla base del palo {pole} in {place} è aperta e si vedono i fili scoperti, ci passano i bambini",
            "la lanterna del lampione {pole} in {place} ha preso fuoco e fa fumo",
            "dopo il temporale il palo {pole} in {place} è inclinato e rischia di cadere sulle auto parcheggiate",
            "un cavo elettrico staccato pende dal palo {pole} fino a terra in {place}",
            "il pozzetto dell'illuminazione in {place} è scoperchiato e dentro ci sono fili elettrici scoperti",
            "il palo {pole} in {place} prende la scossa, un passante l'ha toccato e ha sentito la corrente",
            "il braccio del lampione {pole} si è staccato e penzola sopra il marciapiede in {place}",
        ],
        "high": [
            "tutta {place} è completamente al buio da ieri sera",
            "l'intera illuminazione di {place} è spenta e la zona è buia",
            "nel quartiere {area} sono spenti tutti i lampioni da due notti",
            "l'impianto del sottopasso di {place} è spento, è buio pesto",
            "sono spenti tutti i punti luce di {place} e la sera non si vede niente",
            "mezza {place} è senza illuminazione pubblica dal temporale di martedì",
            "l'attraversamento pedonale illuminato di {place} è spento del tutto",
        ],
        "normal": [
            "il lampione {pole} in {place} è spento",
            "la lampada del palo {pole} in {place} lampeggia in continuazione",
            "il lampione davanti al civico {num} di {place} resta acceso anche di giorno",
            "il punto luce con etichetta QR {qr} in {place} fa una luce debolissima",
            "la coppa del lampione {pole} in {place} ha il vetro incrinato",
            "un lampione in {place} si accende e si spegne a intermittenza",
            "il lampione {pole} in {place} è spento da una settimana",
            "la luce del palo con QR {qr} in {place} è spenta",
        ],
        "low": [
            "sarebbe utile aggiungere un lampione in {place}, quando sarà possibile",
            "chiediamo di valutare con calma lo spostamento del palo {pole} in {place} che intralcia il passo carrabile",
            "la targhetta identificativa del palo {pole} in {place} non si legge più e andrebbe sostituita",
            "il palo {pole} in {place} è imbrattato di adesivi e andrebbe ripulito alla prima occasione",
        ],
    },
    "issues": [
        ("il lampione spento in {place}", "normal"),
        ("il palo {pole} spento", "normal"),
        ("la lampada che lampeggia in {place}", "normal"),
        ("il punto luce QR {qr} guasto", "normal"),
        ("il palo pericolante in {place}", "emergency"),
        ("i fili scoperti alla base del palo {pole}", "emergency"),
        ("la via completamente al buio ({place})", "high"),
        ("i lampioni spenti in tutto il quartiere {area}", "high"),
    ],
    "questions": [
        "chi è competente per la manutenzione dei lampioni di una strada privata",
        "come si segnala un guasto usando il QR code sul palo",
        "quali sono i tempi previsti dal contratto per riparare un lampione spento",
        "se è prevista la sostituzione delle lampade con quelle a LED in {place}",
        "a quale numero posso segnalare un guasto dell'illuminazione di notte",
        "dove si trova il codice identificativo del palo",
        "se il servizio copre anche le luminarie natalizie del centro",
        "a che ora si accendono e si spengono i lampioni d'inverno",
    ],
    "complaints": [
        "i tempi lunghissimi per riparare il lampione in {place}",
        "il comportamento scortese del vostro operatore telefonico",
        "i danni alla mia auto causati dalla caduta del palo {pole}",
        "il cantiere per la sostituzione dei pali lasciato aperto e non segnalato in {place}",
        "la bolletta del servizio di illuminazione addebitata due volte",
    ],
}

BUILDINGS = {
    "places": [
        "la scuola primaria {school}", "la scuola media di via {street}", "il municipio", "la palestra della scuola {school}",
        "l'asilo nido {school}", "la biblioteca comunale", "il plesso di via {street}", "la scuola dell'infanzia {school}",
        "il liceo {school}", "il centro anziani di via {street}", "la sede dei vigili in via {street}",
    ],
    "faults": {
        "emergency": [
            "in {place} è crollato un pezzo di controsoffitto in un'aula",
            "in {place} una perdita d'acqua cola sul quadro elettrico",
            "due persone sono rimaste bloccate nell'ascensore di {place}",
            "c'è un forte odore di gas nel locale caldaia di {place}",
            "il seminterrato di {place} è allagato e l'acqua continua a salire",
            "sul muro portante di {place} si sono aperte crepe che si allargano",
            "esce fumo dal quadro elettrico del corridoio di {place}",
            "un cornicione di {place} si sta staccando sopra l'ingresso degli alunni",
            "il cancello scorrevole di {place} è uscito dalla guida e sta per cadere",
        ],
        "high": [
            "in {place} non funziona il riscaldamento e i bambini stanno in classe con il cappotto",
            "l'ascensore di {place} è fermo e abbiamo un dipendente in carrozzina",
            "i bagni di {place} sono tutti fuori uso",
            "il cancello principale di {place} non si apre e gli alunni non possono entrare",
            "manca l'acqua in tutto {place}",
            "in {place} è saltata la corrente in tutte le aule",
            "la porta d'ingresso di {place} è bloccata e nessuno può entrare",
        ],
        "normal": [
            "un rubinetto del bagno al primo piano di {place} gocciola",
            "una piastrella del corridoio di {place} è rotta",
            "la serratura della porta della segreteria di {place} è bloccata",
            "una finestra dell'aula 3 di {place} non si chiude bene",
            "c'è una macchia di umidità sul soffitto della palestra di {place}",
            "lo sciacquone del bagno dei maestri in {place} non funziona",
            "una tapparella dell'aula 5 di {place} è rotta e resta abbassata",
            "il citofono di {place} non suona",
            "la porta del magazzino di {place} cigola e non si chiude",
        ],
        "low": [
            "vorremmo far tinteggiare la sala riunioni di {place} durante le vacanze estive",
            "chiediamo di montare delle mensole nell'archivio di {place}, senza urgenza",
            "alla prossima manutenzione programmata si potrebbe sostituire la bacheca di {place}",
            "sarebbe bello sistemare l'aiuola davanti a {place} prima della primavera",
        ],
    },
    "issues": [
        ("il rubinetto che perde in {place}", "normal"),
        ("la finestra rotta di {place}", "normal"),
        ("l'infiltrazione d'acqua in {place}", "normal"),
        ("il riscaldamento guasto in {place}", "high"),
        ("l'ascensore fermo di {place}", "high"),
        ("il controsoffitto pericolante di {place}", "emergency"),
        ("le crepe sul muro di {place}", "emergency"),
    ],
    "questions": [
        "chi deve autorizzare l'uso della palestra di {place} per un evento serale",
        "se la manutenzione dei giochi del cortile di {place} è compresa nel contratto",
        "come si prenota la sala consiliare per un'assemblea",
        "quali sono i tempi per ottenere il certificato di agibilità della palestra",
        "se durante le vacanze di Natale sono previsti lavori in {place}",
        "chi è il referente per la sicurezza di {place}",
        "come richiedere le chiavi di {place} per l'open day",
    ],
    "complaints": [
        "i lavori eseguiti male in {place}, dove la perdita è ricomparsa dopo due giorni",
        "gli operai che hanno lasciato calcinacci e sporcizia in {place}",
        "il ritardo inaccettabile nella riparazione del riscaldamento di {place}",
        "il comportamento del vostro tecnico con il personale di {place}",
    ],
}

IT = {
    "places": [
        "l'ufficio anagrafe", "la sede di via {street}", "l'ufficio tributi", "lo sportello URP", "la postazione {ws}",
        "l'ufficio protocollo", "la ragioneria", "la sala server di via {street}", "l'ufficio tecnico", "la biblioteca",
    ],
    "faults": {
        "emergency": [
            "il server nella sala macchine di via {street} fa fumo e si sente odore di bruciato",
            "l'UPS della sala server si è surriscaldato e sta fumando",
            "nella sala CED l'acqua del condizionatore sta colando sopra i server accesi",
            "una ciabatta elettrica sotto la postazione {ws} ha preso fuoco",
        ],
        "high": [
            "tutta {place} è senza rete da stamattina e non possiamo lavorare",
            "il software del protocollo non funziona e oggi scade una gara",
            "non funziona la posta elettronica per tutto {place}",
            "il file server di {place} non risponde e nessuno accede ai documenti",
            "i PC dello sportello di {place} non si accendono e c'è la fila di utenti",
            "il gestionale dell'anagrafe è bloccato e non possiamo rilasciare le carte d'identità",
            "siamo tutti fuori dal dominio, nessuno riesce a fare login in {place}",
        ],
        "normal": [
            "la stampante di {place} si inceppa di continuo",
            "il monitor della postazione {ws} sfarfalla",
            "il mio PC in {place} è lentissimo all'avvio",
            "non riesco a configurare la firma nella posta elettronica",
            "mouse e tastiera della postazione {ws} non funzionano",
            "il telefono VoIP di {place} non squilla",
            "lo scanner di {place} non invia più le scansioni per e-mail",
            "Outlook mi chiede la password ogni cinque minuti",
        ],
        "low": [
            "chiediamo l'installazione di un secondo monitor per la postazione {ws}, senza fretta",
            "vorremmo l'aggiornamento di LibreOffice alla prossima manutenzione",
            "bisognerà spostare la postazione {ws} nella stanza accanto entro fine mese",
            "quando possibile serve installare il programma di firma digitale sul PC di un collega",
        ],
    },
    "issues": [
        ("la stampante guasta di {place}", "normal"),
        ("il PC della postazione {ws}", "normal"),
        ("la richiesta di nuovo account per un collega", "normal"),
        ("la rete assente in {place}", "high"),
        ("il blocco del gestionale dell'anagrafe", "high"),
    ],
    "questions": [
        "come si richiede un nuovo account per un collega neoassunto",
        "come si configura la VPN sul portatile di servizio",
        "qual è la procedura per cambiare la password del dominio",
        "se è possibile usare il proprio PC per il lavoro agile",
        "quali sono gli orari dell'assistenza tecnica",
        "se il contratto copre anche la manutenzione dei tablet della polizia locale",
        "come si recuperano i file cancellati per errore dalla cartella condivisa",
    ],
    "complaints": [
        "il tecnico che ha formattato il PC senza salvare i dati",
        "l'assistenza che chiude i ticket senza aver risolto il problema",
        "i continui disservizi della rete in {place}",
        "i tempi di risposta dell'help desk, ben oltre quelli del contratto",
    ],
}

FACILITY = {
    "places": [
        "il reparto di {ward} dell'ospedale {hospital}", "il pronto soccorso dell'ospedale {hospital}", "gli uffici di via {street}",
        "la sala d'attesa del poliambulatorio", "la mensa aziendale", "il magazzino centrale", "l'ambulatorio di {ward}",
        "la hall dell'ospedale {hospital}", "il terzo piano della sede di via {street}",
    ],
    "faults": {
        "emergency": [
            "nel corridoio del reparto di {ward} esce fumo da un locale tecnico",
            "un paziente è rimasto chiuso nel montalettighe di {place}",
            "c'è un forte odore di gas nella cucina della mensa",
            "in {place} l'acqua esce dal soffitto e arriva sulle prese elettriche",
            "un carrello dei rifiuti ha preso fuoco nel deposito di {place}",
            "il pavimento di {place} è allagato davanti alle uscite di emergenza",
        ],
        "high": [
            "i rifiuti sanitari di {place} non vengono ritirati da tre giorni",
            "la pulizia di {place} stamattina non è stata fatta e tra un'ora ci sono le visite",
            "il portiere di {place} non si è presentato e l'ingresso è incustodito",
            "la climatizzazione di {place} è ferma e ci sono 30 gradi in reparto",
            "il servizio di sanificazione delle stanze di isolamento in {place} è saltato",
            "la lavanderia non ha consegnato la biancheria pulita a {place} e non abbiamo lenzuola",
        ],
        "normal": [
            "i bagni di {place} non vengono puliti con regolarità",
            "mancano i dispenser di sapone nei bagni di {place}",
            "il cestino della carta di {place} non viene svuotato da giorni",
            "servono sacchi per la raccolta differenziata in {place}",
            "il distributore di bevande di {place} trattiene le monete",
            "i vetri di {place} sono sporchi da settimane",
            "una sedia della sala d'attesa di {place} è rotta",
        ],
        "low": [
            "vorremmo programmare una pulizia straordinaria delle vetrate di {place} per il mese prossimo",
            "chiediamo di aggiungere un contenitore per la carta in {place}",
            "per la prossima primavera servirebbe una disinfestazione preventiva del giardino",
        ],
    },
    "issues": [
        ("la pulizia dei bagni di {place}", "normal"),
        ("i rifiuti non ritirati in {place}", "high"),
        ("il distributore guasto di {place}", "normal"),
        ("la climatizzazione ferma in {place}", "high"),
    ],
    "questions": [
        "qual è il calendario delle pulizie di {place}",
        "come si prenota il servizio di facchinaggio per un trasloco interno",
        "chi devo contattare per il badge del parcheggio dipendenti",
        "se la disinfestazione è compresa nel contratto",
        "quali prodotti usate per la sanificazione delle sale operatorie",
        "come si richiede il servizio di reception per un convegno",
    ],
    "complaints": [
        "la scarsa pulizia di {place}, più volte segnalata",
        "il comportamento maleducato di un vostro addetto alle pulizie",
        "i danni al pavimento di {place} causati dalla vostra lavasciuga",
        "le fatture che addebitano pulizie mai eseguite in {place}",
    ],
}

ROADS = {
    "places": [
        "via {street}", "la strada provinciale {sp}", "il parco di via {street}", "la rotatoria di viale {street}",
        "la pista ciclabile di via {street}", "il giardino della scuola {school}", "la curva di via {street}",
        "l'incrocio tra via {street} e via {street2}", "il marciapiede di corso {street}", "il viale alberato di via {street}",
    ],
    "faults": {
        "emergency": [
            "un grosso albero è caduto in {place} e blocca la carreggiata",
            "in {place} c'è una voragine dove è già caduto un motociclista",
            "un ramo spezzato pende sopra la strada in {place} e può cadere sulle auto",
            "{place} è allagata e le auto restano bloccate nell'acqua",
            "c'è una lunga macchia d'olio su {place} e le moto scivolano",
            "il guard rail di {place} è divelto e sporge sulla corsia",
            "il tombino in mezzo a {place} è senza coperchio",
            "un cartello stradale in {place} si è staccato e pende sopra le auto che passano",
            "una frana ha portato sassi e terra sulla carreggiata in {place}",
        ],
        "high": [
            "i semafori dell'incrocio di {place} lampeggiano gialli da stamattina",
            "la neve non è stata tolta in {place} e la strada non è percorribile",
            "un albero caduto nel parco ostruisce il vialetto principale in {place}",
            "il passaggio pedonale di {place} è chiuso da un cantiere abbandonato e non si passa",
            "l'accesso a {place} è bloccato da un cumulo di detriti",
        ],
        "normal": [
            "c'è una buca in {place}",
            "l'erba in {place} è altissima e va tagliata",
            "una panchina di {place} è rotta",
            "la segnaletica orizzontale di {place} è sbiadita",
            "le foglie intasano la caditoia in {place}",
            "la siepe di {place} invade il marciapiede",
            "il cestino di {place} è divelto",
            "l'asfalto di {place} si sta sgretolando ai bordi",
        ],
        "low": [
            "proponiamo di piantare nuovi alberi in {place}",
            "quando possibile sarebbe utile ridipingere le strisce pedonali in {place}",
            "nella prossima stagione si potrebbe aggiungere una fontanella in {place}",
        ],
    },
    "issues": [
        ("la buca in {place}", "normal"),
        ("lo sfalcio dell'erba in {place}", "normal"),
        ("la panchina rotta di {place}", "normal"),
        ("l'albero pericolante in {place}", "emergency"),
        ("il tombino scoperchiato in {place}", "emergency"),
        ("i semafori spenti in {place}", "high"),
    ],
    "questions": [
        "quando è previsto lo sfalcio dell'erba nel quartiere {area}",
        "chi è responsabile della manutenzione di una strada vicinale",
        "come posso chiedere il risarcimento per un danno causato da una buca",
        "se un'associazione può adottare un'aiuola in {place}",
        "quali sono le regole per potare gli alberi privati che sporgono sulla strada",
        "quando inizierà il piano neve di quest'anno",
    ],
    "complaints": [
        "la buca mai riparata in {place} che ha rovinato i cerchioni della mia auto",
        "il taglio dell'erba fatto lasciando sporco e sassi sulle auto",
        "la potatura selvaggia degli alberi di {place}",
        "il cantiere in {place} chiuso da mesi senza nessun operaio",
    ],
}

ENERGY = {
    "places": [
        "la centrale termica della scuola {school}", "il palazzo comunale", "la palestra comunale", "la sede di via {street}",
        "la scuola {school}", "la piscina comunale", "la casa di riposo di via {street}", "il teatro comunale",
    ],
    "faults": {
        "emergency": [
            "c'è un forte odore di gas nella centrale termica di {place}",
            "la caldaia di {place} fa fumo nero e si sentono scoppi",
            "una tubazione dell'acqua calda è scoppiata in {place} e sta allagando il locale",
            "il quadro elettrico generale di {place} ha preso fuoco",
            "dal bruciatore di {place} escono fiamme dallo sportello",
        ],
        "high": [
            "il riscaldamento di {place} è spento da stamattina e fuori ci sono due gradi",
            "manca l'acqua calda in tutto {place}",
            "è saltata la corrente in tutto {place}",
            "la caldaia di {place} è in blocco e i termosifoni sono freddi",
            "in {place} i radiatori sono gelati e domani c'è l'apertura al pubblico",
        ],
        "normal": [
            "un termosifone dell'ufficio 12 in {place} non scalda",
            "il cronotermostato di {place} non rispetta gli orari",
            "in {place} fa troppo caldo, i termosifoni sono al massimo",
            "una valvola del termosifone in {place} perde qualche goccia",
            "il contatore di {place} segna consumi strani",
            "il fan coil della sala riunioni di {place} è rumoroso",
        ],
        "low": [
            "chiediamo di anticipare l'accensione del riscaldamento in {place} dalla prossima stagione",
            "vorremmo un controllo dei consumi di {place}, senza fretta",
            "per il prossimo anno si potrebbero installare valvole termostatiche in {place}",
        ],
    },
    "issues": [
        ("il termosifone guasto in {place}", "normal"),
        ("il riscaldamento spento in {place}", "high"),
        ("la caldaia in blocco di {place}", "high"),
        ("l'odore di gas nella centrale termica di {place}", "emergency"),
        ("il cronotermostato di {place}", "normal"),
    ],
    "questions": [
        "quali sono gli orari di accensione del riscaldamento previsti dal contratto",
        "come viene calcolato il canone del servizio energia",
        "chi si occupa della manutenzione dell'impianto fotovoltaico di {place}",
        "quali documenti servono per aggiornare il libretto d'impianto",
        "ogni quanto viene fatta la lettura dei contatori",
        "se è possibile avere il riepilogo dei consumi dell'ultimo anno",
    ],
    "complaints": [
        "le temperature da frigorifero in {place} per tutto l'inverno",
        "la fattura del servizio energia con consumi triplicati",
        "il tecnico che non si è presentato all'appuntamento in {place}",
        "la caldaia riparata tre volte in un mese senza risultato",
    ],
}

INSURANCE = {
    "places": ["la tangenziale", "l'autostrada A{road}", "la strada provinciale {sp}", "il parcheggio della sede", "via {street}", "il deposito mezzi"],
    "faults": {
        "emergency": [
            "il nostro furgone targato {plate} ha avuto un incidente su {place} ed è fermo in mezzo alla carreggiata con fumo dal motore",
            "l'auto di servizio {plate} ha preso fuoco nel parcheggio della sede",
            "il mezzo {plate} è uscito di strada su {place} e l'autista è ferito",
        ],
        "high": [
            "il veicolo {plate} è fermo in panne su {place} e serve il carro attrezzi",
            "l'auto di servizio {plate} ha il lunotto sfondato e domani serve per le visite domiciliari",
            "l'ambulanza {plate} non parte e deve essere in servizio stanotte",
        ],
        "normal": [
            "chiedo l'apertura del sinistro per il tamponamento del {date} con il veicolo {plate}",
            "bisogna sostituire il parabrezza scheggiato dell'auto {plate}",
            "vi trasmetto la constatazione amichevole per l'incidente del {date} e chiedo di avviare la pratica",
            "l'auto {plate} ha subito un danno da grandine e va periziata",
            "chiedo di fissare la perizia per il mezzo {plate} danneggiato in {place}",
        ],
        "low": [
            "vorremmo inserire in polizza il nuovo veicolo {plate} dal mese prossimo",
            "quando possibile va aggiornato il libretto di circolazione del mezzo {plate} nel vostro sistema",
        ],
    },
    "issues": [
        ("il sinistro n. {claim} del veicolo {plate}", "normal"),
        ("la perizia del mezzo {plate}", "normal"),
        ("il rimborso del sinistro del {date}", "normal"),
        ("il carro attrezzi per il veicolo {plate}", "high"),
    ],
    "questions": [
        "se la polizza copre anche i danni da grandine",
        "quali documenti servono per denunciare un sinistro",
        "se un dipendente può guidare il veicolo {plate} fuori dall'orario di servizio",
        "a quanto ammonta la franchigia della kasko",
        "come si ottiene l'attestato di rischio della flotta",
        "se il soccorso stradale è incluso anche all'estero",
        "entro quanti giorni va denunciato un sinistro",
    ],
    "complaints": [
        "il rifiuto di liquidare il sinistro n. {claim}",
        "la carrozzeria convenzionata che ha restituito l'auto {plate} con nuovi danni",
        "i tempi della perizia, fermi da oltre due mesi",
        "la franchigia applicata in misura diversa da quella del contratto",
    ],
}

CARDS = {
    "places": ["il casello di {city}", "il distributore di via {street}", "l'area di servizio {city} Nord", "la sede"],
    "faults": {
        "emergency": [
            "la carta carburante {card} è stata clonata e in questo momento stanno facendo rifornimenti in altre città",
        ],
        "high": [
            "la carta {card} è stata rubata stanotte, bloccatela subito",
            "il telepass del mezzo {plate} non funziona e l'autista è fermo al casello di {city}",
            "la carta carburante {card} viene rifiutata e i mezzi sono senza gasolio",
            "tutte le carte della flotta risultano bloccate da stamattina",
        ],
        "normal": [
            "chiedo la sostituzione della carta {card} che è smagnetizzata",
            "chiedo l'emissione di una nuova carta carburante per il veicolo {plate}",
            "il dispositivo di telepedaggio del veicolo {plate} va sostituito perché non emette più il bip",
            "occorre alzare il limite di spesa mensile della carta {card}",
            "bisogna cambiare la targa associata alla carta {card} da {plate} a {plate2}",
            "chiedo di disattivare la carta {card} del dipendente che è andato in pensione",
        ],
        "low": [
            "vorremmo attivare le carte per i nuovi mezzi che arriveranno a gennaio",
            "quando potete, aggiornate l'indirizzo di spedizione degli estratti conto",
        ],
    },
    "issues": [
        ("la sostituzione della carta {card}", "normal"),
        ("il nuovo dispositivo di telepedaggio per il veicolo {plate}", "normal"),
        ("il blocco della carta {card} rubata", "high"),
        ("il rimborso dell'addebito sulla carta {card}", "normal"),
    ],
    "questions": [
        "come si scarica l'estratto conto delle carte aziendali",
        "quali commissioni si applicano ai rifornimenti all'estero",
        "come si cambia il PIN della carta",
        "se il telepedaggio funziona anche in Francia e Spagna",
        "dove si trovano le fatture dei pedaggi del mese scorso",
        "quanto costa una carta aggiuntiva per un nuovo mezzo",
        "se si può usare la carta carburante per il lavaggio dei mezzi",
    ],
    "complaints": [
        "gli addebiti doppi sull'estratto conto della carta {card}",
        "la commissione non prevista nella fattura n. {invoice}",
        "il blocco ingiustificato della carta {card} che ha lasciato a piedi un nostro autista",
        "le penali di mancato pagamento del pedaggio già pagato",
    ],
}

FUNDING = {
    "places": ["la piattaforma bandi", "il portale della Regione", "lo sportello imprese", "l'area riservata"],
    "faults": {
        "emergency": [],
        "high": [
            "la piattaforma per la presentazione delle domande dà errore e il bando scade domani",
            "non riesco a caricare gli allegati sul portale e la scadenza è dopodomani",
            "l'area riservata non mi fa firmare la domanda e il termine scade stasera",
        ],
        "normal": [
            "vi chiedo di correggere la ragione sociale sbagliata nella domanda prot. {protocol}",
            "chiedo di riaprire la domanda prot. {protocol} inviata per errore senza allegati",
            "il codice CUP riportato nella graduatoria per il nostro progetto è sbagliato e va corretto",
            "chiedo di modificare l'IBAN indicato per l'erogazione del contributo",
            "vi chiedo di abilitare un nuovo delegato sull'area riservata della nostra azienda",
        ],
        "low": [
            "quando possibile chiediamo di aggiornare la PEC della nostra impresa nell'anagrafica",
        ],
    },
    "issues": [
        ("la domanda di contributo prot. {protocol}", "normal"),
        ("la liquidazione del saldo del progetto CUP {cup}", "normal"),
        ("l'istruttoria della domanda prot. {protocol} sul {call}", "normal"),
        ("la richiesta di proroga del progetto", "normal"),
    ],
    "questions": [
        "se le spese di consulenza sono ammissibili nel {call}",
        "qual è la scadenza per la rendicontazione del {call}",
        "se una ditta individuale può partecipare al {call}",
        "come va firmato digitalmente l'allegato B",
        "se il contributo è cumulabile con altri aiuti de minimis",
        "quando sarà pubblicata la graduatoria del {call}",
        "se le fatture emesse prima della domanda sono rendicontabili",
        "qual è la percentuale di anticipo prevista dal {call}",
    ],
    "complaints": [
        "l'esclusione della nostra domanda senza alcuna motivazione",
        "i ritardi nel pagamento del contributo, fermo da otto mesi",
        "le risposte contraddittorie ricevute dall'help desk sul {call}",
        "la piattaforma che ha perso la nostra domanda già inviata",
    ],
}

DOMAINS = {
    "lighting": LIGHTING,
    "buildings": BUILDINGS,
    "it": IT,
    "facility": FACILITY,
    "roads": ROADS,
    "energy": ENERGY,
    "insurance": INSURANCE,
    "cards": CARDS,
    "funding": FUNDING,
}
