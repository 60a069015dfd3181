from django.urls import path

from stagekans.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("over/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("hulp/<slug:topic>/", views.help_page, name="help"),
]
