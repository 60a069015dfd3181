from django.urls import path

from stagekans.equalchances import views

app_name = "equalchances"
urlpatterns = [
    path("zelfscan/", views.scan_home, name="scan_home"),
    path("zelfscan/invullen/", views.scan_fill, name="scan_fill"),
    path("zelfscan/resultaat/<int:pk>/", views.scan_result, name="scan_result"),
    path("zelfscan/cijfers/", views.scan_aggregates, name="scan_aggregates"),
    path("zelfscan/versies/", views.version_list, name="version_list"),
    path("zelfscan/versies/nieuw/", views.version_create, name="version_create"),
    path("zelfscan/versies/<int:pk>/", views.version_detail, name="version_detail"),
    path("zelfscan/versies/<int:pk>/publiceren/", views.version_publish, name="version_publish"),
    path("zelfscan/vragen/<int:pk>/", views.question_edit, name="question_edit"),
    path("beleid/", views.policy, name="policy"),
    path("beleid/<int:pk>/document/", views.policy_document, name="policy_document"),
    path("webinars/", views.training, name="training"),
    path("webinars/registreren/", views.training_register, name="training_register"),
    path("webinars/<int:pk>/verwijderen/", views.training_remove, name="training_remove"),
    path("webinars/bereik/", views.training_coverage, name="training_coverage"),
    path("webinars/beheer/", views.webinar_list, name="webinar_list"),
    path("webinars/beheer/nieuw/", views.webinar_create, name="webinar_create"),
    path("webinars/beheer/<int:pk>/", views.webinar_edit, name="webinar_edit"),
]
