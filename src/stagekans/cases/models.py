"""Investigation cases (zaken) of SBB: hoor en wederhoor, decision, measure and objection.

A case is opened from one or more reports (Report.case points here), from a signal, or by an
SBB officer. It holds an anonymised summary and, only for reporters who consented, their
identity in `CaseReporter` — for SBB's eyes only, never for the company or the school.
`status` is a pointer to the latest row of the append-only `CaseStatusChange` history; only
cases.services change either (see cases/workflow.py for the transition table).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.cases.workflow import CaseStatus
from stagekans.core.append_only import AppendOnlyTrigger
from stagekans.core.models import AppendOnlyModel, StatusHistoryRow
from stagekans.core.storage import private_storage, random_upload_name

__all__ = [
    "Case",
    "CaseDecision",
    "CaseMessage",
    "CaseReporter",
    "CaseRevocation",
    "CaseSource",
    "CaseStatus",
    "CaseStatusChange",
    "DecisionOutcome",
    "HearingAttachment",
    "HearingRequest",
    "HearingResponse",
    "InvestigationTeam",
    "InvestigationTeamMember",
    "InvestigationTeamSector",
    "Measure",
    "Objection",
    "Party",
]


class CaseSource(models.TextChoices):
    REPORTS = "reports", _("meldingen")
    SIGNAL = "signal", _("signaal")
    OFFICER = "officer", _("SBB-medewerker")


class InvestigationTeam(models.Model):
    """An SBB investigation team with its own queue of unassigned cases.

    Routing rule (docs/adr/0900-investigation-teams.md): a new case goes to the team that covers
    its company's sector (InvestigationTeamSector: a sector belongs to at most one team); a case
    whose company is unknown or whose sector no team covers goes to the default team. With no
    teams configured at all a case has no team and every investigator's queue shows it.
    """

    name = models.CharField(_("naam"), max_length=100, unique=True)
    is_default = models.BooleanField(
        _("standaardteam"),
        default=False,
        help_text=_("Krijgt de zaken waarvan de sector bij geen enkel team hoort."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("onderzoeksteam")
        verbose_name_plural = _("onderzoeksteams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_investigation_team",
            )
        ]

    def __str__(self) -> str:
        return self.name


class InvestigationTeamSector(models.Model):
    """A sector whose cases the team investigates; a sector belongs to one team at most."""

    team = models.ForeignKey(
        InvestigationTeam, on_delete=models.CASCADE, related_name="sectors", verbose_name=_("team")
    )
    sector = models.CharField(_("sector"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("sector van onderzoeksteam")
        verbose_name_plural = _("sectoren van onderzoeksteams")
        ordering = ["sector"]

    def __str__(self) -> str:
        return f"{self.team}: {self.sector}"


class InvestigationTeamMember(models.Model):
    """An SBB officer's team (one team per officer). Membership gives no rights: the role does
    (investigators pick up from their team's queue; the team lead assigns within the team)."""

    team = models.ForeignKey(
        InvestigationTeam, on_delete=models.CASCADE, related_name="members", verbose_name=_("team")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="investigation_team_membership",
        verbose_name=_("medewerker"),
    )

    class Meta:
        verbose_name = _("lid van onderzoeksteam")
        verbose_name_plural = _("leden van onderzoeksteams")

    def __str__(self) -> str:
        return f"{self.team}: {self.user}"


class Case(models.Model):
    team = models.ForeignKey(
        InvestigationTeam,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("onderzoeksteam"),
    )
    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("leerbedrijf"),
    )
    company_name = models.CharField(
        _("naam bedrijf (niet in register)"), max_length=200, blank=True
    )
    summary = models.TextField(_("geanonimiseerde samenvatting"))
    status = models.CharField(
        _("status"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    source = models.CharField(
        _("bron"), max_length=10, choices=CaseSource.choices, default=CaseSource.REPORTS
    )
    school = models.ForeignKey(
        "education.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("betrokken school (gekozen door SBB)"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("onderzoeker"),
    )
    reporter_identity_shared = models.BooleanField(
        _("identiteit melder gedeeld"),
        default=False,
        help_text=_("Alleen waar waar de melder uitdrukkelijk toestemming gaf."),
    )
    created_at = models.DateTimeField(_("geopend op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geopend door"),
    )

    class Meta:
        verbose_name = _("onderzoekszaak")
        verbose_name_plural = _("onderzoekszaken")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["team", "assigned_to", "status"], name="case_team_queue"),
        ]
        permissions = [
            ("investigate_case", _("Mag toegewezen onderzoekszaken behandelen")),
            ("view_team_cases", _("Mag alle onderzoekszaken van het team inzien en toewijzen")),
            (
                "pick_up_case",
                _("Mag niet-toegewezen onderzoekszaken van het team inzien en oppakken"),
            ),
            ("respond_to_hearing", _("Mag namens bedrijf of school reageren op hoor en wederhoor")),
        ]

    def __str__(self) -> str:
        return str(self.number)

    @property
    def number(self) -> str:
        """The case number used in letters and mails, e.g. SBB-2026-00042."""
        year = self.created_at.year if self.created_at else 0
        return f"SBB-{year}-{self.pk:05d}"

    @property
    def company_label(self) -> str:
        return self.company.name if self.company is not None else self.company_name


