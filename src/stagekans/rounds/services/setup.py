"""Setting a round up: create it, add places, open it for preferences, close preferences."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.companies.models import Location
from stagekans.education.models import Programme, Qualification, School, Student
from stagekans.notifications.services import Mail, enqueue_mails
from stagekans.placements.models import Placement
from stagekans.placements.workflow import RUNNING
from stagekans.register.selectors import is_validly_recognised, valid_recognitions
from stagekans.rounds.models import MAX_SEED, MatchingRound, Participant, Place
from stagekans.rounds.services.common import locked, move, require_school_staff, today
from stagekans.rounds.workflow import PlaceSource, ProposingSide, RoundStatus, Strategy

EDITABLE_PLACES = frozenset({RoundStatus.DRAFT, RoundStatus.OPEN})


def validate_settings(
    *,
    school: School,
    name: str,
    programmes: Sequence[Programme],
    period_start: dt.date,
    period_end: dt.date,
    strategy: str,
    proposing_side: str,
    seed: int | None,
    max_distance_km: int,
    max_choices: int,
    priority_classes: int,
    preference_deadline: dt.date,
    review_deadline: dt.date,
    publication_date: dt.date,
    acceptance_deadline: dt.date,
) -> dict[str, list[str]]:
    """Every problem with the settings of a round, per field, in Dutch."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not name.strip():
        add("name", _("Geef de ronde een naam."))
    if not programmes:
        add("programmes", _("Kies minstens één opleiding."))
    elif any(p.school_id != school.pk for p in programmes):
        add("programmes", _("U kunt alleen opleidingen van uw eigen school kiezen."))
    if period_end < period_start:
        add("period_end", _("De stage eindigt voor hij begint: kies een latere einddatum."))
    if strategy not in Strategy.values:
        add("strategy", _("Kies een strategie."))
    if proposing_side not in ProposingSide.values:
        add("proposing_side", _("Kies welke kant voorstellen doet."))
    elif proposing_side == ProposingSide.COMPANIES and strategy != Strategy.CENTRAL:
        add(
            "proposing_side",
            _("Leerbedrijven kunnen alleen voorstellen doen bij centrale matching."),
        )
    if seed is not None and not 0 <= seed <= MAX_SEED:
        add("seed", _("Het lotingszaad moet tussen 0 en %(max)s liggen.") % {"max": MAX_SEED})
    if not 1 <= max_distance_km <= 300:
        add("max_distance_km", _("De maximale reisafstand ligt tussen 1 en 300 km."))
    if not 1 <= max_choices <= 20:
        add("max_choices", _("Een student kiest minstens 1 en hoogstens 20 plaatsen."))
    if not 0 <= priority_classes <= 3:
        add("priority_classes", _("Er zijn hoogstens 3 voorrangsklassen."))
    if preference_deadline < today():
        add("preference_deadline", _("De termijn voor voorkeuren ligt in het verleden."))
    if review_deadline < preference_deadline:
        add(
            "review_deadline",
            _("Leerbedrijven beoordelen na de termijn voor voorkeuren, niet ervoor."),
        )
    if publication_date < review_deadline:
        add("publication_date", _("Publiceren kan pas na de beoordeling door leerbedrijven."))
    if acceptance_deadline < publication_date:
        add("acceptance_deadline", _("De termijn om te accepteren ligt voor de publicatie."))
    if acceptance_deadline >= period_start:
        add(
            "acceptance_deadline",
            _("Studenten en leerbedrijven moeten accepteren voordat de stage begint."),
        )
    return errors


