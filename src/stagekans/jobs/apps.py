from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "stagekans.jobs"
    label = "jobs"
    verbose_name = "Achtergrondtaken"
