from django.urls import path

from stagekans.applications import views

app_name = "applications"
urlpatterns = [
    # student
    path("vacatures/<int:vacancy_pk>/solliciteren/", views.apply, name="apply"),
    path("mijn/", views.my_applications, name="my_applications"),
    path("mijn/<int:pk>/", views.student_detail, name="student_detail"),
    path("mijn/<int:pk>/cv/", views.student_cv, name="student_cv"),
    path("mijn/<int:pk>/<slug:action>/", views.student_action, name="student_action"),
    # company
    path("leerbedrijf/", views.company_inbox, name="company_inbox"),
    path("leerbedrijf/<int:pk>/", views.company_detail, name="company_detail"),
    path("leerbedrijf/<int:pk>/afwijzen/", views.company_reject, name="company_reject"),
    path("leerbedrijf/<int:pk>/cv/", views.company_cv, name="company_cv"),
    path("leerbedrijf/<int:pk>/<slug:action>/", views.company_action, name="company_action"),
    # school
    path("school/", views.school_overview, name="school_overview"),
    path("school/aanbevelen/", views.recommend, name="recommend"),
    path("school/<int:pk>/", views.school_detail, name="school_detail"),
]
