from django.urls import path

from stagekans.education import views

app_name = "education"
urlpatterns = [
    path("scholen/", views.school_list, name="school_list"),
    path("scholen/<int:pk>/", views.school_detail, name="school_detail"),
    path("scholen/<int:pk>/studenten/", views.student_list, name="student_list"),
    path("scholen/<int:pk>/studenten/nieuw/", views.student_create, name="student_create"),
    path("studenten/<int:pk>/", views.student_detail, name="student_detail"),
    path("studenten/<int:pk>/uitnodigen/", views.student_invite, name="student_invite"),
    path("mijn-profiel/", views.my_profile, name="my_profile"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
]
