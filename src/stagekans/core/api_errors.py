"""The API's exception handler (kept apart from core/throttling.py: DRF imports the throttle
classes while it builds APIView, and this module imports APIView's module)."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with a Dutch message (and Retry-After) when a client is throttled."""
    response = drf_exception_handler(exc, context)
    if isinstance(exc, Throttled) and response is not None:
        wait = getattr(exc, "wait", None)
        seconds = math.ceil(wait) if wait is not None else 60
        response.data = {
            "detail": _("Te veel verzoeken. Wacht %(seconds)d seconden en probeer het dan opnieuw.")
            % {"seconds": seconds}
        }
        response["Retry-After"] = str(seconds)
    return response
