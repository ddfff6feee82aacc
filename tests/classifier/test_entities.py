from classifier.entities import extract, requester_name

TEXT = ("Il lampione davanti al civico 9 di via Puccini (codice sul palo AL-2231) è spento, anche il punto luce "
        "QR-AL-17702 in piazza Mercato. Ticket TK-2026-10233, prot. 18830/2026 del 14/07/2026. "
        "Chiamate al 348 9921034. Auto FG214PK danneggiata il 3 novembre.")


def test_tracking_entities():
    e = extract(TEXT, "Lampione via Puccini", "Maria Conti <m.conti@gmail.com>", "Maria Conti\nTel. 0131 442198")
    assert e["requester_name"] == "Maria Conti"
    assert e["emails"] == ["m.conti@gmail.com"]
    assert e["phones"] == ["348 9921034", "0131 442198"]
    assert "via Puccini" in e["addresses"] and "piazza Mercato" in e["addresses"]
    assert e["asset_codes"] == ["AL-2231", "QR-AL-17702"]
    assert "TK-2026-10233" in e["tickets"]
    assert e["protocols"] == ["18830/2026"]
    assert e["plates"] == ["FG214PK"]
    assert e["dates"] == ["14/07/2026", "3 novembre"]


def test_pole_numbers_after_palo_keyword():
    assert extract("il palo n. 1147 in corso Alfieri è a terra")["asset_codes"] == ["1147"]
    assert "via XX Settembre 12" in extract("guasto in via XX Settembre 12, grazie")["addresses"]


def test_requester_from_signature_when_header_has_no_name():
    assert requester_name("m.rossi@libero.it", "Cordiali saluti\nGiulia Marini") == "Giulia Marini"
    assert requester_name("m.rossi@libero.it", "Tel. 333") is None
