from django.contrib import admin

from stagekans.core.admin import ReadOnlyAdmin
from stagekans.register.models import Recognition, RecognitionStatusChange


class HistoryInline(admin.TabularInline):
    model = RecognitionStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("at", "status", "reason", "actor")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdmin):
    """Recognitions change only through the register's services (the SBB portal)."""

    list_display = ("company", "qualification", "status", "valid_from", "valid_until")
    list_filter = ("status",)
    search_fields = ("company__name", "company__kvk_number", "qualification__crebo")
    inlines = [HistoryInline]
