"""Reading messages to classify from ``.eml`` files, Maildir folders and JSONL files.

Each input yields either a message or an error for that input, so one unreadable file never
stops the others. MIME and PEC parsing is the inbox's, as for mailbox messages.
"""

from __future__ import annotations

import json
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from classifier.features import Message
from inbox.incoming import ReadDocuments, read as read_message
from inbox.sources import is_maildir, maildir_keys

MAX_BYTES = 25 * 1024 * 1024  # larger inputs are refused rather than read into memory


@dataclass(frozen=True)
class Item:
    """One input: a message to classify, or the reason it could not be read."""

    id: str
    source: str
    message: Message | None = None
    error: str | None = None


def parse_eml(data: bytes, documents: ReadDocuments | None = None) -> Message:
    """Bytes of an RFC 5322 message -> what the classifier reads (a PEC envelope: the sender's
    original; its letters in attachments read by ``documents``)."""
    return read_message(data, documents=documents).request


def _read_bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return path.read_bytes()


def _maildir(path: Path, documents: ReadDocuments | None) -> Iterator[Item]:
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in maildir_keys(box):
        try:
            yield Item(key, str(path), parse_eml(box.get_bytes(key), documents))
        except Exception as exc:  # noqa: BLE001 - one bad message must not hide the others
            yield Item(key, str(path), error=f"cannot parse message: {type(exc).__name__}: {exc}")


def _jsonl(path: Path) -> Iterator[Item]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield Item(where, str(path), error=f"line {number}: invalid JSON ({exc})")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("subject", ""), str) or not isinstance(obj.get("body"), str):
                yield Item(where, str(path), error=f"line {number}: expected an object with string 'subject' and 'body'")
                continue
            yield Item(str(obj.get("id") or where), str(path),
                       Message(obj.get("subject", ""), obj["body"], str(obj.get("from", ""))))


def read(path: Path, documents: ReadDocuments | None = None) -> Iterator[Item]:
    """All messages found at ``path``; errors are yielded as items, never raised."""
    try:
        if path.is_dir():
            if not is_maildir(path):
                raise ValueError("a folder that is not a Maildir (no cur/ or new/)")
            yield from _maildir(path, documents)
        elif path.suffix.lower() == ".jsonl":
            yield from _jsonl(path)
        elif path.suffix.lower() == ".eml":
            yield Item(path.name, str(path), parse_eml(_read_bytes(path), documents))
        elif not path.exists():
            raise FileNotFoundError("no such file or folder")
        else:
            raise ValueError("unsupported input: expected a .eml file, a Maildir folder or a .jsonl file")
    except Exception as exc:  # noqa: BLE001 - an unreadable input is reported as an item, never raised
        yield Item(path.name or str(path), str(path), error=f"cannot read {path}: {exc}")
