"""The drain's SMTP path (notifications/smtp.py): Django's bytes without Django's objects, and
pipelined sending, against a real SMTP server (aiosmtpd in this process) with and without
PIPELINING; and the drain over it with a fixed number of queries per batch."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator
from email.utils import parseaddr
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.mail.message import BadHeaderError, sanitize_address
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from stagekans.notifications import services, smtp
from stagekans.notifications.models import OutboxMessage

FIXED = {"date": "Tue, 01 Dec 2026 23:00:00 -0000", "message_id": "<1.2.3@stagekans.test>"}
FROM = "Stagekans <noreply@stagekans.nl>"


def _django_bytes(*, to: str, subject: str, body: str, from_email: str) -> bytes:
    headers = {"Date": FIXED["date"], "Message-ID": FIXED["message_id"]}
    message = EmailMessage(
        subject=subject, body=body, from_email=from_email, to=[to], headers=headers
    )
    mime: Any = message.message()  # Django's SafeMIMEText, whose as_bytes takes linesep
    return bytes(mime.as_bytes(linesep="\r\n"))


def _both(**kwargs: str) -> tuple[Any, Any]:
    """(Django's bytes or its exception type, message_bytes' bytes or its exception type)."""
    results: list[Any] = []
    for build in (_django_bytes, lambda **kw: smtp.message_bytes(**kw, **FIXED)):
        try:
            results.append(build(**kwargs))
        except (BadHeaderError, ValueError, UnicodeError) as error:
            results.append(type(error))
    return results[0], results[1]


SUBJECTS = [
    "Nieuw in uw informatiepakket: 'Veiligheid voor praktijkopleiders'",
    "Herinnering: lees de hand-out 'Werving en selectie' — geüpload op één dag",
    "Lees even: discriminatie bij je stage, wat kun je doen?",
    "Een heel lang onderwerp " * 8,
    "kort",
    "",
    "  spaties  en\ttab ",
    "=?utf-8?q?geen?= echt encoded word",
]
BODIES = [
    "Beste praktijkopleider,\n\nLees de hand-out:\n\nhttps://stagekans.nl/x/1/\n\nStagekans",
    "Hoi Sanne,\n\nTekst met é en ß.\n",
    "",
    ".begint met een punt\n..twee\n.\nslot",
    "x" * 998 + "\nkort",
    "x" * 999,  # Django: quoted-printable
    "é" * 500,  # 1,000 bytes on one line
    "windows\r\nregels\rhier",
    "From the start\n>quoted",
    "tab\tin de tekst \n",
    "\u2028scheiding\x0bvreemd\x0c",
]
RECIPIENTS = [
    "a@example.nl",
    "voornaam.achternaam+stage@sub.domein.example.nl",
    "Ëlla <ella@exämple.nl>",
    "ella@exämple.nl",
    "a..b@example.nl",
    ".a@example.nl",
    "x" * 80 + "@example.nl",
    "Jan Jansen <jan@example.nl>",
]
FROMS = [FROM, "noreply@stagekans.nl", "Stagekans — SBB <noreply@stagekans.nl>"]


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("body", BODIES)
def test_message_bytes_are_djangos_bytes(subject, body):
    for to in RECIPIENTS:
        for from_email in FROMS:
            django_result, ours = _both(to=to, subject=subject, body=body, from_email=from_email)
            assert ours == django_result, (to, from_email)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    subject=st.text(max_size=120),
    body=st.text(max_size=1500),
    local=st.from_regex(r"[A-Za-z0-9_%+.-]{1,70}", fullmatch=True),
    domain=st.from_regex(r"[A-Za-z0-9.-]{1,40}", fullmatch=True),
    name=st.one_of(st.none(), st.text(max_size=30)),
)
def test_message_bytes_equal_djangos_for_any_text(subject, body, local, domain, name):
    to = f"{local}@{domain}" if name is None else f"{name} <{local}@{domain}>"
    django_result, ours = _both(to=to, subject=subject, body=body, from_email=FROM)
    assert ours == django_result


def test_the_ordinary_mail_does_not_go_through_django(monkeypatch):
    """The fast path is taken (not silently Django every time)."""

    def no_django(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("built by Django")

    monkeypatch.setattr(smtp.OutboxEmail, "message", no_django)
    for body in BODIES[:4]:
        kwargs = {"to": "a@example.nl", "subject": SUBJECTS[1], "body": body, "from_email": FROM}
        assert smtp.message_bytes(**kwargs, **FIXED) == _django_bytes(**kwargs)


def test_date_and_message_id_are_set_like_django():
    ours = smtp.message_bytes(to="a@example.nl", subject="s", body="b", from_email=FROM)
    mime: Any = EmailMessage("s", "b", FROM, ["a@example.nl"]).message()
    theirs = mime.as_bytes(linesep="\r\n")

    def names(raw: bytes) -> list[bytes]:
        head = raw.split(b"\r\n\r\n", 1)[0]
        return [line.split(b":", 1)[0] for line in head.split(b"\r\n")]

    assert names(ours) == names(theirs)
    assert b"\r\nDate: " in ours and b"\r\nMessage-ID: <" in ours
    second = smtp.message_bytes(to="a@example.nl", subject="s", body="b", from_email=FROM)
    message_id = [x for x in ours.split(b"\r\n") if x.startswith(b"Message-ID")]
    assert message_id != [x for x in second.split(b"\r\n") if x.startswith(b"Message-ID")]


@pytest.mark.parametrize("address", RECIPIENTS)
def test_envelope_address_is_djangos(address):
    assert smtp.envelope_address(address) == sanitize_address(address, "utf-8")


# ------------------------------------------------------------------------- a real SMTP server


class Recorder:
    """aiosmtpd handler: records (recipients, content); refuses listed recipients at RCPT and
    messages containing b"REFUSE-DATA" after DATA; offers PIPELINING when asked."""

    def __init__(self) -> None:
        self.pipelining = True
        self.messages: list[tuple[list[str], bytes]] = []
        self.refused = {"nee@example.nl"}
        self.commands: list[str] = []

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.pipelining:
            responses.insert(1, "250-PIPELINING")
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if b"REFUSE-DATA" in envelope.original_content:
            return "554 Refused"
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server() -> Iterator[tuple[Recorder, int]]:
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    port = _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    yield recorder, port
    controller.stop()


def _delivery(pk: int, to: str, body: str) -> smtp.Delivery:
    content = smtp.message_bytes(to=to, subject=f"Onderwerp {pk}", body=body, from_email=FROM)
    return smtp.Delivery(pk, smtp.envelope_address(to), content)


@pytest.mark.parametrize("pipelining", [True, False])
def test_send_pipelined_delivers_each_mail_once_and_fails_only_the_refused(server, pipelining):
    recorder, port = server
    recorder.pipelining = pipelining
    deliveries = [_delivery(i, f"m{i}@example.nl", f".regel {i}\n..twee\nslot") for i in range(30)]
    deliveries[7] = _delivery(7, "nee@example.nl", "geweigerd bij RCPT")
    deliveries[12] = _delivery(12, "m12@example.nl", "REFUSE-DATA")
    deliveries[20] = _delivery(20, "Ëlla <ella@exämple.nl>", "een adres met naam en é")
    deliveries[29] = _delivery(29, "m29@example.nl", "REFUSE-DATA als laatste")
    connection = smtplib.SMTP("127.0.0.1", port)
    try:
        results, handled = smtp.send_pipelined(connection, sender=FROM, deliveries=deliveries)
        assert connection.noop()[0] == 250  # the conversation is still in step
    finally:
        connection.quit()
    assert handled == 30
    assert sorted(pk for pk, _error in results) == list(range(30))
    errors = {pk: error for pk, error in results if error}
    assert set(errors) == {7, 12, 29}
    assert errors[7].startswith("SMTPRecipientsRefused") and "550" in errors[7]
    assert errors[12].startswith("SMTPDataError") and "554" in errors[12]
    delivered = [d for d in deliveries if d.pk not in errors]
    expected = [[parseaddr(d.recipient)[1]] for d in delivered]  # as smtplib's quoteaddr
    assert [rcpts for rcpts, _content in recorder.messages] == expected
    # the content arrives byte for byte (aiosmtpd undoes the dot-stuffing; the DATA section
    # always ends with a line break, as smtplib sends it)
    assert [content for _r, content in recorder.messages] == [
        d.content if d.content.endswith(b"\r\n") else d.content + b"\r\n" for d in delivered
    ]


@pytest.mark.parametrize(
    ("pipelining", "first"),
    [
        (True, "m0@example.nl"),  # the pipelined path
        (False, "m0@example.nl"),  # smtplib's sendmail, server without PIPELINING
        (True, "Ëlla <ella@exämple.nl>"),  # smtplib's sendmail for an address with a name
    ],
)
def test_send_pipelined_reports_a_lost_connection(server, pipelining, first):
    recorder, port = server
    recorder.pipelining = pipelining
    connection = smtplib.SMTP("127.0.0.1", port)
    connection.ehlo()
    connection.sock.shutdown(socket.SHUT_RDWR)  # the connection is gone before the first mail
    deliveries = [_delivery(0, first, "tekst")]
    deliveries += [_delivery(i, f"m{i}@example.nl", "tekst") for i in range(1, 3)]
    results, handled = smtp.send_pipelined(connection, sender=FROM, deliveries=deliveries)
    assert handled == 1
    assert [pk for pk, error in results if error] == [0]
    assert recorder.messages == []


# ----------------------------------------------------------------- the drain over real SMTP


@pytest.fixture
def smtp_settings(settings, server):
    recorder, port = server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = FROM
    return recorder


def _enqueue(n: int, prefix: str = "m") -> None:
    with transaction.atomic():
        services.enqueue_mails(
            services.Mail(
                to=f"{prefix}{i}@example.nl",
                subject="Lees even: discriminatie bij je stage",
                body=f"Hoi {i},\n\nTekst met é.\n",
                dedup_key=f"{prefix}:{i}",
            )
            for i in range(n)
        )


@pytest.mark.django_db
@pytest.mark.parametrize("connections", [1, 4])
def test_drain_over_smtp_sends_every_mail_once_in_batches(smtp_settings, settings, connections):
    settings.OUTBOX_SMTP_CONNECTIONS = connections
    _enqueue(260)
    assert services.send_due(batch_size=100) == 260
    recipients = sorted(r for rcpts, _content in smtp_settings.messages for r in rcpts)
    assert recipients == sorted(f"m{i}@example.nl" for i in range(260))
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    # what arrived is what Django's SMTP backend sends for that row, Date and Message-ID aside
    _rcpts, content = smtp_settings.messages[0]
    head, _sep, body = content.partition(b"\r\n\r\n")
    to = head.split(b"\r\nTo: ")[1].split(b"\r\n")[0].decode()
    row = OutboxMessage.objects.get(to=to)
    django_head, _sep, django_body = _django_bytes(
        to=row.to, subject=row.subject, body=row.body, from_email=FROM
    ).partition(b"\r\n\r\n")

    def without_date_and_id(lines: bytes) -> list[bytes]:
        return [x for x in lines.split(b"\r\n") if not x.startswith((b"Date:", b"Message-ID:"))]

    assert without_date_and_id(head) == without_date_and_id(django_head)
    assert body == django_body


@pytest.mark.django_db
def test_a_refused_mail_is_retried_and_the_others_are_sent(smtp_settings):
    _enqueue(5)
    with transaction.atomic():
        refused = services.enqueue_mail(to="nee@example.nl", subject="s", body="b")
    assert services.send_due() == 5
    refused.refresh_from_db()
    assert refused.sent_at is None and refused.attempts == 1
    assert refused.last_error.startswith("SMTPRecipientsRefused")
    assert OutboxMessage.objects.filter(sent_at__isnull=False).count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize("n", [20, 400])
def test_queries_over_smtp_do_not_grow_with_the_number_of_mails(smtp_settings, n):
    _enqueue(n)
    with CaptureQueriesContext(connection) as queries:
        assert services.send_due(batch_size=1000) == n
    statements = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # claim (select + update), lock + mark sent, final empty claim (+ BEGIN/COMMIT)
    assert len([q for q in statements if q["sql"].startswith(("SELECT", "UPDATE"))]) == 5
    assert len(statements) <= 9, [q["sql"][:80] for q in statements]


@pytest.mark.django_db
def test_queries_grow_with_batches_not_with_mails(smtp_settings):
    _enqueue(250)
    with CaptureQueriesContext(connection) as queries:
        assert services.send_due(batch_size=100) == 250
    selects_and_updates = [
        q for q in queries.captured_queries if q["sql"].startswith(("SELECT", "UPDATE"))
    ]
    assert len(selects_and_updates) == 3 * 4 + 1  # three batches, then an empty claim
