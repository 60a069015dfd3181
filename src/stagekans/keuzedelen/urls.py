from django.urls import path

from stagekans.keuzedelen import views

app_name = "keuzedelen"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("aanbod/<int:pk>/", views.offering_detail, name="offering_detail"),
    path("aanbod/<int:pk>/groep/", views.group_request, name="group_request"),
    path("aanbod/<int:pk>/wijzigen/", views.offering_edit, name="offering_edit"),
    path("aanbod/<int:pk>/sluiten/", views.offering_close, name="offering_close"),
    path("aanbod/<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("aanvragen/", views.request_list, name="request_list"),
    path("aanvragen/<int:pk>/", views.request_detail, name="request_detail"),
    path("aanvragen/<int:pk>/eigen-school/", views.decide_home, name="decide_home"),
    path("aanvragen/<int:pk>/gastschool/", views.decide_host, name="decide_host"),
    path("aanvragen/<int:pk>/resultaat/", views.record_result, name="record_result"),
    path("aanvragen/<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("samenwerking/", views.agreement_list, name="agreement_list"),
    path("samenwerking/nieuw/", views.agreement_create, name="agreement_create"),
    path("samenwerking/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path(
        "samenwerking/<int:pk>/nieuwe-versie/",
        views.agreement_new_version,
        name="agreement_new_version",
    ),
    path("samenwerking/<int:pk>/aanbod/nieuw/", views.offering_create, name="offering_create"),
    path(
        "samenwerking/<int:pk>/versie/<int:version>/",
        views.agreement_detail,
        name="agreement_version",
    ),
    path(
        "samenwerking/<int:pk>/versie/<int:version>/tekenen/",
        views.sign_agreement,
        name="sign_agreement",
    ),
    path(
        "samenwerking/<int:pk>/versie/<int:version>/intrekken/",
        views.withdraw_version,
        name="withdraw_version",
    ),
    path("rooster/", views.timetable, name="timetable"),
    path("overzicht/", views.overview, name="overview"),
]
