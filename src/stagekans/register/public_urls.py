"""The public recognition register (anonymous visitors welcome)."""

from django.urls import path

from stagekans.register import public_views

app_name = "public_register"
urlpatterns = [
    path("", public_views.search, name="search"),
    path("bedrijven/<int:pk>/", public_views.company, name="company"),
]
