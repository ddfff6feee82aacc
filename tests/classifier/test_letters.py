"""A letter attached under a cover note is read as the request; under a real request, as context."""

from __future__ import annotations

from classifier import nlp as nlp_mod
from classifier.features import Message, is_cover_note, prepare

LETTER = """COMUNE DI ROCCAFORTE
Prot. n. 4512 del 02/03/2026
Da: Ufficio Tecnico
A: Contact Center manutenzione
Oggetto: palo pericolante in via Garibaldi
Si segnala che il palo PL-0457 di via Garibaldi è inclinato verso la carreggiata dopo l'urto di un camion
e rischia di cadere sulle auto in sosta. Si chiede un intervento immediato di messa in sicurezza.
Il Responsabile, geom. Carlo Neri"""


def test_a_cover_note_gives_the_letter_its_header_block_included():
    nlp = nlp_mod.load(nlp_mod.BLANK)[0]
    [cover, asking, alone] = prepare([Message("Trasmissione nota", "Si trasmette la nota in allegato.", attachment=LETTER),
                                      Message("palo", "Buongiorno, a che punto è la pratica del palo di via Garibaldi? Vi avevo "
                                              "scritto il mese scorso e allego di nuovo la nota che vi avevamo mandato allora, "
                                              "per vostra comodità. Grazie per la risposta, cordiali saluti dall'ufficio tecnico "
                                              "del comune di Roccaforte. Il sopralluogo promesso per la settimana scorsa non c'è stato e "
                                              "nessuno ci ha chiamato per fissare una nuova data.", attachment=LETTER),
                                      Message("Trasmissione nota", "Si trasmette la nota in allegato.")], nlp)
    assert cover.read_from == "attachment" and "intervento immediato" in cover.text and "camion" in cover.folded
    assert asking.read_from == "body" and "camion" not in asking.text and asking.quoted_words
    assert alone.read_from == "body" and "camion" not in alone.text
    assert not is_cover_note("Vedi allegato.", "poche parole")  # a letter too short to be one
