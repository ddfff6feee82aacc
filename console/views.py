"""Rendering: one Jinja2 environment for every console page, with the Italian labels, the
session's CSRF token and the model in service always at hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from classifier.bundle import ModelLoadError
from console import labels
from console.auth import services
from triage.models import Role

HERE = Path(__file__).parent
ROME = ZoneInfo("Europe/Rome")
templates = Jinja2Templates(directory=HERE / "templates")


def when(value: datetime | None, with_seconds: bool = False) -> str:
    """A timestamp as the contact center reads it: Rome's time, day first."""
    if value is None:
        return "—"
    return value.astimezone(ROME).strftime("%d/%m/%Y %H:%M:%S" if with_seconds else "%d/%m/%Y %H:%M")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


templates.env.filters.update(when=when, percent=percent)
templates.env.globals.update(labels=labels, Role=Role)


def model_version(request: Request) -> str:
    try:
        return str(services(request).models.current().version)
    except ModelLoadError:
        return "nessun modello"


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    session = getattr(request.state, "console_session", None)
    response = templates.TemplateResponse(request, template, {"session": session, "csrf": session.csrf if session else "",
                                                          "model_version": model_version(request),
                                                          **context}, status_code=status_code)
    response.headers.update(HEADERS)
    return response


#: Pages hold personal data and take decisions: never framed, cached or fed scripts from elsewhere.
HEADERS = {"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
           "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin", "Cache-Control": "no-store",
           "X-Content-Type-Options": "nosniff"}
