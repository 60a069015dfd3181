from django.urls import path

from stagekans.support import views

app_name = "support"
urlpatterns = [
    path("signalen/", views.signal_list, name="signal_list"),
    path("signalen/nieuw/", views.signal_create, name="signal_create"),
    path("signalen/per-bedrijf/", views.signal_counts, name="signal_counts"),
    path("signalen/<int:pk>/", views.signal_detail, name="signal_detail"),
    path("signalen/<int:pk>/melden/", views.signal_report, name="signal_report"),
    path("signalen/<int:pk>/afsluiten/", views.signal_close, name="signal_close"),
    path("hulpvragen/", views.request_list, name="request_list"),
    path("hulpvragen/nieuw/", views.request_create, name="request_create"),
    path("hulpvragen/<int:pk>/", views.request_detail, name="request_detail"),
    path("hulpvragen/<int:pk>/actie/", views.request_action, name="request_action"),
    path("deskundig-team/", views.team_queue, name="team_queue"),
    path("deskundig-team/overzicht/", views.overview, name="overview"),
    path("verwijsgids/", views.directory, name="directory"),
    path("verwijsgids/importeren/", views.directory_import, name="directory_import"),
    path("doorverwijzen/<str:reference>/", views.refer, name="refer"),
]
