from django.urls import path

from stagekans.worklist import views

app_name = "worklist"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("<int:pk>/afgerond/", views.task_done, name="task_done"),
]
