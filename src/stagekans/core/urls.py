from django.urls import path

from stagekans.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("over/", views.about, name="about"),
]
