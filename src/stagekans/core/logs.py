"""Structured logs: one JSON object per line, a request id on every line, no personal data.

* `RequestIdMiddleware` takes the caller's `X-Request-ID` (when it looks like an id) or makes
  one, keeps it for the request in a context variable and returns it in the response header, so
  a line in the logs can be matched with what the proxy, the browser or a colleague saw.
* `RequestIdFilter` puts that id (or "-" outside a request) on every log record.
* `PersonalDataFilter` removes personal data from every record before it is written: e-mail
  addresses, phone numbers, BSNs, IBANs and postcodes+house numbers by pattern, and — because
  names cannot be recognised by pattern — every value the current request submitted in a field
  that holds personal data (name, e-mail, phone, address, free text). It scrubs the message,
  its arguments (so SQL logged with parameters is scrubbed too) and exception texts.

The filters sit on the handlers (settings.LOGGING), so they also see records that propagate
from third-party loggers (Django, Celery, psycopg).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
_request_var: ContextVar[HttpRequest | None] = ContextVar("log_request", default=None)

request_logger = logging.getLogger("stagekans.request")

REDACTED = "[weggelaten]"

# Form fields whose submitted values are personal data (or may be: free text about a person).
PERSONAL_FIELD = re.compile(
    r"(name|naam|mail|phone|telefoon|tel$|address|adres|postcode|birth|geboorte|bsn|iban|"
    r"contact|what_happened|description|body|summary|note|message|bericht|motivation|"
    r"password|wachtwoord|code$|token)",
    re.IGNORECASE,
)
_PATTERNS = [
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),  # e-mail
    re.compile(r"(?<![\w-])(?:\+31|0031|0)[\s-]?(?:\d[\s-]?){8}\d(?!\d)"),  # Dutch phone
    re.compile(r"\bNL\d{2}[A-Z]{4}\d{10}\b"),  # IBAN
    re.compile(r"(?<!\d)\d{9}(?!\d)"),  # BSN-like (9 digits)
    re.compile(r"\b\d{4}\s?[A-Z]{2}\s+\d+[a-zA-Z]?\b"),  # postcode + house number
]
_STANDARD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}
_MIN_SUBMITTED_LENGTH = 3  # shorter values (e.g. "ja") would blank out ordinary words


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdMiddleware:
    """Sets (or takes over) the request id; logs one line per request (method, route, status,
    duration). The line shows the path without query string: searches stay out of the logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        id_token = request_id_var.set(request_id)
        request_token = _request_var.set(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_var.reset(request_token)
            request_id_var.reset(id_token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def _submitted_personal_values() -> list[str]:
    """Values the current request submitted in personal fields, longest first.

    Only what the view has already parsed is looked at (`request._post`), so logging never
    makes Django read a request body early.
    """
    request = _request_var.get()
    if request is None or not hasattr(request, "_post"):
        return []
    values: set[str] = set()
    for key, items in request._post.lists():
        if PERSONAL_FIELD.search(key):
            values.update(v.strip() for v in items if len(v.strip()) >= _MIN_SUBMITTED_LENGTH)
    return sorted(values, key=len, reverse=True)


def scrub(text: str, submitted: list[str] | None = None) -> str:
    for value in submitted or ():
        text = text.replace(value, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


class PersonalDataFilter(logging.Filter):
    """Removes personal data from a record's message, arguments and exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        submitted = _submitted_personal_values()
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw template only
            message = str(record.msg)
        record.msg, record.args = scrub(message, submitted), None
        for key, value in list(record.__dict__.items()):
            if key in _STANDARD_ATTRS or value is None or isinstance(value, bool | int | float):
                continue
            if isinstance(value, HttpRequest):
                # Django attaches the request; its repr carries the query string. Keep the path.
                record.__dict__[key] = f"{value.method} {value.path}"
            else:  # extras such as the SQL and parameters django.db.backends logs
                record.__dict__[key] = scrub(
                    value if isinstance(value, str) else repr(value), submitted
                )
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, submitted)
            record.exc_info = None  # formatters would otherwise format the raw exception again
        return True


class StagekansJsonFormatter(JsonFormatter):
    """One JSON object per line: time, level, logger, message, request id and extras."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", ["levelname", "name", "message", "request_id"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")  # ISO 8601 in UTC
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)
