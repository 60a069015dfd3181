"""Admin base class: every admin save is audited in the admin's own transaction."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record


class AuditedAdmin(admin.ModelAdmin):
    created_event: AuditEvent
    updated_event: AuditEvent

    def save_model(
        self,
        request: HttpRequest,
        obj: models.Model,
        form: ModelForm,
        change: bool,
    ) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            event=self.updated_event if change else self.created_event,
            obj=obj,
            details={"changed": list(form.changed_data), "via": "admin"},
        )
