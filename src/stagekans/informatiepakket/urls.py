from django.urls import path

from stagekans.informatiepakket import views

app_name = "informatiepakket"
urlpatterns = [
    path("", views.delivery_list, name="delivery_list"),
    path("<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("<int:pk>/gelezen/", views.delivery_acknowledge, name="delivery_acknowledge"),
    path("bereik/", views.coverage, name="coverage"),
    path("publiceren/", views.publish, name="publish"),
]
