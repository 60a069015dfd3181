from django.urls import path

from stagekans.insight import views

app_name = "insight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("herberekenen/", views.recompute_now, name="recompute"),
    path("signalen/", views.signal_list, name="signals"),
    path("signalen/<int:pk>/", views.signal_detail, name="signal_detail"),
    path("pilotrapport/", views.pilot_report, name="pilot_report"),
    path("simulatie/", views.simulation, name="simulation"),
    path("onderzoek/", views.research, name="research"),
    path("onderzoek/<int:pk>/bestand/", views.research_extract, name="research_extract"),
    path("vragenlijsten/", views.survey_list, name="surveys"),
    path("vragenlijsten/<int:placement>/<str:party>/", views.survey_answer, name="survey_answer"),
]