def create_round(
    *,
    acting_user: Any,
    school: School,
    name: str,
    programmes: Sequence[Programme],
    period_start: dt.date,
    period_end: dt.date,
    strategy: str,
    proposing_side: str = ProposingSide.STUDENTS,
    tie_breaking: str = "stb",
    seed: int | None = None,
    max_distance_km: int = 30,
    max_choices: int = 5,
    priority_classes: int = 0,
    favour_support_needs: bool = False,
    preference_deadline: dt.date,
    review_deadline: dt.date,
    publication_date: dt.date,
    acceptance_deadline: dt.date,
    cohort: int | None = None,
    parent: MatchingRound | None = None,
) -> MatchingRound:
    """A new round in draft. The seed is drawn (and recorded) when none is given."""
    errors = validate_settings(
        school=school,
        name=name,
        programmes=programmes,
        period_start=period_start,
        period_end=period_end,
        strategy=strategy,
        proposing_side=proposing_side,
        seed=seed,
        max_distance_km=max_distance_km,
        max_choices=max_choices,
        priority_classes=priority_classes,
        preference_deadline=preference_deadline,
        review_deadline=review_deadline,
        publication_date=publication_date,
        acceptance_deadline=acceptance_deadline,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        round_ = MatchingRound(
            school=school,
            name=name.strip(),
            cohort=cohort,
            period_start=period_start,
            period_end=period_end,
            strategy=strategy,
            proposing_side=proposing_side,
            tie_breaking=tie_breaking,
            seed=secrets.randbelow(MAX_SEED + 1) if seed is None else seed,
            max_distance_km=max_distance_km,
            max_choices=max_choices,
            priority_classes=priority_classes,
            favour_support_needs=favour_support_needs,
            preference_deadline=preference_deadline,
            review_deadline=review_deadline,
            publication_date=publication_date,
            acceptance_deadline=acceptance_deadline,
            parent=parent,
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        require_school_staff(acting_user, round_)
        round_.save()
        round_.programmes.set(programmes)
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_CREATED,
            obj=round_,
            details={
                "strategy": strategy,
                "seed": round_.seed,
                "programmes": [p.pk for p in programmes],
                "parent": parent.pk if parent else None,
            },
        )
    return round_


def _round_qualifications(round_: MatchingRound) -> set[int]:
    return set(round_.programmes.values_list("qualification_id", flat=True))


def _company_features(company_id: int) -> int:
    from stagekans.stagemarkt.models import CompanyProfile

    profile = CompanyProfile.objects.filter(company_id=company_id).first()
    return profile.features if profile else 0


def add_network_place(
    *,
    acting_user: Any,
    round_: MatchingRound,
    location: Location,
    qualification: Qualification,
    capacity: int,
    title: str = "",
) -> Place:
    """A place at a company of the school's own network: the company must be validly
    recognised for the qualification on the first day of the period."""
    require_school_staff(acting_user, round_)
    if qualification.pk not in _round_qualifications(round_):
        raise ValidationError(
            {"qualification": _("Deze kwalificatie hoort niet bij de opleidingen van de ronde.")}
        )
    if not 1 <= capacity <= 500:
        raise ValidationError({"capacity": _("Het aantal plaatsen ligt tussen 1 en 500.")})
    company = location.company
    if not is_validly_recognised(company, qualification.pk, on=round_.period_start):
        raise ValidationError(
            {
                "location": _(
                    "%(company)s is op %(date)s niet erkend voor %(qualification)s; alleen "
                    "erkende leerbedrijven doen mee."
                )
                % {
                    "company": company.name,
                    "date": round_.period_start.strftime("%d-%m-%Y"),
                    "qualification": qualification.title,
                }
            }
        )
    with transaction.atomic():
        round_ = locked(round_)
        if round_.status not in EDITABLE_PLACES:
            raise ValidationError(_("Plaatsen toevoegen kan alleen voordat de ronde sluit."))
        place = Place.objects.create(
            round=round_,
            company=company,
            location=location,
            qualification=qualification,
            source=PlaceSource.NETWORK,
            title=(title.strip() or f"{qualification.title} — {location.place}")[:200],
            capacity=capacity,
            features=_company_features(company.pk),
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_PLACES_ADDED,
            obj=round_,
            details={"source": PlaceSource.NETWORK.value, "place": place.pk, "count": 1},
        )
    return place


def add_vacancy_places(*, acting_user: Any, round_: MatchingRound) -> int:
    """Add every published Stagemarkt vacancy for the round's qualifications and leerwegen whose
    period overlaps the round's, from validly recognised companies; set-based. Returns how many
    were added (vacancies already in the round are skipped)."""
    from stagekans.stagemarkt.models import Vacancy
    from stagekans.stagemarkt.workflow import VacancyStatus

    require_school_staff(acting_user, round_)
    pairs = list(round_.programmes.values_list("qualification_id", "leerweg"))
    if not pairs:
        return 0
    match = Q()
    for qualification_id, leerweg in pairs:
        match |= Q(qualification_id=qualification_id, leerweg=leerweg)
    recognised = valid_recognitions(on=round_.period_start).filter(
        company_id=OuterRef("company_id"),
        qualification_id=OuterRef("qualification_id"),
    )
    with transaction.atomic():
        round_ = locked(round_)
        if round_.status not in EDITABLE_PLACES:
            raise ValidationError(_("Plaatsen toevoegen kan alleen voordat de ronde sluit."))
        already = Place.objects.filter(round=round_, vacancy__isnull=False).values("vacancy_id")
        vacancies = (
            Vacancy.objects.filter(match, status=VacancyStatus.PUBLISHED)
            .filter(start_date__lte=round_.period_end, end_date__gte=round_.period_start)
            .filter(Exists(recognised))
            .exclude(pk__in=already)
            .values_list("pk", "company_id", "location_id", "qualification_id", "title",
                         "places", "features")
        )  # fmt: skip
        rows = [
            Place(
                round=round_,
                vacancy_id=pk,
                company_id=company_id,
                location_id=location_id,
                qualification_id=qualification_id,
                source=PlaceSource.VACANCY,
                title=title[:200],
                capacity=max(1, places),
                features=features,
            )
            for pk, company_id, location_id, qualification_id, title, places, features in vacancies
        ]
        Place.objects.bulk_create(rows, batch_size=2000)
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_PLACES_ADDED,
            obj=round_,
            details={"source": PlaceSource.VACANCY.value, "count": len(rows)},
        )
    return len(rows)