class CaseReporter(models.Model):
    """A reporter's identity, present only when that reporter consented to share it with SBB."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reporters", verbose_name=_("zaak")
    )
    report_reference = models.CharField(_("meldingsnummer"), max_length=8)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("melder in zaak")
        verbose_name_plural = _("melders in zaak")

    def __str__(self) -> str:
        return f"{self.case}: {self.report_reference}"


class CaseStatusChange(StatusHistoryRow):
    """Append-only status history; Case.status points at the latest row."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="history", verbose_name=_("zaak")
    )
    from_status = models.CharField(_("van"), max_length=30, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=30, choices=CaseStatus.choices)
    reason = models.TextField(_("reden"), blank=True)

    class Meta:
        verbose_name = _("statuswijziging zaak")
        verbose_name_plural = _("statuswijzigingen zaken")
        ordering = ["at", "id"]
        # A free-text reason may name the reporter: case retention may blank it.
        triggers = [AppendOnlyTrigger(erasable=["reason"])]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_status} → {self.to_status}"


class Party(models.TextChoices):
    COMPANY = "company", _("leerbedrijf")
    SCHOOL = "school", _("school")
    STUDENT = "student", _("student (melder)")


class HearingRequest(models.Model):
    """A formal request to one party to give its side (hoor en wederhoor), with a deadline."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="hearings", verbose_name=_("zaak")
    )
    party = models.CharField(_("partij"), max_length=10, choices=Party.choices)
    school = models.ForeignKey(
        "education.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school"),
    )
    reporter = models.ForeignKey(
        CaseReporter,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("melder"),
    )
    questions = models.TextField(_("vragen aan de partij"))
    sent_on = models.DateField(_("verstuurd op"))
    deadline = models.DateField(_("reageren uiterlijk op"), db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(_("gereageerd op"), null=True, blank=True)
    reminded_for = models.DateField(
        _("herinnerd voor termijn"),
        null=True,
        blank=True,
        help_text=_("De termijn waarvoor al een herinnering is verstuurd."),
    )

    class Meta:
        verbose_name = _("verzoek hoor en wederhoor")
        verbose_name_plural = _("verzoeken hoor en wederhoor")
        ordering = ["sent_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("sent_on")),
                name="hearing_deadline_after_sent",
            ),
            models.CheckConstraint(
                condition=~models.Q(party="school") | models.Q(school__isnull=False),
                name="hearing_school_party_has_school",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_party_display()}"

    @property
    def party_label(self) -> str:
        if self.party == Party.SCHOOL and self.school is not None:
            return f"{self.get_party_display()} ({self.school.name})"
        return str(self.get_party_display())


class HearingResponse(models.Model):
    hearing = models.ForeignKey(
        HearingRequest,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("verzoek"),
    )
    statement = models.TextField(_("reactie"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_sbb = models.BooleanField(
        _("vastgelegd door SBB"),
        default=False,
        help_text=_("Bijvoorbeeld een mondelinge reactie van de student."),
    )
    created_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("reactie hoor en wederhoor")
        verbose_name_plural = _("reacties hoor en wederhoor")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.hearing}: {self.created_at:%Y-%m-%d}"


def _attachment_path(instance: HearingAttachment, filename: str) -> str:
    """Old, guessable layout; only referenced by migration history (see 0005)."""
    return f"zaken/{instance.response.hearing.case_id}/{filename}"


class HearingAttachment(models.Model):
    response = models.ForeignKey(
        HearingResponse,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("reactie"),
    )
    # Random name in private storage; served only by the permission-checked view.
    file = models.FileField(
        _("bestand"), upload_to=random_upload_name, storage=private_storage, max_length=200
    )
    content_type = models.CharField(_("bestandstype"), max_length=50)
    size = models.PositiveIntegerField(_("grootte in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("bijlage bij reactie")
        verbose_name_plural = _("bijlagen bij reacties")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.file.name)

    @property
    def download_name(self) -> str:
        extension = str(self.file.name).rsplit(".", 1)[-1]
        return f"reactie-{self.response_id}-bijlage-{self.pk}.{extension}"


class DecisionOutcome(models.TextChoices):
    ESTABLISHED = "established", _("discriminatie vastgesteld")
    NOT_ESTABLISHED = "not_established", _("discriminatie niet vastgesteld")
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("onvoldoende bewijs")


class Measure(models.TextChoices):
    REVOCATION = "revocation", _("intrekking van de erkenning")
    IMPROVEMENT = "improvement", _("verbeterafspraak")
    NONE = "none", _("geen maatregel")


class CaseDecision(AppendOnlyModel):
    """A decision; append-only. After an objection a new decision (another officer) follows."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("zaak")
    )
    outcome = models.CharField(_("besluit"), max_length=30, choices=DecisionOutcome.choices)
    reasons = models.TextField(_("motivering"))
    measure = models.CharField(_("maatregel"), max_length=20, choices=Measure.choices)
    improvement_terms = models.TextField(_("verbeterafspraak"), blank=True)
    follow_up_on = models.DateField(_("controle verbeterafspraak op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("besloten op"))
    objection_deadline = models.DateField(_("bezwaar uiterlijk op"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("besluit in zaak")
        verbose_name_plural = _("besluiten in zaken")
        ordering = ["created_at", "id"]
        triggers = [AppendOnlyTrigger()]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(measure="revocation") | models.Q(outcome="established"),
                name="decision_revocation_only_if_established",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_outcome_display()}"


class CaseRevocation(models.Model):
    """Links a decision to the register's four-eyes revocation request(s) it started."""

    decision = models.ForeignKey(CaseDecision, on_delete=models.PROTECT, related_name="revocations")
    revocation = models.OneToOneField(
        "register.RevocationRequest", on_delete=models.PROTECT, related_name="case_link"
    )

    class Meta:
        verbose_name = _("intrekking vanuit zaak")
        verbose_name_plural = _("intrekkingen vanuit zaken")

    def __str__(self) -> str:
        return f"{self.decision} → {self.revocation_id}"


class Objection(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="objections", verbose_name=_("zaak")
    )
    decision = models.OneToOneField(
        CaseDecision, on_delete=models.PROTECT, related_name="objection"
    )
    received_on = models.DateField(_("bezwaar ontvangen op"))
    grounds = models.TextField(_("gronden van het bezwaar"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bezwaar")
        verbose_name_plural = _("bezwaren")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case}: bezwaar {self.received_on}"


class CaseMessage(models.Model):
    """A message from SBB to one party of the case, stored here and mailed through the outbox."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="messages", verbose_name=_("zaak")
    )
    party = models.CharField(_("aan"), max_length=10, choices=Party.choices)
    school = models.ForeignKey(
        "education.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("onderwerp"), max_length=150)
    body = models.TextField(_("bericht"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.PositiveIntegerField(_("aantal ontvangers"), default=0)
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("bericht in zaak")
        verbose_name_plural = _("berichten in zaken")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case}: {self.subject}"
