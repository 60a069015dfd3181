from django.urls import path

from stagekans.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.outbox_list, name="outbox_list"),
    path("<int:pk>/", views.outbox_detail, name="outbox_detail"),
]
