"""Every API route, versioned under /api/v1/; each domain keeps its views in its own api.py."""

from django.urls import path

from stagekans.applications import api as applications_api
from stagekans.education import api as education_api
from stagekans.stagemarkt import api as stagemarkt_api

urlpatterns = [
    path("kwalificaties/", education_api.QualificationList.as_view(), name="api-qualifications"),
    path(
        "stagemarkt/vacatures/",
        stagemarkt_api.VacancySearch.as_view(),
        name="api-stagemarkt-search",
    ),
    path(
        "stagemarkt/vacatures/<int:pk>/",
        stagemarkt_api.VacancyDetail.as_view(),
        name="api-stagemarkt-vacancy",
    ),
    path(
        "stagemarkt/bedrijven/<int:pk>/",
        stagemarkt_api.CompanyDetail.as_view(),
        name="api-stagemarkt-company",
    ),
    path(
        "sollicitaties/mijn/",
        applications_api.StudentApplicationList.as_view(),
        name="api-applications-mine",
    ),
    path(
        "sollicitaties/mijn/<int:pk>/intrekken/",
        applications_api.StudentWithdraw.as_view(),
        name="api-applications-withdraw",
    ),
    path(
        "sollicitaties/leerbedrijf/",
        applications_api.CompanyApplicationList.as_view(),
        name="api-applications-company",
    ),
    path(
        "sollicitaties/leerbedrijf/<int:pk>/",
        applications_api.CompanyApplicationDetail.as_view(),
        name="api-applications-company-detail",
    ),
    path(
        "sollicitaties/school/",
        applications_api.SchoolApplicationList.as_view(),
        name="api-applications-school",
    ),
]
