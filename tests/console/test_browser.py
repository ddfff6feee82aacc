"""The console in a real browser (Debian's Chromium driven by Playwright) against the real
server: log in, filter the queue, open a message, correct its label and find the correction in
the history and in the REST feed, decide from the review queue by keyboard, replay a dead
letter, search, read the statistics of the day and download their PDF, and see a wrong
password refused and an account locked. Screenshots of the main
pages are written to ``var/screenshots/`` (or ``SMISTA_SCREENSHOTS``)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from reports import italian as it
from reports import periods
from tests.console.conftest import PASSWORDS, PROJECT, REFUSING, Console
from triage.models import StoredMessage

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)")


@pytest.fixture
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def shots() -> Path:
    folder = Path(os.environ.get("SMISTA_SCREENSHOTS") or PROJECT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots in {folder}")
    return folder


def _login(page, console: Console, name: str, password: str) -> None:  # noqa: ANN001 - a Playwright page
    page.goto(f"{console.url}/console/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.press("#password", "Enter")
    page.wait_for_load_state()


def _until(check, timeout: float = 30.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.2)


def test_an_operator_day(console: Console, browser, shots: Path) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="it-IT")
    page.goto(f"{console.url}/console")
    assert "/console/login" in page.url
    _login(page, console, "sara", "not-the-password")
    assert "non corretti" in page.inner_text("#login-error")
    page.screenshot(path=str(shots / "login.png"))
    _login(page, console, "sara", PASSWORDS["sara"])
    assert page.url.endswith("/console/queue")
    page.screenshot(path=str(shots / "queue.png"), full_page=True)

    # the queue, filtered: emergencies only
    page.select_option("select[name=urgency]", "emergency")
    page.click("text=Filtra")
    page.wait_for_load_state()
    assert "urgency=emergency" in page.url
    table = page.inner_text("table.rows")
    assert "URGENTE gas" in table and "Lampione spento" not in table

    # the message: new text with the explaining words marked, the quoted history folded
    page.click("text=URGENTE gas")
    page.wait_for_load_state()
    assert page.locator("#new-text mark").count() > 0
    assert "Emergenza" in page.inner_text("#current-urgency")
    page.screenshot(path=str(shots / "message.png"), full_page=True)
    page.goto(f"{console.url}/console/messages/{console.pks['Sollecito buca']}")
    assert page.locator("details#quoted").get_attribute("open") is None
    assert "preso in carico" not in page.inner_text("#new-text")

    # a correction, in the history and in the REST feed
    lamp = console.pks["Lampione spento"]
    page.goto(f"{console.url}/console/messages/{lamp}")
    page.select_option("#fix-type", "complaint")
    page.select_option("#fix-urgency", "high")
    page.click("text=Salva etichetta")
    page.wait_for_load_state()
    assert "Etichetta salvata" in page.inner_text("main")
    history = page.inner_text("#history")
    assert "Corretto" in history and "Reclamo / Alta" in history and "sara" in history
    with console.client(headers={"X-API-Key": console.keys["read"]}) as api:
        feed = {i["message_pk"]: i for i in api.get("/v1/classifications", params={"limit": 100}).json()["items"]}
        assert feed[lamp]["correction"]["operator"] == "sara" and feed[lamp]["correction"]["type"] == "complaint"

        # the review queue by keyboard: Invio accepts, a digit and a letter correct
        page.goto(f"{console.url}/console/review")
        rows = page.locator("tr.review-row")
        assert rows.count() >= 2
        page.screenshot(path=str(shots / "review.png"), full_page=True)
        first, second = rows.nth(0).get_attribute("data-id"), rows.nth(1).get_attribute("data-id")
        before = rows.count()
        page.keyboard.press("Enter")
        _until(lambda: page.locator("tr.review-row").count() == before - 1)
        page.keyboard.press("5")
        page.keyboard.press("a")
        assert "Salva correzione" in page.locator("tr.review-row").nth(0).inner_text()
        page.keyboard.press("Enter")
        _until(lambda: page.locator(f"tr.review-row[data-id='{second}']").count() == 0)
        accepted = api.get(f"/v1/messages/{first}").json()["history"]["corrections"]
        assert [(c["operator"], c["type"] == c["previous_type"]) for c in accepted] == [("sara", True)]
        corrected = api.get(f"/v1/messages/{second}").json()["history"]["corrections"]
        assert [(c["operator"], c["type"], c["urgency"]) for c in corrected] == [("sara", "complaint", "high")]

    # the dead letter of the refused delivery, replayed once the receiver is fixed
    assert console.receiver is not None
    page.goto(f"{console.url}/console/deadletters")

    def listed() -> bool:
        page.reload()
        return "Lampione spento" in page.inner_text("table.rows")

    _until(listed)
    page.screenshot(path=str(shots / "deadletters.png"), full_page=True)
    REFUSING.clear()
    page.click("text=Riprova")
    page.wait_for_load_state()
    assert "rimesso in coda" in page.inner_text("main") and "Nessun recapito fallito" in page.inner_text("table.rows")

    def delivered() -> bool:
        page.goto(f"{console.url}/console/messages/{lamp}")
        return "Consegnato" in page.inner_text("main")

    _until(delivered)
    assert len([r for r in console.receiver.received if r.key == str(lamp)]) == 2  # refused, then delivered
    history = page.inner_text("#history")
    assert "rimesso in coda" in history and "sara" in history

    # the search
    page.goto(f"{console.url}/console/search")
    page.fill("#q", "buca")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert "Sollecito buca" in page.inner_text("table.rows") and "Lampione" not in page.inner_text("table.rows")
    page.screenshot(path=str(shots / "search.png"), full_page=True)

    # the statistics of these days: a KPI equal to a count in the store, drawn with the report's
    # styles (admitted by the page's policy), and the same report downloaded as a PDF
    page.click("header nav >> text=Statistiche")
    page.wait_for_load_state()
    today = periods.today()
    page.fill("#report-from", (today - timedelta(days=1)).isoformat())
    page.fill("#report-to", (today + timedelta(days=1)).isoformat())
    page.click("text=Mostra il report")
    page.wait_for_load_state()
    with console.services.sessions() as s:
        requests = s.scalar(select(func.count()).select_from(StoredMessage).where(StoredMessage.status != "receipt"))
    kpi = page.locator('table.data tr:has(td:text-is("Comunicazioni gestite")) td.num').inner_text()
    assert requests and kpi == it.integer(requests)
    assert page.locator("#report svg").count() == 7
    assert page.eval_on_selector(".smista-report h2", "e => getComputedStyle(e).color") == "rgb(31, 78, 121)"
    page.screenshot(path=str(shots / "reports.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#downloads >> text=PDF")
    assert download.value.suggested_filename.startswith("report-") and download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


def test_a_locked_account(console: Console, browser) -> None:  # noqa: ANN001
    page = browser.new_page()
    for _ in range(console.settings.console_lockout_failures):
        _login(page, console, "luca", "wrong-password")
        assert "non corretti" in page.inner_text("#login-error")
    _login(page, console, "luca", PASSWORDS["luca"])
    assert "bloccato" in page.inner_text("#login-error") and "/console/login" in page.url
