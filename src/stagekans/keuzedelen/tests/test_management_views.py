"""The management pages through the web: forms post to the services, errors come back in Dutch
on the form, and nothing is written when a form is refused."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.test import Client

from stagekans.education.models import School
from stagekans.keuzedelen.checks import TUESDAY, WEDNESDAY
from stagekans.keuzedelen.models import AgreementVersion, CooperationAgreement, Offering
from stagekans.keuzedelen.services import agreements
from stagekans.keuzedelen.workflow import VersionStatus
from stagekans.testing import factories as f
from stagekans.testing.keuzedelen import keuzedeel, network, sign_by_all, terms

pytestmark = pytest.mark.django_db

TERMS = {
    "examiner": "each_own",
    "finance_per_student": "450,00",
    "finance_terms": "Per geplaatste student per periode.",
    "insurance": "Via de eigen instelling.",
    "responsibility": "De gastinstelling tijdens de lesdag.",
    "progress_reporting": "Na elke periode.",
    "attendance_reporting": "Per les in Stagekans.",
    "shared_day": str(WEDNESDAY),
    "absence_threshold_percent": "20",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_coordinator_creates_an_agreement_in_the_form() -> None:
    host = cast(School, f.SchoolFactory(name="Noorderpoort"))
    home = cast(School, f.SchoolFactory(name="Drenthe College"))
    client = _client(f.school_staff_user(home))
    page = client.get("/keuzedelen/samenwerking/nieuw/")
    assert page.status_code == 200
    assert "Noorderpoort" in page.content.decode()
    response = client.post(
        "/keuzedelen/samenwerking/nieuw/",
        {"title": "Pabo Noord", "host": host.pk, "partners": [host.pk, home.pk], **TERMS},
    )
    agreement = CooperationAgreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/keuzedelen/samenwerking/{agreement.pk}/"
    version = agreement.versions.get()
    assert (version.status, version.shared_day, str(version.finance_per_student)) == (
        VersionStatus.SIGNING,
        WEDNESDAY,
        "450.00",
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Versie 1 tekenen namens mijn school" in detail


def test_the_form_refuses_an_agreement_without_the_own_school_and_writes_nothing() -> None:
    host, other, home = (cast(School, f.SchoolFactory()) for _ in range(3))
    client = _client(f.school_staff_user(home))
    response = client.post(
        "/keuzedelen/samenwerking/nieuw/",
        {"title": "Zonder ons", "host": host.pk, "partners": [host.pk, other.pk], **TERMS},
    )
    assert response.status_code == 400
    assert "Uw eigen school moet partner zijn" in response.content.decode()
    response = client.post(
        "/keuzedelen/samenwerking/nieuw/",
        {"title": "Leeg", "host": home.pk, "partners": [home.pk], **TERMS, "insurance": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Verzekering: vul dit in." in body
    assert not CooperationAgreement.objects.exists()


def test_a_partner_proposes_a_new_version_and_the_history_shows_both() -> None:
    net = network()
    agreement = net.version.agreement
    client = _client(net.home_staff)
    form = client.get(f"/keuzedelen/samenwerking/{agreement.pk}/nieuwe-versie/").content.decode()
    assert "Verzekering" in form and "De student blijft verzekerd" in form  # pre-filled
    response = client.post(
        f"/keuzedelen/samenwerking/{agreement.pk}/nieuwe-versie/",
        {
            **TERMS,
            "partners": [net.host.pk, net.home.pk],
            "finance_per_student": "500",
            "change_summary": "Vergoeding naar 500 euro.",
        },
    )
    assert response.status_code == 302
    v2 = AgreementVersion.objects.get(agreement=agreement, version=2)
    assert v2.status == VersionStatus.SIGNING
    host_view = _client(net.host_staff).get(f"/keuzedelen/samenwerking/{agreement.pk}/")
    body = host_view.content.decode()
    assert "Vergoeding naar 500 euro." in body
    assert "Versie 2 tekenen namens mijn school" in body
    assert "getekend en geldig" in body  # version 1 still in force, in the history
    # While version 2 is being signed, no third version can be proposed.
    again = client.get(f"/keuzedelen/samenwerking/{agreement.pk}/nieuwe-versie/")
    assert 'data-testid="signing-pending"' in again.content.decode()


def test_the_host_withdraws_a_version_being_signed() -> None:
    net = network(signed=False)
    agreement = net.version.agreement
    url = f"/keuzedelen/samenwerking/{agreement.pk}/versie/1/intrekken/"
    _client(net.home_staff).post(url, {"reason": "Niet van ons."})
    net.version.refresh_from_db()
    assert net.version.status == VersionStatus.SIGNING
    response = _client(net.host_staff).post(url, {"reason": "Tekstfout in de verzekering."})
    assert response.status_code == 302
    net.version.refresh_from_db()
    assert net.version.status == VersionStatus.WITHDRAWN


def test_the_host_offers_changes_and_closes_an_offering_in_the_forms() -> None:
    net = network()
    agreement = net.version.agreement
    client = _client(net.host_staff)
    entry = keuzedeel(title="Gebarentaal in de zorg")
    start = dt.date.today() + dt.timedelta(days=10)
    data = {
        "keuzedeel": entry.pk,
        "location_name": "Campus Zernike",
        "place": "Groningen",
        "weekdays": [str(TUESDAY)],
        "start_date": start.isoformat(),
        "end_date": start.isoformat(),
        "places": "0",
        "min_niveau": "2",
        "entry_conditions": "",
    }
    url = f"/keuzedelen/samenwerking/{agreement.pk}/aanbod/nieuw/"
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Aantal plaatsen: vul een getal in van minstens 1." in refused.content.decode()
    data["places"] = "8"
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "De einddatum moet na de begindatum liggen." in refused.content.decode()
    assert not Offering.objects.filter(keuzedeel=entry).exists()
    data["end_date"] = (start + dt.timedelta(days=90)).isoformat()
    response = client.post(url, data, follow=True)
    offering = Offering.objects.get(keuzedeel=entry)
    assert offering.weekdays == TUESDAY and offering.places == 8
    body = response.content.decode()
    assert "niet de gezamenlijke lesdag" in body  # a warning, not a refusal
    assert "Aanbod wijzigen" in body

    edit = f"/keuzedelen/aanbod/{offering.pk}/wijzigen/"
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {**data, "weekdays": [str(WEDNESDAY)], "places": "12", "keuzedeel": ""}
    )
    assert response.status_code == 302
    offering.refresh_from_db()
    assert (offering.weekdays, offering.places) == (WEDNESDAY, 12)

    close = f"/keuzedelen/aanbod/{offering.pk}/sluiten/"
    assert client.post(close, {"reason": ""}).status_code == 400
    assert client.post(close, {"reason": "Geen docent beschikbaar."}).status_code == 302
    offering.refresh_from_db()
    assert not offering.published
    # The host still sees it (closed); a partner coordinator no longer does.
    assert (
        "Geen docent beschikbaar."
        in client.get(f"/keuzedelen/aanbod/{offering.pk}/").content.decode()
    )
    assert _client(net.home_staff).get(f"/keuzedelen/aanbod/{offering.pk}/").status_code == 404


def test_the_other_school_sees_a_new_offering_in_the_catalogue() -> None:
    net = network()
    entry = keuzedeel(title="Duurzaamheid in het beroep")
    start = dt.date.today() + dt.timedelta(days=10)
    _client(net.host_staff).post(
        f"/keuzedelen/samenwerking/{net.version.agreement_id}/aanbod/nieuw/",
        {
            "keuzedeel": entry.pk,
            "location_name": "Campus Zernike",
            "place": "Groningen",
            "weekdays": [str(WEDNESDAY)],
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=60)).isoformat(),
            "places": "5",
            "min_niveau": "1",
        },
    )
    catalogue = _client(net.home_staff).get("/keuzedelen/").content.decode()
    assert "Duurzaamheid in het beroep" in catalogue


def test_the_agreement_list_and_page_do_not_query_per_agreement_or_version(
    django_assert_max_num_queries,
) -> None:
    net = network()
    staff = {net.host.pk: net.host_staff, net.home.pk: net.home_staff}
    client = _client(net.home_staff)
    client.get("/keuzedelen/samenwerking/")  # warm the session and permission caches
    with django_assert_max_num_queries(12) as one:
        client.get("/keuzedelen/samenwerking/")
    for n in range(4):
        version = agreements.create_agreement(
            acting_user=net.home_staff,
            title=f"Extra {n}",
            host=net.host,
            partners=[net.host, net.home],
            terms=terms(),
        )
        sign_by_all(version, staff)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "Extra 3" in client.get("/keuzedelen/samenwerking/").content.decode()
    agreement = net.version.agreement
    for n in range(3):
        v = agreements.propose_version(
            acting_user=net.host_staff,
            agreement=agreement,
            partners=[net.host, net.home],
            terms=terms(),
            change_summary=f"Wijziging {n}.",
        )
        sign_by_all(v, staff)
    with django_assert_max_num_queries(30) as detail:
        client.get(f"/keuzedelen/samenwerking/{agreement.pk}/")
    v = agreements.propose_version(
        acting_user=net.host_staff,
        agreement=agreement,
        partners=[net.host, net.home],
        terms=terms(),
        change_summary="Nog een.",
    )
    sign_by_all(v, staff)
    with django_assert_max_num_queries(len(detail.captured_queries)):
        client.get(f"/keuzedelen/samenwerking/{agreement.pk}/")
