from django.contrib import admin

from stagekans.core.admin import ReadOnlyAdmin
from stagekans.worklist.models import SchoolTask


@admin.register(SchoolTask)
class SchoolTaskAdmin(ReadOnlyAdmin):
    list_display = ("school", "kind", "created_at", "done_at")
    list_filter = ("kind", "done_at")
