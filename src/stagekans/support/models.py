"""School signals, the expert team (deskundig team) and the referral directory (verwijsgids).

Privacy by design: a school signal belongs to its school; only counts leave it (for SBB,
suppressed). The student is named on a signal only when the school chooses to, and becomes part
of a meldpunt report only with the student's recorded consent (`SignalConsent`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.core.append_only import AppendOnlyTrigger
from stagekans.core.models import StatusHistoryRow
from stagekans.geo.places import Province
from stagekans.meldpunt.models import Phase
from stagekans.support.workflow import SupportRequestStatus


class SignalOutcome(models.TextChoices):
    NO_CONVERSATION_YET = "no_conversation_yet", _("Nog geen gesprek met het bedrijf")
    COMPANY_ADJUSTS = "company_adjusts", _("Bedrijf herkent het en past de werkwijze aan")
    COMPANY_DISPUTES = "company_disputes", _("Bedrijf herkent het niet")
    NO_RESPONSE = "no_response", _("Bedrijf reageert niet")
    RESOLVED = "resolved", _("Opgelost voor de student")


class SchoolSignal(models.Model):
    """What school staff saw or heard about a company, the talk with it and how it ended."""

    school = models.ForeignKey(
        "education.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="school_signals",
        verbose_name=_("leerbedrijf"),
    )
    student = models.ForeignKey(
        "education.Student",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("student"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    observed = models.TextField(_("wat is er gezien of gehoord"))
    observed_on = models.DateField(_("wanneer"))
    grounds = models.JSONField(_("discriminatiegronden"), default=list, blank=True)
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    conversation = models.TextField(_("gesprek met het bedrijf"), blank=True)
    conversation_on = models.DateField(_("datum gesprek"), null=True, blank=True)
    outcome = models.CharField(
        _("uitkomst"),
        max_length=30,
        choices=SignalOutcome.choices,
        default=SignalOutcome.NO_CONVERSATION_YET,
    )
    report = models.OneToOneField(
        "meldpunt.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="school_signal",
        verbose_name=_("melding bij het meldpunt"),
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    # Closed by the school when nothing more is to be done; from then on the retention period
    # (SCHOOL_SIGNAL_RETENTION_DAYS) runs, after which the texts and the student are erased.
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("signaal van school")
        verbose_name_plural = _("signalen van scholen")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["school", "created_at"]),
            # The retention job's search: closed, not yet anonymised.
            models.Index(
                fields=["closed_at"],
                name="signal_retention_due",
                condition=models.Q(closed_at__isnull=False, anonymised_at__isnull=True),
            ),
        ]
        permissions = [
            ("log_school_signal", _("Mag signalen over leerbedrijven vastleggen (eigen school)")),
            (
                "view_signal_counts",
                _("Mag aantallen signalen per leerbedrijf inzien (afgeschermd)"),
            ),
        ]

    def __str__(self) -> str:
        return f"Signaal {self.pk} ({self.company_id})"


class ConsentGivenBy(models.TextChoices):
    STUDENT = "student", _("De student zelf")
    GUARDIAN = "guardian", _("Ouder of wettelijk vertegenwoordiger (student jonger dan 18)")


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Mondeling in een gesprek")
    IN_WRITING = "in_writing", _("Schriftelijk (ondertekend)")
    EMAIL = "email", _("Per e-mail")
    PHONE = "phone", _("Telefonisch")


class SignalConsent(models.Model):
    """The student's consent to turn a signal into a report: who, when and how.

    `share_identity`: the student may be named to the meldpunt (otherwise the report is filed
    anonymously on the student's behalf); `share_identity_with_sbb`: SBB may learn the name too,
    if the meldpunt forwards the report for investigation.
    """

    signal = models.OneToOneField(
        SchoolSignal, on_delete=models.CASCADE, related_name="consent", verbose_name=_("signaal")
    )
    given_by = models.CharField(
        _("toestemming gegeven door"), max_length=20, choices=ConsentGivenBy.choices
    )
    method = models.CharField(_("hoe"), max_length=20, choices=ConsentMethod.choices)
    given_on = models.DateField(_("wanneer"))
    share_identity = models.BooleanField(_("naam van de student delen met het meldpunt"))
    share_identity_with_sbb = models.BooleanField(_("naam van de student delen met SBB"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("toestemming van de student")
        verbose_name_plural = _("toestemmingen van studenten")

    def __str__(self) -> str:
        return f"Toestemming signaal {self.signal_id}"


# --- expert team ------------------------------------------------------------------------------


class SupportTopic(models.TextChoices):
    RECRUITMENT = "recruitment", _("Werving en selectie zonder vooroordelen")
    INCIDENT = "incident", _("Een voorval van discriminatie")
    SOCIAL_SAFETY = "social_safety", _("Sociale veiligheid op de werkvloer")
    STUDENT_GUIDANCE = "student_guidance", _("Begeleiding van een student")
    POLICY = "policy", _("Beleid voor gelijke kansen")
    OTHER = "other", _("Iets anders")


class Urgency(models.TextChoices):
    LOW = "low", _("Kan een paar weken wachten")
    NORMAL = "normal", _("Binnen een week")
    HIGH = "high", _("Zo snel mogelijk")


class RequesterKind(models.TextChoices):
    SCHOOL = "school", _("School")
    COMPANY = "company", _("Leerbedrijf")


class SupportRequest(models.Model):
    """A school or company asks the expert team for support."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aanvrager"),
    )
    requester_kind = models.CharField(_("namens"), max_length=10, choices=RequesterKind.choices)
    school = models.ForeignKey(
        "education.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school"),
    )
    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("leerbedrijf"),
    )
    topic = models.CharField(_("onderwerp"), max_length=30, choices=SupportTopic.choices)
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices)
    description = models.TextField(_("omschrijving"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SupportRequestStatus.choices,
        default=SupportRequestStatus.NEW,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("behandeld door"),
    )
    created_at = models.DateTimeField(_("ingediend op"), db_index=True)
    taken_at = models.DateTimeField(_("opgepakt op"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("eerste advies op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("hulpvraag aan het deskundig team")
        verbose_name_plural = _("hulpvragen aan het deskundig team")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(requester_kind="school", school__isnull=False, company__isnull=True)
                    | models.Q(requester_kind="company", company__isnull=False, school__isnull=True)
                ),
                name="support_request_one_requester",
            )
        ]
        permissions = [
            ("request_support", _("Mag het deskundig team om ondersteuning vragen")),
            ("handle_support_request", _("Mag hulpvragen oppakken en advies vastleggen")),
            (
                "view_support_overview",
                _("Mag het overzicht van hulpvragen inzien (alleen geaggregeerd)"),
            ),
        ]

    def __str__(self) -> str:
        return f"Hulpvraag {self.pk}"

    @property
    def requester_label(self) -> str:
        if self.company_id and self.company is not None:
            return self.company.name
        return self.school.name if self.school is not None else ""


class SupportRequestStatusChange(StatusHistoryRow):
    """Append-only history of a request's status; SupportRequest.status is the latest row."""

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="history",
        verbose_name=_("hulpvraag"),
    )
    from_status = models.CharField(
        _("van"), max_length=20, choices=SupportRequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("naar"), max_length=20, choices=SupportRequestStatus.choices)

    class Meta:
        verbose_name = _("statuswijziging hulpvraag")
        verbose_name_plural = _("statuswijzigingen hulpvragen")
        ordering = ["at", "id"]
        triggers = [AppendOnlyTrigger()]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


