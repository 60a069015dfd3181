from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.geo.places import Province


class PostcodeArea(models.Model):
    """Centroid of a 4-digit postcode area (PC4), used for 'postcode + radius' searches.

    Filled by `manage.py load_postcode_areas` from a PC4 file (e.g. CBS/PDOK) or, for places
    without such a file, from the coordinates of the place a registered address lies in.
    """

    pc4 = models.CharField(_("postcodegebied"), max_length=4, primary_key=True)
    place = models.CharField(_("plaats"), max_length=100)
    province = models.CharField(_("provincie"), max_length=2, choices=Province.choices)
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))

    class Meta:
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")
        ordering = ["pc4"]

    def __str__(self) -> str:
        return f"{self.pc4} {self.place}"
