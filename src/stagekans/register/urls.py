from django.urls import path

from stagekans.register import views

app_name = "register"
urlpatterns = [
    path("", views.recognition_list, name="recognition_list"),
    path("aanvragen/", views.recognition_request, name="recognition_request"),
    path("herbeoordeling/", views.reassessment_list, name="reassessment_list"),
    path("intrekkingen/", views.revocation_list, name="revocation_list"),
    path("import/", views.register_import, name="register_import"),
    path("<int:pk>/", views.recognition_detail, name="recognition_detail"),
    path("<int:pk>/verlenen/", views.recognition_grant, name="recognition_grant"),
    path("<int:pk>/intrekken/", views.revocation_request, name="revocation_request"),
    path("intrekkingen/<int:pk>/bevestigen/", views.revocation_confirm, name="revocation_confirm"),
    path("intrekkingen/<int:pk>/goedkeuren/", views.revocation_approve, name="revocation_approve"),
    path("intrekkingen/<int:pk>/afwijzen/", views.revocation_reject, name="revocation_reject"),
]
