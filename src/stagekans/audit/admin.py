from django.contrib import admin

from stagekans.audit.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("at", "event_type", "object_type", "object_id", "actor")
    list_filter = ("event_type", "object_type")
    search_fields = ("object_id",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
