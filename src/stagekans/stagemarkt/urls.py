from django.urls import path

from stagekans.stagemarkt import views

app_name = "stagemarkt"
urlpatterns = [
    path("", views.search, name="search"),
    path("vacatures/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("bedrijven/<int:pk>/", views.company_detail, name="company_detail"),
    path("mijn-vacatures/", views.my_vacancies, name="my_vacancies"),
    path("mijn-vacatures/nieuw/", views.vacancy_create, name="vacancy_create"),
    path("mijn-vacatures/profiel/", views.profile_edit, name="profile_edit"),
    path("mijn-vacatures/<int:pk>/", views.manage_vacancy, name="manage_vacancy"),
    path("mijn-vacatures/<int:pk>/bewerken/", views.vacancy_edit, name="vacancy_edit"),
    path("mijn-vacatures/<int:pk>/<slug:action>/", views.vacancy_action, name="vacancy_action"),
]
