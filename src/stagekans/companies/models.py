from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.core.identifiers import validate_kvk, validate_postcode
from stagekans.education.models import Sector
from stagekans.geo.places import Province


class SizeClass(models.TextChoices):
    MICRO = "1-9", _("1–9 medewerkers")
    SMALL = "10-49", _("10–49 medewerkers")
    MEDIUM = "50-249", _("50–249 medewerkers")
    LARGE = "250+", _("250 of meer medewerkers")


class Company(models.Model):
    """A learning company (leerbedrijf), identified by its KvK number."""

    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, unique=True, validators=[validate_kvk]
    )
    name = models.CharField(_("naam"), max_length=200)
    sbi_code = models.CharField(
        _("SBI-code"),
        max_length=10,
        blank=True,
        help_text=_("Standaard Bedrijfsindeling van het CBS, bv. 86.10"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    size_class = models.CharField(_("grootteklasse"), max_length=10, choices=SizeClass.choices)
    website = models.URLField(_("website"), blank=True)
    # How a student reaches the company from a vacancy; the company chooses what is public.
    contact_name = models.CharField(_("contactpersoon"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mailadres voor studenten"), blank=True)
    contact_phone = models.CharField(_("telefoonnummer voor studenten"), max_length=20, blank=True)
    publish_contact_email = models.BooleanField(_("e-mailadres tonen bij vacatures"), default=False)
    publish_contact_phone = models.BooleanField(
        _("telefoonnummer tonen bij vacatures"), default=False
    )
    how_to_apply = models.TextField(
        _("zo solliciteer je"),
        blank=True,
        max_length=2000,
        help_text=_("Wat een student moet sturen of doen, bv. 'Stuur een korte motivatie'."),
    )

    class Meta:
        verbose_name = _("leerbedrijf")
        verbose_name_plural = _("leerbedrijven")
        ordering = ["name"]
        permissions = [("view_all_companies", _("Mag alle leerbedrijven inzien"))]
        # Serves lists sorted by company name with keyset pagination (register list).
        indexes = [models.Index(fields=["name", "id"], name="company_name_id")]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """An address where a company trains students (vestiging)."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="locations", verbose_name=_("leerbedrijf")
    )
    name = models.CharField(_("naam vestiging"), max_length=200, blank=True)
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.CharField(_("huisnummer"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[validate_postcode])
    place = models.CharField(_("plaats"), max_length=100)
    province = models.CharField(_("provincie"), max_length=2, choices=Province.choices)
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))

    class Meta:
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")
        ordering = ["company__name", "place"]
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.place}"


class Trainer(models.Model):
    """A praktijkopleider or company administrator: a user linked to one company."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="trainer",
        verbose_name=_("gebruiker"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="trainers", verbose_name=_("leerbedrijf")
    )
    is_company_admin = models.BooleanField(_("bedrijfsbeheerder"), default=False)

    class Meta:
        verbose_name = _("praktijkopleider")
        verbose_name_plural = _("praktijkopleiders")

    def __str__(self) -> str:
        return f"{self.user} ({self.company})"
