"""Names, places and codes that fill the slots of the phrase banks."""

FIRST_NAMES = [
    "Mario", "Giuseppe", "Luca", "Marco", "Francesco", "Andrea", "Alessandro", "Giovanni", "Roberto",
    "Stefano", "Paolo", "Davide", "Matteo", "Simone", "Antonio", "Salvatore", "Vincenzo", "Fabio",
    "Giulia", "Francesca", "Chiara", "Sara", "Anna", "Laura", "Valentina", "Elena", "Martina",
    "Alessandra", "Federica", "Silvia", "Paola", "Roberta", "Maria", "Rosa", "Carmela", "Lucia",
    "Cristina", "Daniela", "Monica", "Barbara", "Emanuele", "Riccardo", "Lorenzo", "Tommaso",
    "Gabriele", "Nicola", "Pietro", "Alberto", "Claudio", "Massimo", "Ilaria", "Serena", "Beatrice",
]
SURNAMES = [
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
    "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
    "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso",
    "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo",
    "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti", "Parisi", "Villa", "Conte", "Ferraro",
    "Fabbri", "Bianco", "Marini", "Grasso", "Valentini", "Messina", "Sala", "De Angelis", "Pellegrini",
]
CITIES = [
    "Alessandria", "Novara", "Asti", "Cuneo", "Pavia", "Cremona", "Mantova", "Lodi", "Piacenza",
    "Parma", "Modena", "Ferrara", "Ravenna", "Forlì", "Rimini", "Pesaro", "Ancona", "Macerata",
    "Perugia", "Terni", "Viterbo", "Latina", "Frosinone", "Pescara", "Chieti", "Teramo", "Foggia",
    "Bari", "Lecce", "Brindisi", "Taranto", "Potenza", "Matera", "Cosenza", "Catanzaro", "Salerno",
    "Avellino", "Caserta", "Benevento", "Arezzo", "Siena", "Grosseto", "Livorno", "Pisa", "Lucca",
    "Treviso", "Vicenza", "Padova", "Rovigo", "Udine", "Pordenone", "Bergamo", "Brescia", "Varese",
]
STREETS = [
    "Roma", "Garibaldi", "Mazzini", "Cavour", "Dante Alighieri", "Matteotti", "Verdi", "XX Settembre",
    "Vittorio Emanuele II", "Marconi", "Gramsci", "IV Novembre", "della Repubblica", "dei Mille",
    "Manzoni", "Leopardi", "Carducci", "Pascoli", "San Francesco", "Santa Maria", "del Lavoro",
    "dell'Industria", "degli Alpini", "dei Pini", "delle Rose", "Europa", "Kennedy", "Don Minzoni",
    "Aldo Moro", "Togliatti", "Gorizia", "Trieste", "Trento", "Piave", "Isonzo", "Bellini",
    "Rossini", "Puccini", "Colombo", "Galilei", "Volta", "Fermi", "Pertini", "Einaudi", "De Gasperi",
    "Nenni", "Turati", "Battisti", "Oberdan", "Sauro", "Cesare Battisti", "Torino", "Milano",
]
SQUARES = ["Garibaldi", "del Popolo", "Duomo", "della Libertà", "Martiri", "San Marco", "Italia", "Castello", "Mercato"]
SCHOOLS = [
    "Giovanni Pascoli", "Don Milani", "Collodi", "Rodari", "Montessori", "De Amicis", "Alessandro Volta",
    "Leonardo da Vinci", "Galileo Galilei", "Salvo D'Acquisto", "Falcone e Borsellino", "Aldo Moro",
    "Grazia Deledda", "Italo Calvino", "Papa Giovanni XXIII", "Madre Teresa",
]
HOSPITALS = ["San Giovanni", "Santa Croce", "Maggiore", "Civile", "San Paolo", "Sant'Anna", "Santi Antonio e Biagio", "Misericordia"]
WARDS = ["Medicina", "Chirurgia", "Cardiologia", "Ortopedia", "Pediatria", "Geriatria", "Oncologia", "Radiologia", "Dialisi", "Ostetricia"]
AREAS = ["Cristo", "Orti", "Pista", "Centro storico", "Borgo Nuovo", "San Rocco", "Villaggio Europa", "Quartiere Oltreponte", "Zona Industriale", "Le Cave"]
OFFICES = ["l'ufficio anagrafe", "l'ufficio tributi", "lo sportello URP", "l'ufficio protocollo", "la ragioneria", "l'ufficio tecnico", "i servizi sociali", "la polizia locale", "l'ufficio personale", "la segreteria del sindaco"]
COMPANIES = [
    "Edil Rossi s.r.l.", "Trasporti Bianchi S.p.A.", "Logistica Padana srl", "Farmacia Centrale",
    "Studio Tecnico Moretti", "Costruzioni Galli & C.", "Cooperativa Il Sole", "Autoservizi Conti",
    "Officina Meccanica Sala", "Agricola Valle Verde", "Ristorante Da Nino", "Tecnoimpianti srl",
]
CALLS = ["Bando Innovazione PMI 2026", "Avviso Digitalizzazione Imprese", "Bando Turismo Sostenibile", "Avviso Voucher Internazionalizzazione", "Bando Efficienza Energetica", "Avviso Start-up Innovative", "Bando Filiere Agroalimentari"]
EMAIL_DOMAINS = ["gmail.com", "libero.it", "hotmail.it", "yahoo.it", "alice.it", "virgilio.it", "tiscali.it", "outlook.it", "fastwebnet.it", "tim.it"]
PEC_DOMAINS = ["pec.it", "legalmail.it", "pec.comune.{city}.it", "cert.provincia.{city}.it", "postacert.it", "arubapec.it", "pec.aziendasanitaria.it"]
ROLES = [
    "Dirigente scolastico", "Responsabile Ufficio Tecnico", "Economo", "Referente del plesso", "Ufficio Patrimonio",
    "Coordinatrice infermieristica", "Responsabile servizi generali", "Amministratore di condominio",
    "Responsabile flotta aziendale", "Ufficio acquisti", "Segreteria amministrativa", "Polizia Locale",
    "Responsabile sistemi informativi", "Direttore sanitario", "Legale rappresentante",
]
