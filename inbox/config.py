"""Configuration of one watched mailbox (part of :class:`triage.settings.Settings`).

Secrets are never in the configuration: it names the environment variable or file that holds
each one, and they are read here, when a login needs them."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator


class OAuth2Settings(BaseModel):
    """XOAUTH2 login (Microsoft 365, Google): a refresh token renewed before it expires."""

    token_url: str
    client_id: str
    client_secret_env: str | None = None
    refresh_token_env: str = Field(description="environment variable holding the refresh token")
    scope: str | None = None

    def refresh_token(self) -> str:
        if self.refresh_token_env not in os.environ:
            raise LookupError(f"OAuth2: no refresh token (set {self.refresh_token_env})")
        return os.environ[self.refresh_token_env]

    def client_secret(self) -> str | None:
        return os.environ.get(self.client_secret_env) if self.client_secret_env else None


class MailboxSettings(BaseModel):
    """One watched mailbox. ``url``: imaps://user@host:993/INBOX, imap://user@127.0.0.1:1143/INBOX, maildir:///path."""

    name: str
    url: str
    pec: bool = False
    domain: str | None = Field(default=None, description="service domain of this mailbox, for routing rules")
    starttls: bool = False
    password_env: str | None = Field(default=None, description="environment variable holding the password")
    password_file: Path | None = Field(default=None, description="file holding the password (a secrets mount)")
    oauth2: OAuth2Settings | None = None
    mark: str = Field(default="flag", description="after classification: flag | move | none")
    flag: str = "$Smistato"
    move_to: str = "Smistati"
    batch_size: int = 100
    timeout: float = 30.0
    poll_interval: float = 60.0

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if urlsplit(value).scheme not in ("imap", "imaps", "maildir"):
            raise ValueError(f"mailbox url {value!r}: expected imaps://, imap:// or maildir://")
        return value

    @field_validator("mark")
    @classmethod
    def _known_mark(cls, value: str) -> str:
        if value not in ("flag", "move", "none"):
            raise ValueError(f"mark {value!r}: expected flag, move or none")
        return value

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or (993 if self.scheme == "imaps" else 143)

    @property
    def user(self) -> str:
        return unquote(urlsplit(self.url).username or "")

    @property
    def folder(self) -> str:
        return unquote(urlsplit(self.url).path.lstrip("/")) or "INBOX"

    @property
    def path(self) -> Path:
        return Path(unquote(urlsplit(self.url).path))

    def password(self) -> SecretStr:
        if self.password_file is not None:
            return SecretStr(self.password_file.read_text(encoding="utf-8").strip())
        if self.password_env and self.password_env in os.environ:
            return SecretStr(os.environ[self.password_env])
        raise LookupError(f"mailbox {self.name}: no password (set {self.password_env or 'password_env'} or password_file)")