class EntryKind(models.TextChoices):
    ADVICE = "advice", _("Advies")
    FOLLOW_UP = "follow_up", _("Opvolging")


class SupportEntry(models.Model):
    """Advice or follow-up logged by a team member; the requester reads it."""

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("hulpvraag"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=EntryKind.choices)
    body = models.TextField(_("tekst"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("advies of opvolging")
        verbose_name_plural = _("adviezen en opvolging")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.get_kind_display()}"


# --- referral directory -----------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    ANTI_DISCRIMINATION = "adv", _("Antidiscriminatievoorziening")
    SCHOOL_CONFIDANT = "school_confidant", _("Vertrouwenspersoon van de school")
    HUMAN_RIGHTS = "human_rights", _("College voor de Rechten van de Mens")
    POLICE = "police", _("Politie")
    OTHER = "other", _("Andere ondersteuning")


class SupportOrganisation(models.Model):
    """One entry of the referral directory (verwijsgids), kept up to date by the importer."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("naam"), max_length=200)
    region = models.CharField(_("werkgebied"), max_length=200, blank=True)
    municipalities = models.JSONField(_("gemeenten"), default=list, blank=True)
    province = models.CharField(_("provincie"), max_length=2, choices=Province.choices, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("wat zij doen"), blank=True)
    active = models.BooleanField(_("actief"), default=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        verbose_name = _("ondersteunende organisatie")
        verbose_name_plural = _("verwijsgids")
        ordering = ["kind", "name"]
        permissions = [
            ("import_support_organisations", _("Mag de verwijsgids importeren")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_lines(self) -> list[str]:
        lines = []
        if self.phone:
            lines.append(f"Telefoon: {self.phone}")
        if self.email:
            lines.append(f"E-mail: {self.email}")
        if self.website:
            lines.append(f"Website: {self.website}")
        return lines


class ReportReferral(models.Model):
    """A meldpunt report referred to an organisation of the directory (one step, audited)."""

    report = models.ForeignKey(
        "meldpunt.Report",
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("melding"),
    )
    organisation = models.ForeignKey(
        SupportOrganisation,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("organisatie"),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("doorverwezen door"),
    )
    referred_at = models.DateTimeField(_("doorverwezen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("doorverwijzing")
        verbose_name_plural = _("doorverwijzingen")
        ordering = ["-referred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.organisation_id}"
