"""Email transport: SMTP with STARTTLS (verified), implicit TLS, or plain for a local relay."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from typing import Any

from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.notify import render


class EmailNotifier:
    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.host: str = options["smtp_host"]
        self.port: int = options.get("smtp_port", 587)
        self.security: str = options.get("security", "starttls")
        self.username: str | None = options.get("username")
        self.password: str | None = options.get("password")
        self.sender: str = options["from"]
        self.to: tuple[str, ...] = tuple(options["to"])
        self.timeout: float = options.get("timeout", 30.0)
        self.ca_file: str | None = options.get("ca_file")

    def describe(self) -> str:
        return f"email to {', '.join(self.to)} via {self.host}:{self.port} ({self.security})"

    def send(self, alert: Alert) -> None:
        self._deliver(self.message(alert))

    def send_digest(self, digest_id: str, alerts: list[Alert]) -> None:
        msg = self._envelope(render.digest_subject(alerts), digest_id)
        msg.set_content(render.digest_text(digest_id, alerts))
        msg.add_alternative(render.digest_html(digest_id, alerts), subtype="html")
        self._deliver(msg)

    def _deliver(self, message: EmailMessage) -> None:
        try:
            with self._connect() as smtp:
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message, self.sender, list(self.to))
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}",
                                permanent=500 <= exc.smtp_code < 600) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise DeliveryError(f"SMTP refused recipients {sorted(exc.recipients)}",
                                permanent=all(500 <= c < 600 for c in codes)) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"cannot reach SMTP server {self.host}:{self.port} "
                                f"({type(exc).__name__}: {exc})") from None

    def message(self, alert: Alert) -> EmailMessage:
        msg = self._envelope(render.subject(alert), alert.delivery_id)
        msg.set_content(render.text_body(alert))
        msg.add_alternative(render.html_body(alert), subtype="html")
        return msg

    def _envelope(self, subject: str, delivery_id: str) -> EmailMessage:
        """Headers only from config and our own ids; the subject is single-line."""
        msg = EmailMessage(policy=SMTP)
        msg["Subject"] = subject
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.to)
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = f"<{delivery_id}@monitor>"
        msg["X-Monitor-Delivery-Id"] = delivery_id
        return msg

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context(cafile=self.ca_file)
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            smtp.starttls(context=context)
        return smtp


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
