from django.urls import path

from stagekans.voorlichting import views

app_name = "voorlichting"
urlpatterns = [
    path("", views.page, name="page"),
    path("gelezen/", views.acknowledge, name="acknowledge"),
    path("dekking/", views.coverage, name="coverage"),
    path("stageperiode/", views.announce_period, name="announce_period"),
    path("publiceren/", views.publish, name="publish"),
]
