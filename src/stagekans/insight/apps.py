from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "stagekans.insight"
    verbose_name = _("Inzicht en signalen")

    def ready(self) -> None:
        from stagekans.applications.hooks import on_applications_changed
        from stagekans.insight.facts import on_students_changed, on_vacancy_changed
        from stagekans.placements.hooks import on_placements_changed
        from stagekans.stagemarkt.hooks import on_vacancy_changed as register_vacancy_changed

        # The student-year facts follow every change, in the transaction of the change.
        on_applications_changed(on_students_changed)
        on_placements_changed(on_students_changed)
        register_vacancy_changed(on_vacancy_changed)
