"""/beheer/ for accounts: no one grants superuser, roles or permissions here (finding 1).

Superuser status is given only with `manage.py createsuperuser`; roles go through the app's
role page (four-eyes for sensitive roles, audited); direct permissions are never used. So in
the admin `is_superuser`, `is_staff`, `groups` and `user_permissions` are read-only for
everyone, a non-superuser cannot edit a superuser, no one edits their own account here, and
setting another person's password here is for superusers only (others use the reset mail).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from stagekans.accounts.models import RoleGrant, User
from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record

PROTECTED_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


@admin.register(User)
class StagekansUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Stagekans", {"fields": ("preferred_language",)}))  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = [*super().get_readonly_fields(request, obj), *PROTECTED_FIELDS]
        return [*dict.fromkeys(fields)]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            if obj.pk == request.user.pk:
                return False
            if obj.is_superuser and not request.user.is_superuser:
                return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        for field in PROTECTED_FIELDS:
            if field in form.changed_data:  # defence in depth: the fields are read-only
                raise PermissionDenied
        if change and obj.pk:
            before = User.objects.get(pk=obj.pk)
            if before.is_superuser != obj.is_superuser or before.is_staff != obj.is_staff:
                raise PermissionDenied
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                actor=request.user,
                event=AuditEvent.USER_UPDATED if change else AuditEvent.USER_CREATED,
                obj=obj,
                details={"fields": sorted(form.changed_data), "via": "beheer"},
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # groups and user_permissions are read-only, so nothing many-to-many changes here.
        super().save_related(request, form, formsets, change)


admin.site.unregister(Group)


@admin.register(Group)
class ReadOnlyGroupAdmin(GroupAdmin):
    """Roles are data in accounts/roles.py (synced by migrations); never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Read-only: requests and decisions go through the app's role page (four-eyes)."""

    list_display = ("user", "role", "status", "requested_by", "decided_by", "requested_at")
    list_filter = ("status", "role")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
