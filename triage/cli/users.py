"""``smista user ...``: the operators' console accounts (API keys stay for machines)."""

from __future__ import annotations

import sys

import typer

from triage import users
from triage.cli.common import app, err, fail, out
from triage.db import open_store
from triage.models import Role
from triage.settings import get_settings

user_app = typer.Typer(no_args_is_help=True, help="Operators' accounts for the console (/console).")
app.add_typer(user_app, name="user")


def _password() -> str:
    """Prompted twice on a terminal; otherwise the first line of standard input (scripts, CI)."""
    if sys.stdin.isatty():
        return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


@user_app.command("create")
def user_create(name: str, role: Role = typer.Option(Role.OPERATOR, "--role", help="operator, supervisor or admin")) -> None:
    """Create a console account; the password is prompted (or read from standard input)."""
    try:
        users.create(open_store(get_settings().database), name, _password(), role)
    except users.UserError as exc:
        raise fail(str(exc)) from exc
    err.print(f"user '{name}' created with role {role}")


@user_app.command("disable")
def user_disable(name: str) -> None:
    """Disable an account: its sessions end at once and it can no longer log in."""
    if not users.disable(open_store(get_settings().database), name):
        raise fail(f"no user named {name!r}")
    err.print(f"user '{name}' disabled")


@user_app.command("list")
def user_list() -> None:
    """Every account with its role and its failed logins of the last day."""
    for name, role, disabled, failed in users.listing(open_store(get_settings().database)):
        out.print(f"{name}\t{role}\t{'disabled' if disabled else 'active'}\t{failed} failed logins in 24 h")
