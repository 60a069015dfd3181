"""Reports of internship discrimination (meldingen).

Privacy by design: the grounds are part of the report (the meldpunt needs them), but whatever
identifies the reporter lives apart — `ReporterContact` and the user/student links — so the
retention job can erase it and leave an anonymised report for statistics. No IP address or
other request metadata is stored for any report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagekans.core.append_only import AppendOnlyTrigger
from stagekans.core.models import StatusHistoryRow
from stagekans.core.storage import private_storage, random_upload_name
from stagekans.education.models import Sector
from stagekans.geo.places import Province
from stagekans.meldpunt.workflow import ReportStatus


class Ground(models.TextChoices):
    """Grounds of the Algemene wet gelijke behandeling, plus disability / chronic illness
    (Wet gelijke behandeling handicap of chronische ziekte) and age (Wet gelijke behandeling
    op grond van leeftijd)."""

    ORIGIN = "origin", _("Afkomst, huidskleur of 'ras'")
    NATIONALITY = "nationality", _("Nationaliteit")
    RELIGION = "religion", _("Godsdienst")
    BELIEF = "belief", _("Levensovertuiging")
    POLITICAL = "political", _("Politieke gezindheid")
    SEX = "sex", _("Geslacht (ook zwangerschap)")
    GENDER_IDENTITY = (
        "gender_identity",
        _("Genderidentiteit, genderexpressie of geslachtskenmerken"),
    )
    SEXUAL_ORIENTATION = "sexual_orientation", _("Seksuele gerichtheid (hetero, homo, bi)")
    CIVIL_STATUS = "civil_status", _("Burgerlijke staat")
    DISABILITY = "disability", _("Handicap of chronische ziekte")
    AGE = "age", _("Leeftijd")


class Phase(models.TextChoices):
    RECRUITMENT = "recruitment", _("Bij het zoeken van een stage (werving en selectie)")
    DURING = "during", _("Tijdens de stage")


class FollowUp(models.TextChoices):
    REGISTER_ONLY = "register_only", _("Alleen registreren")
    SUPPORT = "support", _("Ik wil steun of advies")
    INVESTIGATION = "investigation", _("Ik wil dat SBB het leerbedrijf onderzoekt")


class ReporterRole(models.TextChoices):
    STUDENT = "student", _("Het overkwam mij (student)")
    WITNESS = "witness", _("Ik zag of hoorde het (getuige)")
    SCHOOL_STAFF = "school_staff", _("Ik meld namens een student (schoolmedewerker)")


class Report(models.Model):
    reference = models.CharField(
        _("meldingsnummer"),
        max_length=8,
        unique=True,
        help_text=_("Openbaar nummer; het geheime deel van de ontvangstcode staat nergens."),
    )
    receipt_code_hash = models.CharField(_("hash van de ontvangstcode"), max_length=200, blank=True)
    reporter_role = models.CharField(_("melder"), max_length=20, choices=ReporterRole.choices)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meldpunt_reports",
        verbose_name=_("ingelogde melder"),
    )
    on_behalf_of = models.ForeignKey(
        "education.Student",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("namens student"),
    )
    school = models.ForeignKey(
        "education.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("school"),
    )
    what_happened = models.TextField(_("wat is er gebeurd"))
    occurred_on = models.DateField(_("wanneer"))
    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("leerbedrijf uit het register"),
    )
    company_name = models.CharField(_("naam bedrijf"), max_length=200, blank=True)
    vacancy_description = models.CharField(_("vacature"), max_length=300, blank=True)
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    follow_up = models.CharField(_("gewenste opvolging"), max_length=20, choices=FollowUp.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    province = models.CharField(_("provincie"), max_length=2, choices=Province.choices, blank=True)
    consent_share_identity_with_sbb = models.BooleanField(
        _("toestemming identiteit delen met SBB"), default=False
    )
    consent_share_identity_with_school = models.BooleanField(
        _("toestemming identiteit delen met school"), default=False
    )
    status = models.CharField(
        _("status"), max_length=30, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("ontvangen op"), default=timezone.now, db_index=True)
    reply_due_on = models.DateField(_("reactie uiterlijk op"), db_index=True)
    first_reply_at = models.DateTimeField(_("eerste reactie op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    referral_organisation = models.CharField(_("doorverwezen naar"), max_length=200, blank=True)
    referral_contact = models.TextField(_("contactgegevens ondersteuning"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_reports",
        verbose_name=_("onderzoekszaak"),
    )
    contact_erased_at = models.DateTimeField(_("contactgegevens gewist op"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "reply_due_on"])]
        permissions = [
            ("triage_report", _("Mag meldingen beoordelen en doorzetten")),
            ("view_report_statistics", _("Mag meldingscijfers inzien (alleen geaggregeerd)")),
            ("file_report_on_behalf", _("Mag namens een student een melding doen")),
            ("view_own_reports", _("Mag eigen meldingen inzien")),
        ]

    def __str__(self) -> str:
        return f"Melding {self.reference}"

    @property
    def company_label(self) -> str:
        return self.company.name if self.company is not None else self.company_name


class ReportGround(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="grounds", verbose_name=_("melding")
    )
    ground = models.CharField(_("grond"), max_length=30, choices=Ground.choices)

    class Meta:
        verbose_name = _("discriminatiegrond")
        verbose_name_plural = _("discriminatiegronden")
        constraints = [
            models.UniqueConstraint(fields=["report", "ground"], name="report_ground_unique")
        ]

    def __str__(self) -> str:
        return self.get_ground_display()


class ReporterContact(models.Model):
    """How to reach the reporter. Erased by the retention job; never shared without consent."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="contact", verbose_name=_("melding")
    )
    name = models.CharField(_("naam"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contactgegevens melder")
        verbose_name_plural = _("contactgegevens melders")

    def __str__(self) -> str:
        return f"Contact {self.report.reference}"


class ReportStatusChange(StatusHistoryRow):
    """Append-only history of a report's status; Report.status points at the latest row."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="history", verbose_name=_("melding")
    )
    from_status = models.CharField(
        _("van"), max_length=30, choices=ReportStatus.choices, blank=True
    )
    to_status = models.CharField(_("naar"), max_length=30, choices=ReportStatus.choices)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("statuswijziging melding")
        verbose_name_plural = _("statuswijzigingen meldingen")
        ordering = ["at", "id"]
        # Staff notes may name the reporter: retention blanks them (erase_free_text).
        triggers = [AppendOnlyTrigger(erasable=["note"])]

    def __str__(self) -> str:
        return f"{self.report.reference}: {self.from_status} → {self.to_status}"


class MessageSender(models.TextChoices):
    MELDPUNT = "meldpunt", _("Meldpunt")
    REPORTER = "reporter", _("Melder")


class ReportMessage(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="messages", verbose_name=_("melding")
    )
    sender = models.CharField(_("afzender"), max_length=10, choices=MessageSender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )
    body = models.TextField(_("bericht"))
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("bericht bij melding")
        verbose_name_plural = _("berichten bij meldingen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report.reference}: {self.get_sender_display()}"


def _attachment_path(instance: ReportAttachment, filename: str) -> str:
    """Old, guessable layout; only referenced by migration history (see 0004)."""
    return f"meldpunt/{instance.report.reference}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("melding")
    )
    # Random name in private storage, never the reporter's own file name or the report number;
    # served only by the permission-checked, audited view (core/storage.py).
    file = models.FileField(
        _("bestand"), upload_to=random_upload_name, storage=private_storage, max_length=200
    )
    content_type = models.CharField(_("bestandstype"), max_length=50)
    size = models.PositiveIntegerField(_("grootte in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("bijlage bij melding")
        verbose_name_plural = _("bijlagen bij meldingen")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.file.name)

    @property
    def download_name(self) -> str:
        extension = str(self.file.name).rsplit(".", 1)[-1]
        return f"melding-{self.report.reference}-bijlage-{self.pk}.{extension}"
