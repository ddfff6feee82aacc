"""OAuth 2.0 access tokens for IMAP XOAUTH2, renewed from a refresh token before they expire."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx


class TokenError(RuntimeError):
    """The refresh token is expired, revoked or refused: an operator must authorise again."""


@dataclass
class TokenSource:
    token_url: str
    client_id: str
    refresh_token: str
    client_secret: str | None = None
    scope: str | None = None
    margin: float = 300.0  # renew this many seconds before expiry
    _access: str = ""
    _expires_at: float = 0.0

    def token(self, client: httpx.Client | None = None) -> str:
        if self._access and time.time() < self._expires_at - self.margin:
            return self._access
        data = {"grant_type": "refresh_token", "refresh_token": self.refresh_token, "client_id": self.client_id}
        if self.client_secret:
            data["client_secret"] = self.client_secret
        if self.scope:
            data["scope"] = self.scope
        http = client or httpx.Client(timeout=20)
        try:
            response = http.post(self.token_url, data=data)
        except httpx.HTTPError as exc:
            raise TokenError(f"token endpoint {self.token_url} unreachable: {exc}") from exc
        finally:
            if client is None:
                http.close()
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        if response.status_code != 200 or "access_token" not in body:
            reason = body.get("error_description") or body.get("error") or f"HTTP {response.status_code}"
            raise TokenError(f"refresh token refused by {self.token_url}: {reason} (expired or revoked? authorise again)")
        self._access = body["access_token"]
        self._expires_at = time.time() + float(body.get("expires_in", 3600))
        if body.get("refresh_token"):
            self.refresh_token = body["refresh_token"]  # rotated by the provider
        return self._access
