"""Every API route, versioned under /api/v1/; each domain keeps its views in its own api.py."""

from django.urls import path

from stagekans.education import api as education_api

urlpatterns = [
    path("kwalificaties/", education_api.QualificationList.as_view(), name="api-qualifications"),
]
