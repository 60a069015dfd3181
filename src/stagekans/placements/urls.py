from django.urls import path

from stagekans.placements import views

app_name = "placements"
urlpatterns = [
    path("", views.placement_list, name="list"),
    path("plaatsen/", views.place_student, name="place"),
    path("mijn-stagiairs/", views.my_students, name="my_students"),
    path("naleving/", views.compliance, name="compliance"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/begeleider/", views.set_supervisor, name="set_supervisor"),
    path("<int:pk>/overeenkomst/", views.draft, name="draft"),
    path("<int:pk>/contactmoment/", views.log_contact, name="log_contact"),
    path("<int:pk>/contactverzoek/", views.request_contact, name="request_contact"),
    path("<int:pk>/evaluatie/", views.evaluate, name="evaluate"),
    path("overeenkomst/<int:pk>/versturen/", views.send, name="send"),
    path("overeenkomst/<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("overeenkomst/<int:pk>/tekenen/", views.sign, name="sign"),
    path("overeenkomst/<int:pk>/ouder/", views.guardian, name="guardian"),
    path("overeenkomst/<int:pk>.pdf", views.pdf, name="pdf"),
]
