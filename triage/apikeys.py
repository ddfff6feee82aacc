"""API keys with scopes (read, write, faq, admin), stored as sha256 hashes."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from triage.db import Sessions
from triage.models import ApiKey
from triage.schemas import KeyOwner

SCOPES = ("read", "write", "faq", "admin")  # faq: editors who publish and decide on candidates


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(sessions: Sessions, name: str, scopes: list[str]) -> str:
    """Store a new key and return it; it cannot be recovered later."""
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"scopes {sorted(unknown) or scopes}: expected some of {', '.join(SCOPES)}")
    key = "smk_" + secrets.token_urlsafe(32)
    with sessions.begin() as s:
        s.add(ApiKey(name=name, prefix=key[:10], key_hash=digest(key), scopes=sorted(set(scopes))))
    return key


def lookup(sessions: Sessions, key: str) -> KeyOwner | None:
    with sessions() as s:
        found = s.scalar(select(ApiKey).where(ApiKey.key_hash == digest(key), ApiKey.revoked.is_(False)))
        return None if found is None else KeyOwner(name=found.name, scopes=list(found.scopes))