def open_round(*, acting_user: Any, round_: MatchingRound) -> int:
    """Draft → open: the cohort's students (minus those with a running placement in the period)
    become participants, set-based, and get a mail. A follow-up round keeps its participants.
    Returns the number of participants."""
    require_school_staff(acting_user, round_)
    with transaction.atomic():
        round_ = locked(round_)
        if round_.status == RoundStatus.DRAFT and round_.preference_deadline < today():
            raise ValidationError(_("De termijn voor voorkeuren is al voorbij; pas hem eerst aan."))
        if not Place.objects.filter(round=round_, active=True).exists():
            raise ValidationError(_("Voeg eerst plaatsen toe: de ronde heeft er nog geen."))
        if round_.parent_id is None:
            students = Student.objects.filter(programme__in=round_.programmes.all())
            if round_.cohort:
                students = students.filter(cohort=round_.cohort)
            busy = Placement.objects.filter(
                status__in=list(RUNNING),
                start_date__lte=round_.period_end,
                end_date__gte=round_.period_start,
            ).values("student_id")
            ids = list(students.exclude(pk__in=busy).values_list("pk", flat=True))
            Participant.objects.bulk_create(
                [Participant(round=round_, student_id=pk) for pk in ids],
                batch_size=5000,
                ignore_conflicts=True,
            )
        count = Participant.objects.filter(round=round_).count()
        if count == 0:
            raise ValidationError(_("Er zijn geen studenten zonder stage in dit cohort."))
        move(acting_user, round_, RoundStatus.OPEN, participants=count)
        round_.opened_at = timezone.now()
        round_.save(update_fields=["opened_at"])
        mails = [
            Mail(
                to=email,
                subject=_("Kies je stageplaatsen: %(name)s") % {"name": round_.name},
                body=_(
                    "De matchingronde '%(name)s' is open. Kies tot en met %(deadline)s de "
                    "stageplaatsen die je wilt, in volgorde van voorkeur. Log in op Stagekans "
                    "en ga naar Mijn matchingrondes."
                )
                % {
                    "name": round_.name,
                    "deadline": round_.preference_deadline.strftime("%d-%m-%Y"),
                },
                dedup_key=f"round:{round_.pk}:open:{pk}",
            )
            for pk, email in Participant.objects.filter(round=round_, student__user__isnull=False)
            .values_list("pk", "student__user__email")
            .iterator(chunk_size=5000)
            if email
        ]
        enqueue_mails(mails)
    return count


def set_priority_class(*, acting_user: Any, participant: Participant, priority_class: int) -> None:
    round_ = participant.round
    require_school_staff(acting_user, round_)
    if not 0 <= priority_class <= round_.priority_classes:
        raise ValidationError(
            {
                "priority_class": _("Kies een voorrangsklasse van 0 tot en met %(n)s.")
                % {"n": round_.priority_classes}
            }
        )
    with transaction.atomic():
        round_ = locked(round_)
        if round_.status not in {RoundStatus.DRAFT, RoundStatus.OPEN, RoundStatus.REVIEW}:
            raise ValidationError(_("Voorrang geven kan alleen voordat de matching draait."))
        Participant.objects.filter(pk=participant.pk).update(priority_class=priority_class)
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_PRIORITY_SET,
            obj=participant,
            details={"priority_class": priority_class},
        )


def close_preferences(*, acting_user: Any, round_: MatchingRound) -> None:
    """Open → review: students can no longer change their ranking; companies are told to review."""
    from stagekans.companies.models import Trainer

    require_school_staff(acting_user, round_)
    with transaction.atomic():
        round_ = locked(round_)
        move(acting_user, round_, RoundStatus.REVIEW)
        company_ids = Place.objects.filter(round=round_, active=True).values("company_id")
        mails = [
            Mail(
                to=email,
                subject=_("Beoordeel kandidaten: %(name)s") % {"name": round_.name},
                body=_(
                    "In de matchingronde '%(name)s' van %(school)s hebben studenten uw "
                    "plaatsen gekozen. Beoordeel de geanonimiseerde kandidaten tot en met "
                    "%(deadline)s in Stagekans (Matchingrondes)."
                )
                % {
                    "name": round_.name,
                    "school": round_.school.name,
                    "deadline": round_.review_deadline.strftime("%d-%m-%Y"),
                },
                dedup_key=f"round:{round_.pk}:review:{pk}",
            )
            for pk, email in Trainer.objects.filter(company_id__in=company_ids).values_list(
                "pk", "user__email"
            )
            if email
        ]
        enqueue_mails(mails)
