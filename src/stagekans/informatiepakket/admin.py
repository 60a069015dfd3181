from django.contrib import admin

from stagekans.core.admin import ReadOnlyAdmin
from stagekans.informatiepakket.models import HandoutDelivery, HandoutVersion


@admin.register(HandoutVersion)
class HandoutVersionAdmin(ReadOnlyAdmin):
    list_display = ("kind", "version", "title_nl", "published_at", "issued_count", "issue_target")


@admin.register(HandoutDelivery)
class HandoutDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("company", "version", "delivered_at", "acknowledged_at", "reminder_count")
    list_filter = ("version",)
