"""The in-process PEC signature check against real provider mail, and against ``openssl smime``
(what it replaced) on the same bytes."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from inbox.signature import signed_parts, verify_signature
from training.samples import pec_envelope

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "pec-samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared PEC samples not present")
SIGNED_OK = "oca_l10n-italy/aruba_accettazione_signed-ok.eml"


@needs_samples
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
@pytest.mark.parametrize("path", sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.glob("*/*.eml")))
def test_same_verdict_as_openssl(path):
    raw = (SAMPLES / path).read_bytes()
    openssl = subprocess.run(["openssl", "smime", "-verify", "-noverify", "-out", "/dev/null"], input=raw,
                             capture_output=True, timeout=20).returncode == 0
    assert verify_signature(raw) is openssl


@needs_samples
def test_signed_mail_verifies_and_a_changed_byte_does_not():
    raw = (SAMPLES / SIGNED_OK).read_bytes()
    assert verify_signature(raw) is True
    content, _ = signed_parts(raw)
    line = content.split(b"\r\n")[len(content.split(b"\r\n")) // 2]  # a line in the middle of the signed part
    at = raw.index(line) + len(line) // 2
    tampered = raw[:at] + bytes([raw[at] ^ 0x20]) + raw[at + 1:]
    assert verify_signature(tampered) is False


@needs_samples
def test_line_ends_as_stored_do_not_matter():
    raw = (SAMPLES / SIGNED_OK).read_bytes()
    assert verify_signature(raw.replace(b"\r\n", b"\n")) is True
    assert verify_signature(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")) is True


def test_unsigned_truncated_and_placeholder_signatures_are_false():
    placeholder = bytes(pec_envelope({"from": "u@pec.comune.it", "channel": "pec", "subject": "Palo", "body": "Palo pericolante"},
                                     datetime(2026, 11, 24, 9, tzinfo=timezone.utc), 1))
    assert signed_parts(placeholder) is not None  # a real multipart/signed envelope whose p7s is no signature
    assert verify_signature(placeholder) is False
    assert verify_signature(b"Subject: x\r\n\r\nno signature") is False
    assert verify_signature(placeholder[: len(placeholder) // 2]) is False
    assert verify_signature(b"") is False
