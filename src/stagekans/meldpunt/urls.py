from django.urls import path

from stagekans.meldpunt import views

app_name = "meldpunt"
urlpatterns = [
    path("", views.report, name="report"),
    path("volgen/", views.follow, name="follow"),
    path("volgen/melding/", views.follow_report, name="follow_report"),
    path("volgen/stoppen/", views.follow_stop, name="follow_stop"),
    path("mijn-meldingen/", views.own_reports, name="own_reports"),
    path("mijn-meldingen/<str:reference>/", views.own_report, name="own_report"),
    path("werkvoorraad/", views.queue, name="queue"),
    path("meldingen/<str:reference>/", views.report_detail, name="report_detail"),
    path("meldingen/<str:reference>/status/", views.report_transition, name="report_transition"),
    path("meldingen/<str:reference>/bericht/", views.report_message, name="report_message"),
    path(
        "meldingen/<str:reference>/bijlagen/<int:pk>/",
        views.report_attachment,
        name="report_attachment",
    ),
    path("statistiek/", views.statistics, name="statistics"),
]
