"""A Maildir is acknowledged by renaming files, never by rewriting them."""

from __future__ import annotations

import hashlib
import mailbox
from pathlib import Path

from inbox.config import MailboxSettings
from inbox.sources import MaildirSession


def digests(root: Path) -> dict[str, str]:
    return {p.name.split(":")[0]: hashlib.sha256(p.read_bytes()).hexdigest()
            for sub in ("new", "cur") for p in (root / sub).iterdir()}


def test_acknowledging_a_maildir_renames_files_and_keeps_every_byte(tmp_path: Path):
    root = tmp_path / "box"
    box = mailbox.Maildir(root, create=True)
    crlf = b"From: a@b.it\r\nSubject: lampione\r\n\r\nIl lampione \xe8 spento\r\n"
    binary = b"From: a@b.it\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes(range(256)) * 4
    nested = b"".join(b"Content-Type: message/rfc822\r\n\r\n" for _ in range(2000)) + b"Subject: fondo\r\n\r\nx\r\n"
    keys = [box.add(raw) for raw in (crlf, binary, nested)]
    answered = mailbox.MaildirMessage(b"From: c@d.it\r\n\r\nrisposto\r\n")
    answered.set_subdir("cur")
    answered.add_flag("R")
    keys.append(box.add(answered))
    before = digests(root)

    session = MaildirSession(MailboxSettings(name="m", url=f"maildir://{root}", mark="flag"))
    session.acknowledge(keys)

    assert digests(root) == before  # not one byte changed
    assert not list((root / "new").iterdir())
    names = sorted(p.name for p in (root / "cur").iterdir())
    assert all(name.split(":")[1].startswith("2,") and "S" in name.split(":")[1] for name in names)
    assert any(name.endswith(":2,RS") for name in names)  # earlier flags kept
    session.acknowledge(keys)  # again: nothing to do, nothing breaks
    assert sorted(p.name for p in (root / "cur").iterdir()) == names
    assert sorted(MaildirSession(MailboxSettings(name="m", url=f"maildir://{root}")).keys()) == sorted(keys)
