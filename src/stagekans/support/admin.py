from django.contrib import admin

from stagekans.support.models import SupportOrganisation


@admin.register(SupportOrganisation)
class SupportOrganisationAdmin(admin.ModelAdmin):
    """The directory is kept up to date by the importer (support/verwijsgids/importeren/);
    here the beheerder can look entries up."""

    list_display = ("name", "kind", "region", "province", "active")
    list_filter = ("kind", "province", "active")
    search_fields = ("name", "region", "code")
    readonly_fields = ("updated_at",)
