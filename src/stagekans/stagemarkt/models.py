from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Company, Location
from stagekans.education.models import Leerweg, Qualification, Sector
from stagekans.stagemarkt.workflow import VacancyStatus


class Feature(models.IntegerChoices):
    """Voluntary inclusivity features; each is one bit, so a set of them is one integer."""

    BEGELEIDING_OP_MAAT = 1, _("Begeleiding op maat")
    FYSIEKE_TOEGANKELIJKHEID = 2, _("Fysieke toegankelijkheid")
    PARTTIME_MOGELIJK = 4, _("Parttime mogelijk")
    PRIKKELARME_WERKPLEK = 8, _("Prikkelarme werkplek")


# Short, stable keys for URLs and the API (?kenmerken=begeleiding&kenmerken=prikkelarm).
FEATURE_KEYS: dict[str, Feature] = {
    "begeleiding": Feature.BEGELEIDING_OP_MAAT,
    "toegankelijk": Feature.FYSIEKE_TOEGANKELIJKHEID,
    "parttime": Feature.PARTTIME_MOGELIJK,
    "prikkelarm": Feature.PRIKKELARME_WERKPLEK,
}
ALL_FEATURES = sum(Feature.values)


def features_to_mask(keys: list[str] | tuple[str, ...] | set[str]) -> int:
    return sum(FEATURE_KEYS[key] for key in set(keys))


def mask_to_features(mask: int) -> list[Feature]:
    return [feature for feature in Feature if mask & feature]


def mask_to_keys(mask: int) -> list[str]:
    return [key for key, feature in FEATURE_KEYS.items() if mask & feature]


class CompanyProfile(models.Model):
    """What a learning company voluntarily tells students about inclusivity."""

    company = models.OneToOneField(
        Company,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stagemarkt_profile",
        verbose_name=_("leerbedrijf"),
    )
    features = models.PositiveSmallIntegerField(
        _("inclusiviteitskenmerken"), default=0, validators=[MaxValueValidator(ALL_FEATURES)]
    )
    inclusivity_text = models.TextField(
        _("inclusiviteit in eigen woorden"),
        blank=True,
        max_length=4000,
        help_text=_("Vertel studenten hoe u zorgt dat iedereen welkom is (vrijwillig)."),
    )

    class Meta:
        verbose_name = _("stagemarktprofiel")
        verbose_name_plural = _("stagemarktprofielen")

    def __str__(self) -> str:
        return str(self.company)

    @property
    def feature_list(self) -> list[Feature]:
        return mask_to_features(self.features)


# Non-key columns of the search indexes (PostgreSQL; SQLite ignores INCLUDE, see settings).
SEARCH_INDEX_INCLUDE = [
    "id",
    "company",
    "end_date",
    "start_date",
    "search_features",
    "niveau",
    "leerweg",
    "sector",
    "published_at",
]


class Vacancy(models.Model):
    """An internship vacancy (stageplaats) of a learning company at one of its locations.

    The columns under "search" are copies (of the location, the qualification and the company
    profile) kept in step by stagemarkt.services, so a national search reads one table.
    """

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("leerbedrijf")
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("vestiging")
    )
    qualification = models.ForeignKey(
        Qualification,
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("kwalificatie"),
    )
    leerweg = models.CharField(_("leerweg"), max_length=3, choices=Leerweg.choices)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), max_length=10000)
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"))
    days_per_week = models.PositiveSmallIntegerField(
        _("dagen per week"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    allowance = models.DecimalField(
        _("stagevergoeding per maand (€)"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    places = models.PositiveSmallIntegerField(
        _("aantal plaatsen"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    features = models.PositiveSmallIntegerField(
        _("inclusiviteitskenmerken"), default=0, validators=[MaxValueValidator(ALL_FEATURES)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)

    # search: denormalised copies, written only by stagemarkt.services
    niveau = models.PositiveSmallIntegerField(_("niveau"))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))
    place = models.CharField(_("plaats"), max_length=100)
    search_features = models.PositiveSmallIntegerField(
        _("kenmerken van vacature en leerbedrijf"), default=0
    )

    class Meta:
        verbose_name = _("vacature")
        verbose_name_plural = _("vacatures")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="vacancy_period",
            ),
            models.CheckConstraint(
                condition=models.Q(days_per_week__gte=1, days_per_week__lte=5),
                name="vacancy_days_per_week_1_5",
            ),
        ]
        indexes = [
            # crebo + radius searches: equality on qualification and status, range on latitude.
            # Both include every column the search filters, sorts or counts on, so PostgreSQL
            # answers the search (stagemarkt/search_sql.py) from the index alone.
            models.Index(
                fields=["qualification", "status", "latitude", "longitude"],
                include=SEARCH_INDEX_INCLUDE,
                name="vacancy_search_qual_geo",
            ),
            # radius searches without a qualification.
            models.Index(
                fields=["status", "latitude", "longitude"],
                include=SEARCH_INDEX_INCLUDE,
                name="vacancy_search_geo",
            ),
            models.Index(fields=["company", "status"], name="vacancy_company_status"),
        ]
        permissions = [
            ("publish_vacancy", _("Mag vacatures publiceren, vervullen en intrekken")),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.company})"

    @property
    def feature_list(self) -> list[Feature]:
        return mask_to_features(self.features)

    @property
    def all_features(self) -> list[Feature]:
        return mask_to_features(self.search_features)
