"""Console accounts and sessions against the real server, on SQLite and PostgreSQL: argon2
hashes, the CSRF token on every form, the cookie's flags, roles and the lock-out."""

from __future__ import annotations

import time

from sqlalchemy import select

from tests.console.conftest import PASSWORDS, Console, csrf_of
from triage import users
from triage.models import Correction, User


def test_passwords_are_stored_as_argon2id_hashes(bare_console: Console) -> None:
    with bare_console.services.sessions() as s:
        stored = s.scalar(select(User.password_hash).where(User.name == "anna"))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORDS["anna"] not in stored
    assert users.HASHER.verify(stored, PASSWORDS["anna"])
    _, right = bare_console.login("anna")
    assert right.status_code == 200 and str(right.url).endswith("/console/queue") and "anna" in right.text
    _, wrong = bare_console.login("anna", "not-her-password")
    assert wrong.status_code == 401 and "non corretti" in wrong.text


def test_pages_need_a_session_and_logout_ends_it(bare_console: Console) -> None:
    with bare_console.client() as anonymous:
        reply = anonymous.get("/console/queue?type=complaint")
    assert reply.status_code == 303 and reply.headers["location"] == "/console/login?next=%2Fconsole%2Fqueue%3Ftype%3Dcomplaint"
    client, _ = bare_console.login("anna")
    token = client.cookies.get("smista_session")
    page = client.get("/console/queue")
    assert page.status_code == 200
    out = client.post("/console/logout", data={"csrf": csrf_of(page.text)})
    assert out.status_code == 303 and out.headers["location"] == "/console/login"
    with bare_console.client(cookies={"smista_session": token}) as stale:  # the old cookie opens nothing now
        assert stale.get("/console/queue").status_code == 303


def test_forms_without_the_session_token_are_refused(bare_console: Console) -> None:
    client, _ = bare_console.login("anna")
    page = client.get("/console/queue")
    for data in ({"type": "complaint", "urgency": "high"}, {"type": "complaint", "urgency": "high", "csrf": "forged"}):
        refused = client.post("/console/messages/1/label", data=data)
        assert refused.status_code == 403 and "non valido" in refused.text
    assert client.post("/console/logout", data={"csrf": "forged"}).status_code == 403
    assert client.get("/console/queue").status_code == 200  # still logged in: the forged logout did nothing
    with bare_console.services.sessions() as s:
        assert s.scalars(select(Correction)).all() == []
    # another session's token is not this session's
    other, _ = bare_console.login("luca")
    theirs = csrf_of(other.get("/console/queue").text)
    assert theirs != csrf_of(page.text)
    assert client.post("/console/logout", data={"csrf": theirs}).status_code == 403


def test_the_login_form_has_its_own_token(bare_console: Console) -> None:
    with bare_console.client() as c:
        reply = c.post("/console/login", data={"name": "anna", "password": PASSWORDS["anna"], "csrf": "guessed"})
    assert reply.status_code == 403 and "smista_session" not in reply.cookies


def _set_cookie(reply_headers: list[str], name: str) -> str:
    return next(h for h in reply_headers if h.startswith(f"{name}="))


def test_session_cookie_flags(bare_console: Console) -> None:
    with bare_console.client() as c:
        _, reply = bare_console.login("anna", client=c)
        cookie = _set_cookie(reply.history[0].headers.get_list("set-cookie"), "smista_session").lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/console" in cookie
    assert "secure" not in cookie  # on loopback over plain HTTP, where browsers refuse Secure cookies
    with bare_console.client(headers={"Host": "console.contactcenter.it"}) as c:  # reached by its public name
        form = c.get("/console/login")
        login_cookie = _set_cookie(form.headers.get_list("set-cookie"), "smista_login")
        assert "secure" in login_cookie.lower() and "samesite=strict" in login_cookie.lower()
        token = csrf_of(form.text)  # httpx keeps Secure cookies from plain HTTP, as browsers do: sent by hand
        reply = c.post("/console/login", data={"name": "anna", "password": PASSWORDS["anna"], "csrf": token},
                       headers={"Cookie": f"smista_login={token}"})
        cookie = _set_cookie(reply.headers.get_list("set-cookie"), "smista_session").lower()
    assert reply.status_code == 303 and "secure" in cookie and "httponly" in cookie


def test_roles(bare_console: Console) -> None:
    operator, _ = bare_console.login("anna")
    refused = operator.get("/console/deadletters")
    assert refused.status_code == 403 and "supervisor" in refused.text
    assert "Recapiti falliti" not in operator.get("/console/queue").text
    supervisor, _ = bare_console.login("sara")
    assert supervisor.get("/console/deadletters").status_code == 200


def test_lockout_after_repeated_failures(bare_console: Console) -> None:
    failures = bare_console.settings.console_lockout_failures
    for _ in range(failures):
        assert bare_console.login("luca", "wrong-password")[1].status_code == 401
    started = time.monotonic()
    _, locked = bare_console.login("luca")  # the right password, refused while locked
    assert locked.status_code == 429 and "bloccato" in locked.text and "smista_session" not in locked.cookies
    _, other = bare_console.login("anna")  # the lock is per account
    assert other.status_code == 200
    for _ in range(failures):  # a name that does not exist locks alike: nobody learns which names exist
        bare_console.login("nessuno", "wrong-password")
    assert bare_console.login("nessuno", "wrong-password")[1].status_code == 429
    window = bare_console.settings.console_lockout_minutes * 60
    time.sleep(max(0.0, window - (time.monotonic() - started)) + 0.5)
    _, reopened = bare_console.login("luca")
    assert reopened.status_code == 200 and "smista_session" in reopened.history[0].cookies


def test_a_disabled_account_loses_its_sessions(bare_console: Console) -> None:
    client, _ = bare_console.login("luca")
    assert client.get("/console/queue").status_code == 200
    assert users.disable(bare_console.services.sessions, "luca")
    assert client.get("/console/queue").status_code == 303
    assert bare_console.login("luca")[1].status_code == 401
