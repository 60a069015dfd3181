from django.urls import path

from stagekans.companies import views

app_name = "companies"
urlpatterns = [
    path("", views.company_list, name="company_list"),
    path("nieuw/", views.company_create, name="company_create"),
    path("<int:pk>/", views.company_detail, name="company_detail"),
    path("<int:pk>/contact/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/vestigingen/nieuw/", views.location_create, name="location_create"),
]
