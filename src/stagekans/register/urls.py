from django.urls import path

from stagekans.register import views

app_name = "register"
urlpatterns = [
    path("", views.recognition_list, name="recognition_list"),
    path("aanvragen/", views.recognition_request, name="recognition_request"),
    path("<int:pk>/", views.recognition_detail, name="recognition_detail"),
    path("<int:pk>/verlenen/", views.recognition_grant, name="recognition_grant"),
]
