from django.contrib import admin

from stagekans.core.admin import ReadOnlyAdmin
from stagekans.stagemarkt.models import CompanyProfile, Vacancy


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    """Vacancies change only through stagemarkt.services (audited)."""

    list_display = ["title", "company", "qualification", "place", "status", "published_at"]
    list_filter = ["status", "leerweg", "niveau", "sector"]
    search_fields = ["title", "company__name", "company__kvk_number", "qualification__crebo"]
    raw_id_fields = ["company", "location", "qualification", "created_by"]
    show_full_result_count = False


@admin.register(CompanyProfile)
class CompanyProfileAdmin(ReadOnlyAdmin):
    list_display = ["company", "features"]
    raw_id_fields = ["company"]
