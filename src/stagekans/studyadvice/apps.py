from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyadviceConfig(AppConfig):
    name = "stagekans.studyadvice"
    verbose_name = _("Studieadvies")
