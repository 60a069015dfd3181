from django.contrib import admin

from stagekans.core.admin import ReadOnlyAdmin
from stagekans.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("to", "subject", "created_at", "sent_at", "attempts")
    list_filter = ("sent_at",)
    search_fields = ("to", "subject", "dedup_key")
