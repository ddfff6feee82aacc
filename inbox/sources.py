"""Mailbox sources: they list what is new, fetch raw bytes and acknowledge; nothing else.

Both kinds offer the same small interface to the poller: ``open()`` returns a session with
``uidvalidity``, ``new_uids(after)``, ``fetch(uids)`` and ``acknowledge(uids)``.
"""

from __future__ import annotations

import mailbox
import os
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from imapclient import IMAPClient

from inbox.oauth2 import TokenSource
from inbox.config import MailboxSettings


SEPARATOR = mailbox.Maildir.colon  # between a message's unique name and its flags: ':'


def is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() or (path / "new").is_dir()


def maildir_keys(box: mailbox.Maildir) -> list[str]:
    """The messages' keys, without hidden files (.gitkeep, editors' swap files)."""
    return sorted(k for k in box.keys() if not k.startswith("."))


class MaildirSession:
    """A local Maildir. UIDVALIDITY is 0 and a message's key is its UID."""

    uidvalidity = 0

    def __init__(self, settings: MailboxSettings) -> None:
        if not is_maildir(settings.path):
            raise FileNotFoundError(f"mailbox {settings.name}: {settings.path} is not a Maildir")
        self.settings = settings
        self.box = mailbox.Maildir(settings.path, factory=None, create=False)

    def keys(self) -> list[str]:
        return maildir_keys(self.box)

    def fetch(self, keys: list[str]) -> Iterator[tuple[str, bytes]]:
        for key in keys:
            yield key, self.box.get_bytes(key)

    def acknowledge(self, keys: list[str]) -> None:
        """Mark as seen by renaming: the file moves from ``new/`` to ``cur/`` and gains the ``S``
        flag in its name (the Maildir convention). The content is never rewritten: the original
        bytes are evidence, PEC above all."""
        if self.settings.mark == "none":
            return
        wanted = set(keys)  # "flag" and "move" both mark as seen: a Maildir has no server-side folders here
        for sub in ("new", "cur"):
            folder = self.settings.path / sub
            for entry in os.scandir(folder) if folder.is_dir() else ():
                key, _, info = entry.name.partition(SEPARATOR)
                if key not in wanted or not entry.is_file():
                    continue
                flags = info[2:] if info.startswith("2,") else ""
                target = self.settings.path / "cur" / f"{key}{SEPARATOR}2,{''.join(sorted(set(flags) | {'S'}))}"
                if Path(entry.path) != target:
                    os.rename(entry.path, target)


class ImapSession:
    """One selected IMAP folder, read by UID with BODY.PEEK so nothing is marked seen by reading."""

    def __init__(self, client: IMAPClient, settings: MailboxSettings) -> None:
        self.client = client
        self.settings = settings
        info = client.select_folder(settings.folder)
        self.uidvalidity = int(info[b"UIDVALIDITY"])
        self.capabilities = set(client.capabilities())

    def new_uids(self, after: int) -> list[int]:
        return sorted(u for u in self.client.search(["UID", f"{after + 1}:*"]) if u > after)

    def fetch(self, uids: list[int]) -> Iterator[tuple[int, bytes]]:
        data = self.client.fetch(uids, ["BODY.PEEK[]"])
        for uid in uids:
            item = data.get(uid)
            if item is not None and b"BODY[]" in item:
                yield uid, item[b"BODY[]"]

    def can_idle(self) -> bool:
        return b"IDLE" in self.capabilities

    def acknowledge(self, uids: list[int]) -> None:
        mark = self.settings.mark
        if mark == "flag":
            self.client.add_flags(uids, [self.settings.flag.encode()], silent=True)
        elif mark == "move":
            folder = self.settings.move_to
            if not self.client.folder_exists(folder):
                self.client.create_folder(folder)
            if b"MOVE" in self.capabilities:
                self.client.move(uids, folder)
            else:  # COPY + EXPUNGE of exactly these UIDs: the message lives on in the target folder
                self.client.copy(uids, folder)
                self.client.add_flags(uids, [b"\\Deleted"], silent=True)
                self.client.uid_expunge(uids)


def imap_client(settings: MailboxSettings, tokens: TokenSource | None = None) -> IMAPClient:
    """The single construction point for IMAP connections (plain, STARTTLS or TLS; password or XOAUTH2)."""
    context = ssl.create_default_context()
    client = IMAPClient(settings.host, port=settings.port, ssl=settings.scheme == "imaps", ssl_context=context,
                        timeout=settings.timeout)
    try:
        if settings.starttls:
            client.starttls(context)
        if tokens is not None:
            client.oauth2_login(settings.user, tokens.token())
        else:
            client.login(settings.user, settings.password().get_secret_value())
    except Exception:
        client.shutdown()
        raise
    return client


ClientFactory = Callable[[MailboxSettings], IMAPClient]


@contextmanager
def open_session(settings: MailboxSettings, factory: ClientFactory) -> Iterator[ImapSession | MaildirSession]:
    if settings.scheme == "maildir":
        yield MaildirSession(settings)
        return
    client = factory(settings)
    try:
        yield ImapSession(client, settings)
    finally:
        try:
            client.logout()
        except Exception:  # noqa: BLE001 - the connection may already be gone
            client.shutdown()


@dataclass
class Idle:
    """Waits for new mail with IMAP IDLE where offered."""

    session: ImapSession

    def wait(self, seconds: float) -> bool:
        client = self.session.client
        client.idle()
        try:
            responses = client.idle_check(timeout=seconds)
        finally:
            client.idle_done()
        return any(b"EXISTS" in r for r in responses if isinstance(r, tuple))
