"""Every alert's subject decodes, in the standard library's decoders, to exactly the text
meant: long Russian and Belarusian titles sent through a real SMTP server, and every real
Russian headline of the shared news corpus (and 2,000 English ones) folded into a message."""

from __future__ import annotations

import json
import re
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.policy import compat32, default
from pathlib import Path

import pytest

from monitor.models import Alert
from monitor.notify import render
from monitor.notify.email import EmailNotifier
from monitor.notify.headers import MAIL
from tests.conftest import SMTPServer
from tests.helpers import DATA

NEWS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "news"
TITLES = [line for line in (DATA / "subjects.txt").read_text("utf-8").splitlines()
          if line and not line.startswith("#")]


def alert(n: int, title: str) -> Alert:
    return Alert(f"dlv_{n}", f"hit_{n}", "desk", "union-program-texts", "tass", title,
                 f"https://news.example.org/{n}", "2021-09-10T09:00:00Z",
                 "2021-09-10T09:01:00Z", ("союзная программа",), "Союзная программа.")


def decoded(raw: bytes) -> tuple[str, str]:
    """The subject as the modern parser reads it, and as the legacy decoder does after
    unfolding (RFC 5322: remove each CRLF)."""
    modern = str(message_from_bytes(raw, policy=default)["Subject"])
    folded = str(message_from_bytes(raw, policy=compat32)["Subject"])
    legacy = str(make_header(decode_header(re.sub(r"\r?\n", "", folded))))
    return modern, legacy


def test_titles_arrive_through_smtp_exactly(smtp_server: SMTPServer) -> None:
    email = EmailNotifier("desk", {"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port,
                                   "security": "none", "from": "monitor@example.org",
                                   "to": ["desk@example.org"]})
    alerts = [alert(n, title) for n, title in enumerate(TITLES)]
    assert all(error is None for _, error in email.send_many(alerts))
    for sent, raw in zip(alerts, smtp_server.inbox.raw, strict=True):
        assert decoded(raw) == (render.subject(sent),) * 2


def headlines() -> list[str]:
    if not NEWS.is_dir():
        pytest.skip("the shared news corpus is absent (../shared/corpus/news)")
    russian = [json.loads(line)["title"] for path in sorted(NEWS.glob("ru_*.jsonl"))
               for line in path.open(encoding="utf-8")]
    english = [json.loads(line)["title"] for path in sorted(NEWS.glob("en_*.jsonl"))
               for line in path.open(encoding="utf-8")]
    return russian + english[:2000]


@pytest.mark.slow
def test_every_real_headline_decodes_exactly_and_folds_under_78() -> None:
    wrong = []
    for n, title in enumerate(headlines()):
        subject = render.subject(alert(n, title))
        message = EmailMessage(policy=MAIL)
        message["Subject"] = subject
        raw = message.as_bytes()
        if decoded(raw) != (subject, subject) or max(map(len, raw.split(b"\r\n"))) > 78:
            wrong.append(subject)
    assert wrong == []
