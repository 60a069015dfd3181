from django.contrib import admin

from stagekans.audit.admin_base import AuditedAdmin
from stagekans.audit.models import AuditEvent
from stagekans.companies.models import Company, Location, Trainer
from stagekans.core.admin import ReadOnlyAdmin


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0
    can_delete = False
    readonly_fields = ("name", "street", "house_number", "postcode", "place", "province")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Company)
class CompanyAdmin(AuditedAdmin):
    created_event = AuditEvent.COMPANY_CREATED
    updated_event = AuditEvent.COMPANY_UPDATED
    list_display = ("name", "kvk_number", "sector", "size_class")
    list_filter = ("sector", "size_class")
    search_fields = ("name", "kvk_number")
    inlines = [LocationInline]


@admin.register(Trainer)
class TrainerAdmin(ReadOnlyAdmin):
    list_display = ("user", "company", "is_company_admin")
