"""The FAQ in the store, on SQLite and PostgreSQL: the worker reads the questions of classified
requests, suggests the published FAQ that answers them (in the message, the feed and a routing
follow-up), clusters the others into candidates with stable ids, and editors approve, merge or
reject them; the impact counts and the CSV round trip."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from faq.publish import read_csv, to_csv
from faq.questions import MAX_QUESTION_CHARS
from tests.data.hostile.generated import SMALL, build
from tests.triage.helpers import mail
from triage import faqs, queries
from triage.db import open_store
from triage.faq_models import FaqRecord, QuestionRecord
from triage.faq_schemas import FaqIn
from triage.faq_worker import FaqWorker, questions_in
from triage.models import Classification, MessageStatus, OutboxItem, Sighting, StoredMessage
from triage.schemas import FeedFilter
from triage.settings import Settings

FAQ_CSV = """id;question;answer;tag
orari;Quali sono gli orari di apertura dello sportello?;Lo sportello è aperto dal lunedì al venerdì dalle 9 alle 13.;orari, sportello
lampione;Come segnalo un lampione spento?;Indichi il numero del palo scritto sull'etichetta.;illuminazione
fattura;Come posso pagare la fattura?;Con bonifico, PagoPA o domiciliazione bancaria.;pagamento, bolletta
reclamo;Come presento un reclamo formale?;Per PEC o con il modulo del portale entro 30 giorni.;reclamo
password;Ho dimenticato la password del portale, cosa faccio?;Usi la funzione Recupera password.;portale
"""

CHARGING = [  # one question, five senders, five wordings: not in the FAQ
    "Posso installare una colonnina di ricarica per l'auto elettrica nel cortile del condominio?",
    "Vorrei sapere se è possibile mettere una colonnina di ricarica per auto elettriche nel cortile condominiale.",
    "Come si chiede l'installazione di una colonnina per ricaricare l'auto elettrica in cortile?",
    "E' possibile installare un punto di ricarica per auto elettrica nel nostro cortile condominiale?",
    "Si può avere una colonnina di ricarica per la macchina elettrica nel cortile del palazzo?",
]


@pytest.fixture(scope="module")
def embedder():
    from faq.signals import E5Embedder
    return E5Embedder()


def settings_for(store_url: str, tmp_path, **extra) -> Settings:
    return Settings(project_dir=tmp_path, database_url=store_url, faq_recluster_every=1000, **extra)


def classified(sessions, i: int, body: str, request_type: str = "clarification", sender: str | None = None,
               when: datetime | None = None) -> int:
    """A message as the pipeline leaves it: stored, seen in a mailbox, classified."""
    raw = mail(i, subject="Informazioni", body=body)
    when = when or datetime.now(timezone.utc) - timedelta(days=1)
    with sessions.begin() as s:
        message = StoredMessage(message_id_header=f"<faq{i}@test>", sha256=hashlib.sha256(raw).hexdigest(), raw=raw,
                                size=len(raw), status=MessageStatus.CLASSIFIED, subject="Informazioni",
                                sender=sender or f"Cittadino {i} <cittadino{i}@libero.it>", sent_at=when, received_at=when)
        s.add(message)
        s.flush()
        s.add(Sighting(message_pk=message.id, mailbox="contact", folder="INBOX", uidvalidity=1, uid=str(i)))
        s.add(Classification(message_pk=message.id, type=request_type, type_confidence=0.9, urgency="low",
                             urgency_confidence=0.9, probabilities={}, needs_review=False, explanation={}, entities={},
                             model_version="test"))
        return message.id


def drain(worker: FaqWorker) -> None:
    while worker.run_once():
        pass


def published(sessions) -> None:
    entries = [(e.id, FaqIn(question=e.question, answer=e.answer, tags=list(e.tags))) for e in read_csv(FAQ_CSV)]
    with sessions.begin() as s:
        assert faqs.import_entries(s, entries, "editor") == (5, 0)


def test_a_matched_question_is_suggested_in_the_message_the_feed_and_to_routing(store_url, tmp_path, embedder):
    settings = settings_for(store_url, tmp_path, routing_url="http://127.0.0.1:9/routing")
    sessions = open_store(store_url)
    published(sessions)
    asks = classified(sessions, 1, "Buongiorno,\nho dimenticato la password del portale: cosa devo fare?\nCordiali saluti\nMario Rossi")
    own_case = classified(sessions, 2, "A che punto è la mia segnalazione n. 4471223? Grazie", request_type="status")
    fault = classified(sessions, 3, "Il lampione di via Roma 12 è spento da tre giorni.", request_type="intervention")
    drain(FaqWorker(settings, sessions, embedder))

    detail = queries.message_detail(sessions, asks)
    assert [s.faq_id for s in detail.faq_suggestions] == ["password"]
    assert detail.faq_suggestions[0].score >= settings.faq_match_threshold
    feed = {i.message_pk: i for i in queries.feed(sessions, 0, 100, FeedFilter()).items}
    assert [s.faq_id for s in feed[asks].faq_suggestions] == ["password"] and feed[fault].faq_suggestions == []
    with sessions() as s:
        assert faqs.questions_of(s, own_case) == [] and faqs.questions_of(s, fault) == []
        (question,) = faqs.questions_of(s, asks)
        assert "Rossi" not in question.text and "password" in question.text
        follow_up = s.scalar(select(OutboxItem).where(OutboxItem.message_pk == asks))
        assert follow_up.idempotency_key == f"{asks}-faq"
        assert follow_up.payload["event"] == "faq_suggestions" and follow_up.payload["faq_suggestions"][0]["faq_id"] == "password"
    drain(FaqWorker(settings, sessions, embedder))  # a second worker finds nothing left to read
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(QuestionRecord)) == 1


def test_unanswered_questions_become_a_candidate_that_an_editor_approves(store_url, tmp_path, embedder):
    settings = settings_for(store_url, tmp_path)
    sessions = open_store(store_url)
    published(sessions)
    start = datetime.now(timezone.utc) - timedelta(days=30)
    for i, text in enumerate(CHARGING):
        classified(sessions, 10 + i, f"Buongiorno,\n{text}\nGrazie", when=start + timedelta(days=i))
    classified(sessions, 20, CHARGING[0], sender="Cittadino 10 <cittadino10@libero.it>")  # the same sender again
    classified(sessions, 30, "Buongiorno, quanto costa il servizio di sgombero neve per i passi carrai privati?")
    worker = FaqWorker(settings, sessions, embedder)
    drain(worker)
    now = datetime.now(timezone.utc)
    with sessions() as s:
        (found,) = faqs.candidates(s, now, settings.faq_min_senders, timedelta(days=60))
        assert found.questions == 6 and found.senders == 5
        assert 3 <= len(found.representatives) <= 5 and sum(found.weekly) == 6
        assert found.mailboxes[0].name == "contact" and found.mailboxes[0].questions == 6
        assert [q.text for q in faqs.unclustered(s)] == ["quanto costa il servizio di sgombero neve per i passi carrai privati?"]
        assert faqs.candidates(s, now, 6, timedelta(days=60)) == []  # five distinct senders, not six

    with sessions.begin() as s:
        decision = faqs.approve(s, found.cluster_id, FaqIn(question="Posso installare una colonnina di ricarica in cortile?",
                                                           answer="Serve l'autorizzazione dell'assemblea condominiale."), "anna")
    assert decision.faq_id == "FAQ-0001" and decision.questions_linked == 6
    with sessions() as s:
        assert faqs.candidates(s, now, settings.faq_min_senders, timedelta(days=60)) == []
        detail = faqs.detail(s, "FAQ-0001", now)
        assert len(detail.paraphrases) == 5 and detail.revisions[0].editor == "anna"
        assert sum(w.questions for w in detail.impact.before) == 6 and detail.impact.after[-1].questions == 0

    later = classified(sessions, 40, "Salve, posso mettere una colonnina di ricarica per l'auto elettrica nel cortile?",
                       when=now + timedelta(minutes=1))
    drain(worker)  # the worker sees the new FAQ and its paraphrases
    assert [s.faq_id for s in queries.message_detail(sessions, later).faq_suggestions] == ["FAQ-0001"]
    with sessions() as s:
        impact = faqs.detail(s, "FAQ-0001", now + timedelta(minutes=2)).impact
        assert sum(w.questions for w in impact.after) == 1
    with sessions.begin() as s, pytest.raises(faqs.AlreadyDecided):
        faqs.reject(s, found.cluster_id, "anna", "twice")


def test_merge_and_reject(store_url, tmp_path, embedder):
    settings = settings_for(store_url, tmp_path, faq_min_senders=2)
    sessions = open_store(store_url)
    published(sessions)
    for i, text in enumerate(CHARGING[:3]):
        classified(sessions, 50 + i, text)
    for i, text in enumerate(["Fate anche la raccolta degli sfalci d'erba a domicilio?",
                              "Ritirate a casa gli sfalci d'erba del giardino?"]):
        classified(sessions, 60 + i, text)
    drain(FaqWorker(settings, sessions, embedder))
    now = datetime.now(timezone.utc)
    with sessions() as s:
        found = {len(c.representatives): c for c in faqs.candidates(s, now, 2, timedelta(days=60))}
    charging, grass = found[3], found[2]
    with sessions.begin() as s:
        assert faqs.merge(s, charging.cluster_id, "lampione", "anna").questions_linked == 3
        assert faqs.reject(s, grass.cluster_id, "anna", "not our service").decision == "rejected"
    with sessions() as s:
        assert faqs.candidates(s, now, 2, timedelta(days=60)) == []
        lamp = s.get(FaqRecord, "lampione")
        assert len(lamp.paraphrases) == 3 and lamp.version == 2
    with sessions.begin() as s, pytest.raises(faqs.NoFaq):
        faqs.merge(s, 999, "missing", "anna")


def test_cluster_ids_survive_a_recluster_and_new_questions(store_url, tmp_path, embedder):
    settings = settings_for(store_url, tmp_path)
    sessions = open_store(store_url)
    snow = ["Quando passa lo spazzaneve nella mia via?", "A che ora passa lo spazzaneve in via Dante?",
            "Lo spazzaneve passa anche nelle strade private?"]
    for i, text in enumerate(CHARGING + snow):
        classified(sessions, 70 + i, text)
    worker = FaqWorker(settings, sessions, embedder)
    drain(worker)

    def clusters() -> dict[int, int]:
        with sessions() as s:
            return dict(s.execute(select(QuestionRecord.id, QuestionRecord.cluster_id).order_by(QuestionRecord.id)).all())
    arrived = clusters()
    with sessions.begin() as s:
        worker.recluster(s)
    rebuilt = clusters()
    charging, spazzaneve = list(rebuilt)[:5], list(rebuilt)[5:]
    assert len({rebuilt[q] for q in charging}) == 1 and rebuilt[charging[0]] not in {rebuilt[q] for q in spazzaneve}
    assert rebuilt[charging[0]] == arrived[charging[0]]  # the id is inherited from the cluster it overlaps most
    with sessions.begin() as s:
        worker.recluster(s)
    assert clusters() == rebuilt  # the same questions: the same clusters, the same ids
    with sessions.begin() as s:
        FaqWorker(settings, sessions, embedder).recluster(s)  # another process, restored from the store
    assert clusters() == rebuilt
    classified(sessions, 90, "Si può installare una colonnina di ricarica elettrica nel cortile di casa?")
    drain(worker)
    after = clusters()
    assert {k: v for k, v in after.items() if k in rebuilt} == rebuilt
    (new,) = set(after) - set(rebuilt)
    assert after[new] == rebuilt[charging[0]]  # joined the charging cluster


def test_csv_import_is_all_or_nothing_and_round_trips(tmp_path):
    entries = read_csv(FAQ_CSV)
    assert read_csv(to_csv(entries)) == entries
    with pytest.raises(ValueError, match="line 3"):
        read_csv("id;question;answer;tag\nok;Una domanda?;Una risposta.;x\nbad id;Domanda?;Risposta.;x\n")
    sessions = open_store(f"sqlite:///{tmp_path / 's.db'}")
    published(sessions)
    changed = [(e.id, FaqIn(question=e.question, answer=e.answer + " Aggiornato.", tags=list(e.tags)))
               for e in entries[:2]]
    with sessions.begin() as s:
        assert faqs.import_entries(s, changed, "editor") == (0, 2)
        assert faqs.import_entries(s, changed, "editor") == (0, 0)  # unchanged: no new version
    with sessions() as s:
        assert [r.action for r in faqs.detail(s, "orari").revisions] == ["imported", "imported"]


@pytest.mark.parametrize("name", sorted(SMALL))
def test_hostile_mail_gives_questions_or_none_and_never_raises(name):
    message = StoredMessage(id=1, raw=build(name))
    for request_type in ("clarification", "status"):
        found = questions_in(message, request_type, max_chars=2000)
        assert isinstance(found, list) and all(isinstance(q, str) and len(q) <= MAX_QUESTION_CHARS for q in found)
