from django.urls import path

from stagekans.studyadvice import views

app_name = "studyadvice"
urlpatterns = [
    path("", views.advice_list, name="advice_list"),
    path("nieuw/", views.give_advice, name="give_advice"),
    path("schooljaren/", views.marked_years, name="marked_years"),
    path("schooljaren/<int:pk>/besluit/", views.marked_year_document, name="marked_year_document"),
    path("rapport/", views.report, name="report"),
]
