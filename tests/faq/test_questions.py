from __future__ import annotations

from faq.questions import EMAIL, IBAN, NAME, PHONE, PLATE, TAX_CODE, extract_questions, pseudonymise

REPLY = """Buongiorno Sig. Rossi,

grazie per la risposta. Ho ancora un dubbio: entro quando devo pagare la fattura di marzo?
Inoltre vorrei sapere se posso chiedere la rateizzazione.
Il contatore è stato sostituito ieri.

Cordiali saluti
Giulia Ferraro
Tel. 347 1234567

Il giorno 3 marzo 2026, Servizio Clienti <assistenza@esempio.it> ha scritto:
> Gentile cliente, quale è il numero del suo contratto?
> Restiamo a disposizione.
"""


def test_questions_come_from_the_new_text_only():
    questions = extract_questions(REPLY)
    assert questions == ["Ho ancora un dubbio: entro quando devo pagare la fattura di marzo?",
                         "Inoltre vorrei sapere se posso chiedere la rateizzazione."]
    assert not any("contratto" in q for q in questions)  # the quoted question is ours, not theirs


def test_outlook_history_and_iphone_signature_are_dropped():
    text = ("Salve, quanto costa lo spostamento del contatore?\n\nInviato da iPhone\n\n"
            "-----Messaggio originale-----\nDa: info@esempio.it\nInviato: lunedì\nOggetto: Re: preventivo\n"
            "Come possiamo aiutarla?")
    assert extract_questions(text) == ["quanto costa lo spostamento del contatore?"]


def test_a_message_without_question_marks_is_one_question():
    assert extract_questions("Buonasera,\nbolletta non arrivata\n\nGrazie\nLuca") == ["bolletta non arrivata"]


def test_greeting_only_has_no_question():
    assert extract_questions("Buongiorno,\n\nCordiali saluti\nAnna Conti") == []


def test_names_from_greeting_and_signature_are_masked_inside_questions():
    text = "Gentile Marco,\nposso delegare mia moglie Paola Verdi? Marco Neri\n\nDistinti saluti\nPaola Verdi\n"
    (question,) = extract_questions(text)
    assert "Paola" not in question and "Verdi" not in question and "Marco" not in question
    assert NAME in question


def test_pseudonymise_masks_contacts_codes_plates_and_iban():
    text = ("Mi chiamo Carla Romano, scrivo da carla.romano@posta.it o al 06 1234 5678; IBAN IT60X0542811101000000123456, "
            "codice fiscale RMNCRL80A41H501Z, targa AB123CD, contratto 0012345678.")
    masked = pseudonymise(text)
    for secret in ("Carla", "Romano", "carla.romano@posta.it", "06 1234 5678", "IT60X", "RMNCRL80A41H501Z", "AB123CD", "0012345678"):
        assert secret not in masked, secret
    for token in (NAME, EMAIL, PHONE, IBAN, TAX_CODE, PLATE):
        assert token in masked, token


def test_pseudonymise_keeps_what_is_asked():
    assert pseudonymise("Quanto costa il servizio nel 2026?") == "Quanto costa il servizio nel 2026?"
