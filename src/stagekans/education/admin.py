from django.contrib import admin

from stagekans.audit.admin_base import AuditedAdmin
from stagekans.audit.models import AuditEvent
from stagekans.core.admin import ReadOnlyAdmin
from stagekans.education.models import Programme, Qualification, School, SchoolStaff, Student


@admin.register(Qualification)
class QualificationAdmin(AuditedAdmin):
    created_event = AuditEvent.QUALIFICATION_CREATED
    updated_event = AuditEvent.QUALIFICATION_UPDATED
    list_display = ("crebo", "title", "niveau", "sector")
    list_filter = ("niveau", "sector")
    search_fields = ("crebo", "title")


@admin.register(School)
class SchoolAdmin(AuditedAdmin):
    created_event = AuditEvent.SCHOOL_CREATED
    updated_event = AuditEvent.SCHOOL_UPDATED
    list_display = ("name", "brin", "place", "province")
    list_filter = ("province",)
    search_fields = ("name", "brin", "place")


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    created_event = AuditEvent.PROGRAMME_CREATED
    updated_event = AuditEvent.PROGRAMME_CREATED
    list_display = ("school", "qualification", "leerweg")
    list_filter = ("leerweg",)
    autocomplete_fields = ("school", "qualification")


@admin.register(SchoolStaff)
class SchoolStaffAdmin(ReadOnlyAdmin):
    list_display = ("user", "school", "function")


@admin.register(Student)
class StudentAdmin(ReadOnlyAdmin):
    list_display = ("student_number", "school", "programme", "cohort")
    list_filter = ("cohort",)
    search_fields = ("student_number",)
