from classifier.textprep import fold_accents, html_to_text, normalise, restore_accents, split_message


def test_italian_reply_header_moves_history_to_quoted():
    text = ("Vi scrivo di nuovo per il lampione di via Piave.\n\n"
            "Il giorno 16 ott 2026, alle ore 21:12, Pietro <p@gmail.com> ha scritto:\n"
            "> Il lampione di via Piave 3 è spento.")
    parts = split_message(text)
    assert parts.new == "Vi scrivo di nuovo per il lampione di via Piave."
    assert "Il lampione di via Piave 3 è spento." in parts.quoted
    assert not any(line.startswith(">") for line in parts.quoted.splitlines())


def test_wrapped_reply_header_over_two_lines():
    text = "Sollecito.\nIl giorno lun 23 nov 2026 alle 21:40 Beatrice\n<b@libero.it> ha scritto:\nalbero inclinato"
    assert split_message(text).new == "Sollecito."


def test_outlook_original_message_block():
    text = ("Ancora nessuna risposta.\n-----Messaggio originale-----\nDa: Ufficio Tributi\n"
            "Inviato: lunedì 9 novembre 2026 09:14\nA: Assistenza\nOggetto: PC nuovo collega\nChiediamo un PC.")
    parts = split_message(text)
    assert parts.new == "Ancora nessuna risposta."
    assert "Chiediamo un PC." in parts.quoted


def test_da_inviato_header_without_dashes():
    text = "Vi ricordo la richiesta.\nDa: Mario Rossi <m@x.it>\nInviato: martedì 3 novembre\nOggetto: guasto\nIl guasto."
    assert split_message(text).new == "Vi ricordo la richiesta."


def test_da_line_alone_is_not_a_quote_header():
    text = "Da: oggi il cancello non si apre.\nChiediamo un intervento."
    assert "cancello" in split_message(text).new


def test_signature_and_mobile_footer_are_separated():
    parts = split_message("Il lampione è spento.\nCordiali saluti\nMario Rossi\nTel. 333 1234567")
    assert parts.new == "Il lampione è spento."
    assert "Mario Rossi" in parts.signature
    assert split_message("Venite subito.\nInviato da iPhone").new == "Venite subito."


def test_privacy_disclaimer_is_removed():
    text = ("Segnalo una buca.\nAi sensi del Regolamento UE 2016/679 le informazioni contenute in questo messaggio "
            "sono riservate e ad uso esclusivo del destinatario.")
    parts = split_message(text)
    assert parts.new == "Segnalo una buca."
    assert "2016/679" in parts.disclaimer


def test_bare_forward_keeps_the_forwarded_request():
    text = "Fyi\n---------- Forwarded message ---------\nFrom: A <a@x.it>\nDate: 1/1\nIl palo è caduto."
    assert "palo" in split_message(text).new


def test_html_document_becomes_text():
    html = "<html><head><style>p{margin:0}</style></head><body><p>Ciao&nbsp;a tutti</p><p>seconda riga</p></body></html>"
    assert html_to_text(html) == "Ciao a tutti\nseconda riga"


def test_html_leftovers_in_plain_text():
    assert html_to_text("riga uno<br>\nriga due") .replace("\n\n", "\n") == "riga uno\nriga due"
    assert html_to_text("testo normale, 3 < 4") == "testo normale, 3 < 4"


def test_accents_typed_with_apostrophes_match_real_ones():
    assert restore_accents("perche' e' cosi'") == "perchè è così"
    assert normalise("PERCHÉ è") == normalise("perche' e'") == "perche e"
    assert fold_accents("città") == "citta"
    assert restore_accents("l'acqua dell'ufficio") == "l'acqua dell'ufficio"


def test_placeholders_replace_contacts_codes_and_numbers():
    text = normalise("Chiamate 333 1234567 o mario@x.it, pratica TK-2026-00123 del 12/11/2026, vedi www.x.com/a, 40 euro")
    for token in ("xphone", "xemail", "xcode", "xdate", "xurl", "xnum"):
        assert token in text
    assert "1234567" not in text and "mario" not in text


def test_hostile_text_costs_linear_time_and_huge_fields_are_read_up_to_a_budget(tiny_model):
    """Inputs that made the placeholder patterns backtrack for minutes, and a subject spaCy refuses."""
    import time

    from classifier.features import MAX_BODY_CHARS, Message, prepare
    from classifier.textprep import mask
    model, _, nlp = tiny_model
    started = time.perf_counter()
    for text in ("a-" * 40_000, "a1-" * 20_000, "a." * 40_000 + "@", "<p " * 20_000):
        mask(text)
    assert time.perf_counter() - started < 10  # minutes before the patterns were bounded
    huge = Message("x" * 1_200_000, "Il lampione è spento " + "b" * 2_000_000)
    result = model.predict([huge], nlp)[0]
    assert result.type in {"intervention", "status", "clarification", "reminder", "complaint", "other"}
    assert len(prepare([huge], nlp)[0].text) <= MAX_BODY_CHARS
