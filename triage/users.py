"""Operators' console accounts: argon2 password hashes, logins with a lock-out, and sessions.

A login counts every attempt by the name typed, known or not, so that the lock-out answers
alike for accounts that exist and names that do not (nobody learns which names exist by
trying). An account with ``failures`` failed attempts inside ``window`` refuses even the right
password until the oldest of them leaves the window. Sessions are random tokens held by the
browser; the store keeps their sha256 and the CSRF token of their forms.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from triage.db import Sessions
from triage.models import ConsoleSession, LoginAttempt, Role, User, utcnow

HASHER = PasswordHasher()  # argon2id with the library's current recommended cost


@cache
def _dummy_hash() -> str:
    """Checked for unknown names: the same time as a real check. Made on first use, not at import
    (half a second of argon2 that every smista command, the poller included, paid on start)."""
    return HASHER.hash("not a password of anyone")


MIN_PASSWORD = 8


class UserError(ValueError):
    """An account cannot be created as asked (name taken, role unknown, password too short)."""


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"        # unknown name, wrong password or disabled account: one answer for all
    LOCKED = "locked"


@dataclass(frozen=True)
class Operator:
    """Who is logged in, as the console sees them."""

    id: int
    name: str
    role: Role

    def may(self, role: Role) -> bool:
        order = [Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN]
        return order.index(self.role) >= order.index(role)


@dataclass(frozen=True)
class Login:
    outcome: Outcome
    operator: Operator | None = None
    retry_after: timedelta | None = None   # for LOCKED: how long until the account opens again


@dataclass(frozen=True)
class Session:
    token: str       # for the cookie, shown once
    csrf: str
    operator: Operator
    expires_at: datetime


def create(sessions: Sessions, name: str, password: str, role: str) -> Operator:
    name = name.strip()
    if not name or len(name) > 200:
        raise UserError("a user name is 1 to 200 characters")
    if role not in tuple(Role):
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(Role)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters long")
    with sessions.begin() as s:
        if s.scalar(select(User.id).where(User.name == name)) is not None:
            raise UserError(f"a user named {name!r} exists already")
        user = User(name=name, password_hash=HASHER.hash(password), role=role)
        s.add(user)
        s.flush()
        return Operator(user.id, user.name, Role(user.role))


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(sessions: Sessions, name: str, password: str, failures: int, window: timedelta) -> Login:
    """Check a login and record the attempt. A locked account is not even checked, so guessing
    on goes nowhere while the lock lasts."""
    name = name.strip()[:200]
    now = utcnow()
    with sessions.begin() as s:
        last_ok = s.scalar(select(func.max(LoginAttempt.at)).where(LoginAttempt.name == name, LoginAttempt.succeeded.is_(True)))
        since = max(now - window, last_ok) if last_ok is not None else now - window  # a success starts the count again
        recent = list(s.scalars(select(LoginAttempt.at).where(LoginAttempt.name == name, LoginAttempt.at > since,
                                                              LoginAttempt.succeeded.is_(False))
                                .order_by(LoginAttempt.at.desc()).limit(failures)))
        if len(recent) >= failures:
            return Login(Outcome.LOCKED, retry_after=recent[-1] + window - now)
        user = s.scalar(select(User).where(User.name == name))
        ok = _verify(user.password_hash if user is not None else _dummy_hash(), password)
        ok = ok and user is not None and not user.disabled
        s.add(LoginAttempt(name=name, succeeded=ok, at=now))
        if not ok or user is None:
            return Login(Outcome.WRONG)
        if HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
        return Login(Outcome.OK, Operator(user.id, user.name, Role(user.role)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(sessions: Sessions, operator: Operator, lifetime: timedelta) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = utcnow() + lifetime
    with sessions.begin() as s:
        s.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < utcnow()))  # tidy as we go
        s.add(ConsoleSession(token_hash=_digest(token), user_id=operator.id, csrf=csrf, expires_at=expires))
    return Session(token, csrf, operator, expires)


def session(sessions: Sessions, token: str) -> Session | None:
    """The live session of a cookie's token; a disabled account's sessions are dead at once."""
    with sessions() as s:
        row = s.execute(select(ConsoleSession, User).join(User, User.id == ConsoleSession.user_id)
                        .where(ConsoleSession.token_hash == _digest(token), ConsoleSession.expires_at > utcnow(),
                               User.disabled.is_(False))).first()
        if row is None:
            return None
        cs, user = row
        return Session(token, cs.csrf, Operator(user.id, user.name, Role(user.role)), cs.expires_at)


def close_session(sessions: Sessions, token: str) -> None:
    with sessions.begin() as s:
        s.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)))


def same_token(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a CSRF token."""
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def disable(sessions: Sessions, name: str) -> bool:
    with sessions.begin() as s:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            return False
        user.disabled = True
        return True


def listing(sessions: Sessions) -> list[tuple[str, str, bool, int]]:
    """(name, role, disabled, failed logins in the last day) of every account."""
    since = utcnow() - timedelta(days=1)
    failed = (select(func.count()).where(LoginAttempt.name == User.name, LoginAttempt.succeeded.is_(False),
                                         LoginAttempt.at > since).scalar_subquery())
    with sessions() as s:
        return [(n, r, d, f) for n, r, d, f in s.execute(select(User.name, User.role, User.disabled, failed).order_by(User.name))]
