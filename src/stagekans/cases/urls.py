from django.urls import path

from stagekans.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("nieuw/", views.open_case, name="open"),
    path("verzoeken/", views.party_list, name="party_list"),
    path("verzoeken/<int:pk>/", views.party_detail, name="party_detail"),
    path(
        "verzoeken/<int:pk>/besluit/<int:decision_pk>.pdf",
        views.party_letter,
        name="party_letter",
    ),
    path("verzoeken/<int:pk>/bezwaar/", views.party_objection, name="party_objection"),
    path(
        "besluiten/<int:decision_pk>/intrekking/",
        views.revocation_ask,
        name="revocation_ask",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/stap/", views.step, name="step"),
    path("<int:pk>/toewijzen/", views.assign, name="assign"),
    path("<int:pk>/oppakken/", views.pick_up, name="pick_up"),
    path("<int:pk>/horen/", views.hearing, name="hearing"),
    path("<int:pk>/horen/verlengen/", views.extend, name="extend"),
    path("<int:pk>/horen/student/", views.student_response, name="student_response"),
    path("<int:pk>/besluit/", views.decide, name="decide"),
    path("<int:pk>/besluit/<int:decision_pk>.pdf", views.letter, name="letter"),
    path("<int:pk>/bezwaar/", views.objection, name="objection"),
    path("<int:pk>/heropenen/", views.reopen, name="reopen"),
    path("<int:pk>/bericht/", views.message, name="message"),
    path("<int:pk>/bijlagen/<int:attachment_pk>/", views.attachment, name="attachment"),
]
