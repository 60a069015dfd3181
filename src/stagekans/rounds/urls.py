from django.urls import path

from stagekans.rounds import views

app_name = "rounds"
urlpatterns = [
    # stagecoördinator
    path("", views.round_list, name="list"),
    path("nieuw/", views.round_create, name="create"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/voortgang/", views.round_progress, name="progress"),
    path("<int:pk>/actie/<slug:action>/", views.round_action, name="action"),
    path("<int:pk>/plaatsen/nieuw/", views.place_add, name="place_add"),
    path("<int:pk>/deelnemers/", views.participants, name="participants"),
    path(
        "<int:pk>/deelnemers/<int:participant_pk>/voorrang/",
        views.participant_priority,
        name="participant_priority",
    ),
    path("<int:pk>/voorstel/", views.proposal, name="proposal"),
    path(
        "<int:pk>/voorstel/<int:assignment_pk>/wijzigen/",
        views.assignment_change,
        name="assignment_change",
    ),
    path("<int:pk>/uitslag/", views.results, name="results"),
    path("<int:pk>/uitslag.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/vervolgronde/", views.follow_up, name="follow_up"),
    # student
    path("mijn/", views.my_rounds, name="my_rounds"),
    path("mijn/<int:pk>/", views.my_round, name="my_round"),
    path("mijn/<int:pk>/profiel/", views.my_round_profile, name="my_round_profile"),
    path("mijn/<int:pk>/antwoord/", views.my_round_respond, name="my_round_respond"),
    # leerbedrijf
    path("leerbedrijf/", views.company_rounds, name="company_rounds"),
    path("leerbedrijf/<int:pk>/", views.company_round, name="company_round"),
    path(
        "leerbedrijf/<int:pk>/plaatsen/<int:place_pk>/oordeel/",
        views.company_review,
        name="company_review",
    ),
    path(
        "leerbedrijf/<int:pk>/voorstel/<int:assignment_pk>/antwoord/",
        views.company_respond,
        name="company_respond",
    ),
]
