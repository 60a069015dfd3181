"""SBB keeps each webinar's own source link (https only) up to date; the link is shown on the
training and coverage pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.equalchances import services
from stagekans.equalchances.models import Webinar
from stagekans.testing import factories as f

LINK = "https://www.s-bb.nl/bedrijven/webinars/objectief-oordelen"


@pytest.fixture
def advisor(db):
    return f.UserFactory(role=Role.SBB_ADVISOR)


@pytest.fixture
def webinar(db):
    return Webinar.objects.get(title="Objectief oordelen")


def _update(user, webinar, **overrides):
    values = {
        "title": webinar.title,
        "description": webinar.description,
        "source_url": LINK,
        "active": True,
    }
    values.update(overrides)
    return services.update_webinar(acting_user=user, webinar=webinar, **values)


def test_sbb_sets_the_source_link_and_it_is_audited(advisor, webinar):
    old = webinar.source_url
    _update(advisor, webinar)
    webinar.refresh_from_db()
    assert webinar.source_url == LINK
    row = AuditLog.objects.get(event_type=AuditEvent.WEBINAR_CHANGED)
    assert row.actor == advisor
    assert row.details == {"source_url": {"before": old, "after": LINK}}


@pytest.mark.parametrize(
    "url",
    [
        "http://www.s-bb.nl/webinars",
        "www.s-bb.nl/webinars",
        "ftp://www.s-bb.nl/webinars",
        "https://",
        "https://geen spatie.nl/",
        "javascript:alert(1)",
    ],
)
def test_only_a_complete_https_link_is_accepted(advisor, webinar, url):
    before = webinar.source_url
    with pytest.raises(ValidationError) as error:
        _update(advisor, webinar, source_url=url)
    assert error.value.message_dict["source_url"] == [
        "Link naar de bron: gebruik een volledige link die begint met https://, "
        "bijvoorbeeld https://www.s-bb.nl/…"
    ]
    webinar.refresh_from_db()
    assert webinar.source_url == before
    assert not AuditLog.objects.filter(event_type=AuditEvent.WEBINAR_CHANGED).exists()


def test_model_field_refuses_http_too(webinar):
    webinar.source_url = "http://www.s-bb.nl/"
    with pytest.raises(ValidationError) as error:
        webinar.full_clean()
    assert "source_url" in error.value.message_dict


def test_empty_title_link_and_duplicate_title_are_refused(advisor, webinar):
    with pytest.raises(ValidationError) as error:
        _update(advisor, webinar, title=" ", source_url="")
    assert set(error.value.message_dict) == {"title", "source_url"}
    with pytest.raises(ValidationError) as error:
        _update(advisor, webinar, title="sociale veiligheid")
    assert "title" in error.value.message_dict


def test_only_sbb_maintains_webinars(db, webinar):
    for user in (
        f.trainer_user(f.CompanyFactory()),
        f.UserFactory(role=Role.ANALYST),
        f.UserFactory(role=Role.ADMIN),
    ):
        with pytest.raises(PermissionDenied):
            _update(user, webinar)
    webinar.refresh_from_db()
    assert webinar.source_url != LINK


def test_edit_page_shows_the_dutch_error_and_saves(advisor, webinar):
    client = Client()
    client.force_login(advisor)
    url = f"/gelijke-kansen/webinars/beheer/{webinar.pk}/"
    form = {"title": webinar.title, "description": "", "source_url": "http://x.nl", "active": "on"}
    response = client.post(url, form)
    assert response.status_code == 400
    assert "gebruik een volledige link die begint met https://" in response.content.decode()
    response = client.post(url, {**form, "source_url": LINK})
    assert response.status_code == 302
    webinar.refresh_from_db()
    assert webinar.source_url == LINK and webinar.description == ""
    listing = client.get("/gelijke-kansen/webinars/beheer/").content.decode()
    assert LINK in listing


def test_each_webinar_shows_its_own_link_on_training_and_coverage(advisor):
    links = {}
    for webinar in Webinar.objects.all():
        links[webinar.pk] = f"https://www.s-bb.nl/demo/webinar-{webinar.pk}"
        _update(advisor, webinar, source_url=links[webinar.pk])
    trainer = f.trainer_user(f.CompanyFactory())
    client = Client()
    client.force_login(trainer)
    training = client.get("/gelijke-kansen/webinars/").content.decode()
    client.force_login(advisor)
    coverage = client.get("/gelijke-kansen/webinars/bereik/").content.decode()
    for pk, link in links.items():
        expected = f'href="{link}" rel="noopener" data-testid="source-{pk}"'
        assert expected in training
        assert expected in coverage


def test_a_webinar_no_longer_offered_cannot_be_chosen(advisor, webinar):
    _update(advisor, webinar, active=False)
    trainer = f.trainer_user(f.CompanyFactory())
    client = Client()
    client.force_login(trainer)
    page = client.get("/gelijke-kansen/webinars/").content.decode()
    assert f'value="{webinar.pk}"' not in page


def test_sbb_adds_a_webinar_that_trainers_can_then_choose(advisor):
    before = Webinar.objects.count()
    webinar = services.create_webinar(
        acting_user=advisor,
        title="  Inclusief werven  ",
        description="Werven zonder drempels.",
        source_url="https://www.s-bb.nl/bedrijven/webinars/inclusief-werven",
    )
    assert Webinar.objects.count() == before + 1
    assert webinar.title == "Inclusief werven" and webinar.active
    assert webinar.position > max(
        Webinar.objects.exclude(pk=webinar.pk).values_list("position", flat=True)
    )
    row = AuditLog.objects.get(event_type=AuditEvent.WEBINAR_CREATED.value)
    assert row.actor == advisor and row.object_id == str(webinar.pk)
    assert row.details["source_url"].endswith("/inclusief-werven")
    from stagekans.equalchances import selectors

    assert webinar in selectors.active_webinars()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "objectief OORDELEN"}, "title"),  # exists already (any case)
        ({"title": " "}, "title"),
        ({"source_url": "http://www.s-bb.nl/x"}, "source_url"),
        ({"source_url": ""}, "source_url"),
    ],
)
def test_a_new_webinar_with_bad_input_writes_nothing(advisor, values, field):
    before = (Webinar.objects.count(), AuditLog.objects.count())
    fields = {"title": "Nieuw", "description": "", "source_url": LINK} | values
    with pytest.raises(ValidationError) as error:
        services.create_webinar(acting_user=advisor, **fields)
    assert field in error.value.message_dict
    assert (Webinar.objects.count(), AuditLog.objects.count()) == before


def test_only_sbb_adds_webinars(db):
    analyst = f.UserFactory(role=Role.ANALYST)
    with pytest.raises(PermissionDenied):
        services.create_webinar(acting_user=analyst, title="X", description="", source_url=LINK)
    client = Client()
    client.force_login(analyst)
    assert client.get("/gelijke-kansen/webinars/beheer/nieuw/").status_code == 403


def test_new_webinar_page_shows_dutch_errors_and_adds(advisor):
    client = Client()
    client.force_login(advisor)
    listing = client.get("/gelijke-kansen/webinars/beheer/").content.decode()
    assert "/gelijke-kansen/webinars/beheer/nieuw/" in listing
    page = client.get("/gelijke-kansen/webinars/beheer/nieuw/")
    assert page.status_code == 200 and "Nieuw webinar" in page.content.decode()
    bad = client.post(
        "/gelijke-kansen/webinars/beheer/nieuw/",
        {
            "title": "Inclusief werven",
            "description": "",
            "source_url": "http://x.nl",
            "active": "on",
        },
    )
    assert bad.status_code == 400 and "https://" in bad.content.decode()
    assert not Webinar.objects.filter(title="Inclusief werven").exists()
    good = client.post(
        "/gelijke-kansen/webinars/beheer/nieuw/",
        {"title": "Inclusief werven", "description": "", "source_url": LINK, "active": "on"},
    )
    assert good.status_code == 302
    assert Webinar.objects.filter(title="Inclusief werven", active=True).exists()
