"""Helpers the keuzedelen pages share."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from stagekans.keuzedelen import selectors
from stagekans.keuzedelen.models import CooperationAgreement

MANAGE = "keuzedelen.manage_cooperation_agreement"


def _school(user: Any) -> Any:
    staff = getattr(user, "school_staff", None)
    return staff.school if staff is not None else None


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _require_agreement_reader(user: Any) -> None:
    if not (
        user.has_perm("keuzedelen.view_school_keuzedeel_requests")
        or user.has_perm(MANAGE)
        or user.has_perm("keuzedelen.view_regional_overview")
    ):
        raise PermissionDenied


def _visible_agreement(request: HttpRequest, pk: int) -> CooperationAgreement:
    _require_agreement_reader(request.user)
    found = selectors.agreements_visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
