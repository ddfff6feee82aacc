"""The PEC signature check, at the edge: it runs ``openssl``, which parsing must not."""

from __future__ import annotations

import shutil
import subprocess


def verify_signature(raw: bytes) -> bool | None:
    """Integrity of the S/MIME signature with ``openssl smime -verify -noverify``; None without openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    try:
        proc = subprocess.run([openssl, "smime", "-verify", "-noverify", "-out", "/dev/null"], input=raw,
                              capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.returncode == 0
