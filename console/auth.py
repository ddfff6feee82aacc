"""Who is at the console: the session cookie, the CSRF token of every form, and roles.

The cookie holds a random token (its sha256 is in the store, ``triage.users``); it is HttpOnly,
SameSite=Lax (a link from an e-mail still opens the console logged in, while no other site can
post with it) and Secure unless the console is reached on loopback, where browsers refuse
Secure cookies over plain HTTP. Every form carries the session's CSRF token; the login form,
before any session exists, a token that must match a cookie of its own (double submit).
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import Annotated

from fastapi import Depends, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from triage import users
from triage.models import Role, utcnow
from triage.service import Services

SESSION_COOKIE = "smista_session"
LOGIN_COOKIE = "smista_login"
PATH = "/console"


class LoginRequired(Exception):
    """No live session: the console answers with a redirect to its login page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class Forbidden(Exception):
    """A session without the role a page needs, or a form without the session's CSRF token."""


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def on_loopback(request: Request) -> bool:
    host = request.url.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def secure(request: Request) -> bool:
    chosen = services(request).settings.console_secure_cookie
    return chosen if chosen is not None else not on_loopback(request)


def set_session_cookie(response: Response, request: Request, session: users.Session) -> None:
    max_age = int((session.expires_at - utcnow()).total_seconds())
    response.set_cookie(SESSION_COOKIE, session.token, max_age=max_age, path=PATH, httponly=True, samesite="lax",
                        secure=secure(request))


def login_token(request: Request) -> str:
    """The login form's CSRF token: the one of its cookie, or a new one."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)


def set_login_cookie(response: Response, request: Request, token: str) -> None:
    """The login form's token is kept in a cookie of its own until the login succeeds."""
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, path=f"{PATH}/login", httponly=True, samesite="strict",
                        secure=secure(request))


async def current(request: Request) -> users.Session:
    """The request's live session, or a redirect to the login page."""
    token = request.cookies.get(SESSION_COOKIE)
    found = await run_in_threadpool(users.session, services(request).sessions, token) if token else None
    if found is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target if request.method == "GET" else PATH)
    request.state.console_session = found
    return found


def role(needed: Role):  # returns FastAPI's Depends marker
    async def check(session: Annotated[users.Session, Depends(current)]) -> users.Session:
        if not session.operator.may(needed):
            raise Forbidden(f"questa pagina richiede il ruolo {needed}")
        return session
    return Depends(check)


async def checked_form(request: Request, session: Annotated[users.Session, Depends(current)]) -> dict[str, str]:
    """The posted form, refused unless it carries the session's CSRF token (in the field
    ``csrf``, or the ``X-CSRF-Token`` header that htmx sends)."""
    form = await request.form()
    given = str(form.get("csrf") or request.headers.get("x-csrf-token") or "")
    if not users.same_token(session.csrf, given):
        raise Forbidden("modulo scaduto o non valido: ricarica la pagina e riprova")
    return {k: str(v) for k, v in form.items() if isinstance(v, str)}


Current = Annotated[users.Session, Depends(current)]
Supervisor = Annotated[users.Session, role(Role.SUPERVISOR)]
Form = Annotated[dict[str, str], Depends(checked_form)]
Key = Annotated[int, Path(ge=1, le=2**31 - 1)]  # an id every database accepts
