"""Signed files (``.p7m``, CAdES): the signed document taken out, the signature's integrity checked.

Italian administrations sign letters as ``nota.pdf.p7m``: a CMS SignedData envelope (DER, or
the same in base64) that holds the document itself. What matters to triage is the document;
what matters to the record is who signed it and whether the bytes are the ones signed. As for
PEC, integrity is checked, not the certificate's chain of trust: that needs the national trust
list, which is the business of the office that files the letter.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from datetime import datetime

from asn1crypto import cms, x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import load_der_x509_certificate


class SignedFileError(ValueError):
    """Not a signed file smista can open; the reason is recorded with the attachment."""


@dataclass(frozen=True)
class Signed:
    content: bytes
    verified: bool            # the signed attributes and the content match the signature
    signer: str               # the certificate's common name (and serial number, as Italian certificates carry)
    signed_at: str = ""       # the signing-time attribute, ISO 8601, when present
    problem: str = ""         # why ``verified`` is False

    def record(self) -> dict[str, object]:
        return {"verified": self.verified, "signer": self.signer, "signed_at": self.signed_at,
                **({"problem": self.problem} if self.problem else {})}


_HASHES: dict[str, type[hashes.SHA1 | hashes.SHA224 | hashes.SHA256 | hashes.SHA384 | hashes.SHA512]] = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
           "sha512": hashes.SHA512}


def _der(data: bytes) -> bytes:
    """DER as it is, or decoded from the base64 (with or without PEM armour) some signing tools write."""
    if data[:1] == b"\x30":
        return data
    text = b"".join(line for line in data.splitlines() if line and not line.startswith(b"-----"))
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise SignedFileError("neither DER nor base64: not a signed file") from exc


def unwrap(data: bytes) -> Signed:
    """The signed content of a CMS SignedData file with its signature data; raises SignedFileError."""
    try:
        info = cms.ContentInfo.load(_der(data))
        if info["content_type"].native != "signed_data":
            raise SignedFileError(f"a CMS {info['content_type'].native} file, not signed data")
        signed = info["content"]
        content = signed["encap_content_info"]["content"].native
        signers = list(signed["signer_infos"])
    except SignedFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - asn1crypto raises many types on a corrupt file
        raise SignedFileError(f"corrupt signed file: {type(exc).__name__}: {exc}") from exc
    if not isinstance(content, bytes):
        raise SignedFileError("detached signature: the signed document is not in the file")
    if not signers:
        return Signed(content, False, "", problem="no signer")
    return _check(signed, signers[0], content)


def verify_detached(data: bytes, content: bytes) -> Signed:
    """A detached CMS signature (an S/MIME ``smime.p7s``) checked over ``content``; raises
    SignedFileError when ``data`` is not a signature smista can read."""
    try:
        info = cms.ContentInfo.load(_der(data))
        if info["content_type"].native != "signed_data":
            raise SignedFileError(f"a CMS {info['content_type'].native} file, not signed data")
        signed = info["content"]
        signers = list(signed["signer_infos"])
    except SignedFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - asn1crypto raises many types on a corrupt file
        raise SignedFileError(f"corrupt signature: {type(exc).__name__}: {exc}") from exc
    if not signers:
        return Signed(content, False, "", problem="no signer")
    try:
        return _check(signed, signers[0], content)
    except Exception as exc:  # noqa: BLE001 - a truncated structure fails lazily, when a field is read
        raise SignedFileError(f"corrupt signature: {type(exc).__name__}: {exc}") from exc


def _check(signed: cms.SignedData, signer: cms.SignerInfo, content: bytes) -> Signed:
    certificate = _certificate(signed, signer)
    name = _name(certificate) if certificate is not None else ""
    attrs = signer["signed_attrs"]
    found = {a["type"].native: a["values"][0].native for a in attrs} if attrs.native else {}
    when = found.get("signing_time")
    signed_at = when.isoformat() if isinstance(when, datetime) else ""
    algorithm = signer["digest_algorithm"]["algorithm"].native
    if algorithm not in _HASHES:
        return Signed(content, False, name, signed_at, f"digest algorithm {algorithm} not supported")
    if attrs.native:
        if found.get("message_digest") != hashlib.new(algorithm, content).digest():
            return Signed(content, False, name, signed_at, "the document does not match the signed digest")
        to_verify = b"\x31" + attrs.dump()[1:]  # signed over as a SET, stored as [0] IMPLICIT (RFC 5652 5.4)
    else:
        to_verify = content
    if certificate is None:
        return Signed(content, False, name, signed_at, "the signer's certificate is not in the file")
    try:
        key = load_der_x509_certificate(certificate.dump()).public_key()
        digest = _HASHES[algorithm]()
        signature = signer["signature"].native
        if isinstance(key, rsa.RSAPublicKey):
            scheme = signer["signature_algorithm"].signature_algo
            pad: padding.AsymmetricPadding = (padding.PSS(padding.MGF1(digest), padding.PSS.AUTO) if scheme == "rsassa_pss"
                                              else padding.PKCS1v15())
            key.verify(signature, to_verify, pad, digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, to_verify, ec.ECDSA(digest))
        else:
            return Signed(content, False, name, signed_at, f"key type {type(key).__name__} not supported")
    except InvalidSignature:
        return Signed(content, False, name, signed_at, "the signature does not match")
    except Exception as exc:  # noqa: BLE001 - a malformed key or signature is a failed check, not a crash
        return Signed(content, False, name, signed_at, f"cannot check the signature: {type(exc).__name__}")
    return Signed(content, True, name, signed_at)


def _certificate(signed: cms.SignedData, signer: cms.SignerInfo) -> x509.Certificate | None:
    sid = signer["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            if cert.serial_number == sid.chosen["serial_number"].native and cert.issuer == sid.chosen["issuer"]:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def _name(certificate: x509.Certificate) -> str:
    subject = certificate.subject.native
    name = subject.get("common_name") or " ".join(str(subject.get(k, "")) for k in ("given_name", "surname")).strip()
    return str(name)[:200]
