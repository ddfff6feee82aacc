"""Logging in and out of the console."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from console import auth
from console.views import page
from triage import users

router = APIRouter(prefix="/console", include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a console path: never a redirect to another site."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/console") or parts.path.startswith("/console/login"):
        return "/console/queue"
    return target or "/console/queue"


def _form(request: Request, next_url: str, error: str = "", name: str = "", status: int = 200) -> Response:
    token = auth.login_token(request)
    response = page(request, "login.html", status_code=status, next_url=next_url, error=error, name=name, login_csrf=token)
    auth.set_login_cookie(response, request, token)
    return response


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return _form(request, _safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    next_url = _safe_next(str(form.get("next") or ""))
    if not users.same_token(request.cookies.get(auth.LOGIN_COOKIE, ""), str(form.get("csrf") or "")):
        return _form(request, next_url, "Modulo scaduto: riprova.", name, status=403)
    settings = auth.services(request).settings
    sessions = auth.services(request).sessions
    result = await run_in_threadpool(users.authenticate, sessions, name, password, settings.console_lockout_failures,
                                     timedelta(minutes=settings.console_lockout_minutes))
    if result.outcome == users.Outcome.LOCKED:
        minutes = max(1, round((result.retry_after or timedelta()).total_seconds() / 60))
        return _form(request, next_url, f"Account bloccato per troppi tentativi non riusciti: riprova tra {minutes} "
                                        f"minut{'o' if minutes == 1 else 'i'}.", name, status=429)
    if result.operator is None:
        return _form(request, next_url, "Nome utente o password non corretti.", name, status=401)
    session = await run_in_threadpool(users.open_session, sessions, result.operator,
                                      timedelta(hours=settings.console_session_hours))
    response = RedirectResponse(next_url, status_code=303)
    auth.set_session_cookie(response, request, session)
    response.delete_cookie(auth.LOGIN_COOKIE, path=f"{auth.PATH}/login")
    return response


@router.post("/logout")
async def logout(request: Request, session: auth.Current, _: auth.Form) -> Response:
    await run_in_threadpool(users.close_session, auth.services(request).sessions, session.token)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path=auth.PATH)
    return response
