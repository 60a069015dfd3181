"""Outbox mail as bytes, and over SMTP with few round trips.

Two costs dominated a national drain (issue 18): turning each row into a Django `EmailMessage`
and its MIME tree (~150 µs a mail), and four request/reply round trips per mail (MAIL, RCPT,
DATA, the message), each a wake-up of both the drain and the mail server.

- `message_bytes` builds the bytes Django's `EmailMessage(...).message().as_bytes(linesep=
  "\\r\\n")` gives, header by header with Django's own functions (`forbid_multi_line_headers`,
  the standard compat32 folding, cached per value), but without the MIME objects. What it does
  not build itself (long lines that Django sends quoted-printable, carriage returns, odd
  addresses) it hands to Django, so the bytes are always Django's; a property test compares
  them.
- `send_pipelined` sends a run of mails over one open `smtplib.SMTP` connection. When the
  server offers PIPELINING (RFC 2920; Postfix and Exim do), each write carries the previous
  message's content and the next message's MAIL, RCPT and DATA, so a mail costs one round
  trip. Without PIPELINING it falls back to `smtplib.SMTP.sendmail`, one mail at a time.
"""

from __future__ import annotations

import functools
import re
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email._policybase import Compat32
from email.utils import formatdate, make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import (
    RFC5322_EMAIL_LINE_LENGTH_LIMIT,
    forbid_multi_line_headers,
    sanitize_address,
)
from django.core.mail.utils import DNS_NAME

CRLF = "\r\n"
# Folding as `as_bytes(linesep="\r\n")` folds: compat32, 78 characters, not sanitised.
_MAX_LINE = 78
# An address whose Django form (sanitize_address, the To header) is the address itself.
_SIMPLE_ADDRESS = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\Z"
)
# A header value that compat32 writes unchanged on one line: printable ASCII, no whitespace.
_ATOM = re.compile(r"[!-~]+\Z")
_LEADING_PERIOD = re.compile(rb"(?m)^\.")


class OutboxEmail(EmailMessage):
    """An EmailMessage whose MIME message folds its headers through the cached folding; the
    bytes are the same (the folding of a str is a pure function)."""

    def message(self, **kwargs: Any) -> Any:
        msg = super().message(**kwargs)
        msg.policy = _FOLD_CACHE_POLICY
        return msg


class _Compat32FoldCache(Compat32):
    """The standard header folding (compat32, what Django's messages use), remembered per
    value: a national mailing repeats its subject, sender and MIME headers in every message."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if isinstance(value, str):
            return _fold_str(self.linesep, self.max_line_length, sanitize, name, value)
        return super()._fold(name, value, sanitize)  # type: ignore[misc]


_COMPAT32 = Compat32()
_FOLD_CACHE_POLICY = _Compat32FoldCache()


@functools.lru_cache(maxsize=2048)
def _fold_str(
    linesep: str, max_line_length: int | None, sanitize: bool, name: str, value: str
) -> str:
    policy = _COMPAT32.clone(linesep=linesep, max_line_length=max_line_length)
    return Compat32._fold(policy, name, value, sanitize)  # type: ignore[attr-defined]


def _header(name: str, value: str) -> str:
    """One header line as Django's message writes it (value after forbid_multi_line_headers)."""
    if _ATOM.match(value) and len(name) + 2 + len(value) <= _MAX_LINE:
        return f"{name}: {value}{CRLF}"
    return _fold_str(CRLF, _MAX_LINE, False, name, value)


@functools.lru_cache(maxsize=512)
def _fixed_headers(subject: str, from_email: str, transfer_encoding: str) -> str:
    """Content-Type … From: the same for every mail of a mailing."""
    lines = [
        _header("Content-Type", 'text/plain; charset="utf-8"'),
        _header("MIME-Version", "1.0"),
        _header("Content-Transfer-Encoding", transfer_encoding),
    ]
    for name, value in (("Subject", subject), ("From", from_email)):
        lines.append(_header(name, forbid_multi_line_headers(name, value, "utf-8")[1]))
    return "".join(lines)


@functools.lru_cache(maxsize=8)
def _date_header(seconds: int, localtime: bool) -> str:
    return _header("Date", formatdate(seconds, localtime=localtime))


