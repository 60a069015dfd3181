from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from stagekans.accounts.models import User


@admin.register(User)
class StagekansUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Stagekans", {"fields": ("preferred_language",)}))  # type: ignore[misc]
