from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.core.identifiers import validate_brin, validate_crebo, validate_postcode
from stagekans.geo.places import Province


class Sector(models.TextChoices):
    """The eight SBB sectors into which mbo qualifications fall."""

    ZORG = "zorg", _("Zorg, welzijn en sport")
    TECHNIEK = "techniek", _("Techniek en gebouwde omgeving")
    ECONOMIE = "economie", _("Economie en administratie")
    ICT = "ict", _("ICT en creatieve industrie")
    HANDEL = "handel", _("Handel")
    MOBILITEIT = "mobiliteit", _("Mobiliteit, transport, logistiek en maritiem")
    VAKMANSCHAP = "vakmanschap", _("Specialistisch vakmanschap")
    VOEDSEL = "voedsel", _("Voedsel, groen en gastvrijheid")


class Leerweg(models.TextChoices):
    BOL = "BOL", _("BOL (beroepsopleidende leerweg)")
    BBL = "BBL", _("BBL (beroepsbegeleidende leerweg)")


class Qualification(models.Model):
    """An mbo qualification (kwalificatie), identified by its crebo code."""

    crebo = models.CharField(_("crebocode"), max_length=5, unique=True, validators=[validate_crebo])
    title = models.CharField(_("naam"), max_length=200)
    niveau = models.PositiveSmallIntegerField(
        _("niveau"),
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        choices=[(n, str(n)) for n in range(1, 5)],
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)

    class Meta:
        verbose_name = _("kwalificatie")
        verbose_name_plural = _("kwalificaties")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(niveau__gte=1, niveau__lte=4), name="qualification_niveau_1_4"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (crebo {self.crebo}, niveau {self.niveau})"


class School(models.Model):
    """An mbo institution, identified by its BRIN code."""

    name = models.CharField(_("naam"), max_length=200)
    brin = models.CharField(_("BRIN-code"), max_length=6, unique=True, validators=[validate_brin])
    place = models.CharField(_("plaats"), max_length=100)
    province = models.CharField(_("provincie"), max_length=2, choices=Province.choices)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A qualification offered by a school in a leerweg (BOL/BBL)."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("school")
    )
    qualification = models.ForeignKey(
        Qualification,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("kwalificatie"),
    )
    leerweg = models.CharField(_("leerweg"), max_length=3, choices=Leerweg.choices)

    class Meta:
        verbose_name = _("opleiding")
        verbose_name_plural = _("opleidingen")
        ordering = ["school__name", "qualification__title", "leerweg"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "qualification", "leerweg"], name="programme_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.qualification.title} {self.leerweg}"


class SchoolStaff(models.Model):
    """Links a user to the school whose students they may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="school_staff",
        verbose_name=_("gebruiker"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="staff", verbose_name=_("school")
    )
    function = models.CharField(_("functie"), max_length=100, default="stagecoördinator")

    class Meta:
        verbose_name = _("schoolmedewerker")
        verbose_name_plural = _("schoolmedewerkers")

    def __str__(self) -> str:
        return f"{self.user} ({self.school})"


class Student(models.Model):
    """An mbo student. Minimal personal data; never a BSN."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student",
        verbose_name=_("gebruiker"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="students", verbose_name=_("school")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="students", verbose_name=_("opleiding")
    )
    student_number = models.CharField(_("studentnummer"), max_length=20)
    given_name = models.CharField(_("roepnaam"), max_length=100)
    family_name = models.CharField(_("achternaam"), max_length=150)
    cohort = models.PositiveSmallIntegerField(
        _("cohort"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    date_of_birth = models.DateField(_("geboortedatum"))
    postcode = models.CharField(
        _("postcode woonadres"), max_length=7, validators=[validate_postcode]
    )
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("studenten")
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"], name="student_number_unique_per_school"
            ),
        ]
        indexes = [models.Index(fields=["school", "cohort"])]
        permissions = [
            ("view_own_student_profile", _("Mag het eigen studentprofiel inzien")),
            ("view_all_students", _("Mag studenten van alle scholen inzien")),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class StudentInvitation(models.Model):
    """An invitation for an enrolled student to create their login (issue 9).

    The mail carries a random token; only its SHA-256 hash is stored. It works once, until
    `expires_at`, and only while it is the student's latest invitation (a new one replaces it).
    """

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("student")
    )
    email = models.EmailField(_("e-mailadres"))
    token_hash = models.CharField(_("token (hash)"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verstuurd door"),
    )

    class Meta:
        verbose_name = _("uitnodiging student")
        verbose_name_plural = _("uitnodigingen studenten")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.student} ({self.email})"