def _fast_bytes(
    *, to: str, subject: str, body: str, from_email: str, date: str | None, message_id: str | None
) -> bytes | None:
    """`message_bytes` for the ordinary mail, or None where Django does more (then it builds)."""
    if "\r" in body or not _SIMPLE_ADDRESS.match(to):
        return None
    try:
        encoded = body.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: Django decides
        return None
    if len(encoded) > RFC5322_EMAIL_LINE_LENGTH_LIMIT and any(
        len(line.encode("utf-8")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT for line in body.split("\n")
    ):
        return None  # Django sends this quoted-printable
    if date is None:
        import time

        date_line = _date_header(int(time.time()), bool(settings.EMAIL_USE_LOCALTIME))
    else:
        date_line = _header("Date", forbid_multi_line_headers("Date", date, "utf-8")[1])
    if message_id is None:
        message_id = make_msgid(domain=str(DNS_NAME))
    head = (
        _fixed_headers(subject, from_email, "7bit" if len(encoded) == len(body) else "8bit")
        + _header("To", to)
        + date_line
        + _header("Message-ID", forbid_multi_line_headers("Message-ID", message_id, "utf-8")[1])
        + CRLF
    )
    return head.encode("ascii", "surrogateescape") + encoded.replace(b"\n", b"\r\n")


def message_bytes(
    *,
    to: str,
    subject: str,
    body: str,
    from_email: str,
    date: str | None = None,
    message_id: str | None = None,
) -> bytes:
    """The bytes of Django's `EmailMessage(subject, body, from_email, [to]).message()` as the
    SMTP backend sends them. `date` and `message_id` fix those headers (tests); by default they
    are now and a new id, as in Django."""
    fast = _fast_bytes(
        to=to, subject=subject, body=body, from_email=from_email, date=date, message_id=message_id
    )
    if fast is not None:
        return fast
    headers = {}
    if date is not None:
        headers["Date"] = date
    if message_id is not None:
        headers["Message-ID"] = message_id
    message = OutboxEmail(
        subject=subject, body=body, from_email=from_email, to=[to], headers=headers
    )
    return bytes(message.message().as_bytes(linesep=CRLF))


@functools.lru_cache(maxsize=64)
def _envelope_sender(address: str) -> tuple[str, str]:
    """(what Django passes to sendmail, the `<address>` smtplib puts after MAIL FROM:)."""
    sanitized = sanitize_address(address, "utf-8")
    return sanitized, smtplib.quoteaddr(sanitized)


def envelope_address(address: str) -> str:
    """The address as Django's SMTP backend puts it in the envelope (sanitize_address)."""
    if _SIMPLE_ADDRESS.match(address):
        return address
    return sanitize_address(address, "utf-8")


@dataclass(frozen=True, slots=True)
class Delivery:
    """One mail ready for the wire: the outbox row's key, envelope recipient and bytes."""

    pk: int
    recipient: str
    content: bytes


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _quoted(content: bytes) -> bytes:
    """The DATA section as smtplib sends bytes: leading periods doubled, CRLF, `.` line."""
    data = _LEADING_PERIOD.sub(b"..", content)
    if data[-2:] != b"\r\n":
        data += b"\r\n"
    return data + b".\r\n"


def _sendmail(connection: Any, sender: str, delivery: Any) -> tuple[str, bool]:
    """One mail through smtplib's `sendmail`: (the error, or "" when sent; whether the
    connection is lost)."""
    try:
        connection.sendmail(sender, [delivery.recipient], delivery.content)
    except smtplib.SMTPServerDisconnected as error:
        return _describe(error), True
    except smtplib.SMTPException as error:
        return _describe(error), False
    return "", False


def send_pipelined(
    connection: smtplib.SMTP, *, sender: str, deliveries: Sequence[Delivery]
) -> tuple[list[tuple[int, str]], int]:
    """Send `deliveries` in order over an open connection.

    Returns ([(pk, error or "")], how many were handled). Fewer than all are handled when the
    connection was lost (then the one being sent, and the one whose reply was awaited, are
    reported failed, and the caller reconnects for the rest); a refusal of one mail (MAIL,
    RCPT, DATA or the content) fails that mail only, as `sendmail` would.
    """
    connection.ehlo_or_helo_if_needed()
    sender, quoted_sender = _envelope_sender(sender)
    results: list[tuple[int, str]] = []
    if not connection.has_extn("pipelining") or not quoted_sender.isascii():
        for handled, delivery in enumerate(deliveries):
            error, lost = _sendmail(connection, sender, delivery)
            results.append((delivery.pk, error))
            if lost:
                return results, handled + 1
        return results, len(deliveries)

    with_size = connection.has_extn("size")
    pending: tuple[int, bytes] | None = None  # (pk, quoted content) sent with the next write

    def finish_pending(reply: tuple[int, bytes]) -> None:
        assert pending is not None
        code, text = reply
        error = "" if code == 250 else _describe(smtplib.SMTPDataError(code, text))
        results.append((pending[0], error))

    for handled, delivery in enumerate(deliveries):
        if not _SIMPLE_ADDRESS.match(delivery.recipient):
            if pending is not None:
                try:
                    connection.send(pending[1])
                    finish_pending(connection.getreply())
                except smtplib.SMTPServerDisconnected as lost_error:
                    results.append((pending[0], _describe(lost_error)))
                    results.append((delivery.pk, _describe(lost_error)))
                    return results, handled + 1
                pending = None
            error, lost = _sendmail(connection, sender, delivery)
            results.append((delivery.pk, error))
            if lost:
                return results, handled + 1
            continue
        size = f" size={len(delivery.content)}" if with_size else ""
        commands = (
            f"mail FROM:{quoted_sender}{size}\r\nrcpt TO:<{delivery.recipient}>\r\ndata\r\n"
        ).encode("ascii")
        try:
            if pending is not None:
                connection.send(pending[1] + commands)
                finish_pending(connection.getreply())
                pending = None
            else:
                connection.send(commands)
            mail_reply = connection.getreply()
            rcpt_reply = connection.getreply()
            data_reply = connection.getreply()
            if data_reply[0] == 354:
                pending = (delivery.pk, _quoted(delivery.content))
                continue
            refusal: smtplib.SMTPException
            if mail_reply[0] != 250:
                refusal = smtplib.SMTPSenderRefused(*mail_reply, sender)
            elif rcpt_reply[0] not in (250, 251):
                refusal = smtplib.SMTPRecipientsRefused({delivery.recipient: rcpt_reply})
            else:
                refusal = smtplib.SMTPDataError(*data_reply)
        except smtplib.SMTPServerDisconnected as error:
            if pending is not None:
                results.append((pending[0], _describe(error)))
            results.append((delivery.pk, _describe(error)))
            return results, handled + 1
        results.append((delivery.pk, _describe(refusal)))
        if 421 in (mail_reply[0], rcpt_reply[0], data_reply[0]):
            connection.close()
            return results, handled + 1
        try:
            connection.rset()
        except smtplib.SMTPServerDisconnected:
            return results, handled + 1
    if pending is not None:
        try:
            connection.send(pending[1])
            finish_pending(connection.getreply())
        except smtplib.SMTPServerDisconnected as error:
            results.append((pending[0], _describe(error)))
    return results, len(deliveries)
