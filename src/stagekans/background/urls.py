from django.urls import path

from stagekans.background import views

app_name = "background"
urlpatterns = [path("", views.my_background, name="mine")]
