"""Sending a report by e-mail (the I/O edge of the scheduled monthly report)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from triage.settings import Settings


class MailError(RuntimeError):
    """The report could not be handed to the SMTP server; the message says which and why."""


def configured(settings: Settings) -> bool:
    return bool(settings.smtp_host and settings.report_recipients)


def message(settings: Settings, subject: str, body: str, attachment: bytes, filename: str, mime: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = settings.report_sender
    mail["To"] = ", ".join(settings.report_recipients)
    mail["Subject"] = subject
    mail.set_content(body)
    maintype, subtype = mime.split("/", 1)
    mail.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=filename)
    return mail


def send(settings: Settings, mail: EmailMessage, timeout: float = 30.0) -> None:
    assert settings.smtp_host is not None
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_user, password)
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {exc}") from exc
