from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site around the domains: the home page per role, the about, privacy, accessibility
    and help pages, the error pages and the API's URL root. It reads from every domain, so it
    sits on top of them; `core` stays the ground that imports none."""

    name = "stagekans.portal"
    verbose_name = _("Portaal")
