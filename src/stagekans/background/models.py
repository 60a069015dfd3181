"""Voluntary, consented background statements of students (AVG art. 9 data), stored apart.

One row per student per attribute (herkomst, disability, gender), each with its own consent
time. A row is linked to the student only by a keyed pseudonym (HMAC of the student id with
BACKGROUND_PSEUDONYM_KEY, see background/pseudonym.py), never by a foreign key: this table alone
says nothing about who declared what. Withdrawing consent deletes the row. Only
background.services write it; only background.selectors read it, and outside the student's own
page only as aggregates (docs/adr/1300-background-apart.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Attribute(models.TextChoices):
    HERKOMST = "herkomst", _("herkomst")
    DISABILITY = "disability", _("beperking of chronische ziekte")
    GENDER = "gender", _("gender")


class Herkomst(models.TextChoices):
    """CBS classification by origin (herkomst), in use since 2022, with its sub-categories.

    The value stored is the sub-category; the main group (Nederland / Europa / buiten Europa) is
    derived by HERKOMST_GROUP.
    """

    NEDERLAND = "nl", _("Nederland")
    EU = "eu", _("Europa: een ander EU-land")
    EUROPE_OTHER = "europe_other", _("Europa: overig Europa (buiten de EU, ook Turkije)")
    AFRICA = "africa", _("Buiten Europa: Afrika (ook Marokko)")
    AMERICAS = "americas", _("Buiten Europa: Amerika (ook Suriname en het Caribisch gebied)")
    ASIA = "asia", _("Buiten Europa: Azië (ook Indonesië)")
    OCEANIA = "oceania", _("Buiten Europa: Oceanië")


class HerkomstGroup(models.TextChoices):
    NEDERLAND = "nl", _("Nederland")
    EUROPE = "europe", _("Europa (exclusief Nederland)")
    OUTSIDE_EUROPE = "outside_europe", _("Buiten Europa")


HERKOMST_GROUP: dict[str, str] = {
    Herkomst.NEDERLAND: HerkomstGroup.NEDERLAND,
    Herkomst.EU: HerkomstGroup.EUROPE,
    Herkomst.EUROPE_OTHER: HerkomstGroup.EUROPE,
    Herkomst.AFRICA: HerkomstGroup.OUTSIDE_EUROPE,
    Herkomst.AMERICAS: HerkomstGroup.OUTSIDE_EUROPE,
    Herkomst.ASIA: HerkomstGroup.OUTSIDE_EUROPE,
    Herkomst.OCEANIA: HerkomstGroup.OUTSIDE_EUROPE,
}


class Disability(models.TextChoices):
    YES = "yes", _("Ja, ik heb een beperking of chronische ziekte")
    NO = "no", _("Nee")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Vrouw")
    MAN = "man", _("Man")
    OTHER = "other", _("Anders / non-binair")


VALUES: dict[str, type[models.TextChoices]] = {
    Attribute.HERKOMST: Herkomst,
    Attribute.DISABILITY: Disability,
    Attribute.GENDER: Gender,
}


class BackgroundStatement(models.Model):
    pseudonym = models.CharField(_("pseudoniem"), max_length=64, db_index=True)
    attribute = models.CharField(_("kenmerk"), max_length=12, choices=Attribute.choices)
    value = models.CharField(_("waarde"), max_length=20)
    consented_at = models.DateTimeField(_("toestemming gegeven op"))
    consent_text_version = models.PositiveSmallIntegerField(_("versie toestemmingstekst"))

    class Meta:
        verbose_name = _("opgegeven achtergrond")
        verbose_name_plural = _("opgegeven achtergronden")
        constraints = [
            models.UniqueConstraint(
                fields=["pseudonym", "attribute"], name="background_one_statement_per_attribute"
            ),
        ]
        # No view permission is granted to any role: there is no per-person screen for others.
        default_permissions = ()
        permissions = [
            ("state_own_background", _("Mag de eigen achtergrond vrijwillig opgeven")),
        ]

    def __str__(self) -> str:
        return f"{self.get_attribute_display()} ({self.pk})"
