from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from stagekans.accounts.views import admin_login_redirect
from stagekans.core import health

admin.site.site_header = _("Stagekans beheer")
admin.site.site_title = _("Stagekans beheer")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("stagekans.portal.urls")),
    path("account/", include("stagekans.accounts.urls")),
    path("", include("stagekans.education.urls")),
    path("bedrijven/", include("stagekans.companies.urls")),
    path("erkenningen/", include("stagekans.register.urls")),
    path("register/", include("stagekans.register.public_urls")),
    path("taken/", include("stagekans.worklist.urls")),
    path("stagemarkt/", include("stagekans.stagemarkt.urls")),
    path("sollicitaties/", include("stagekans.applications.urls")),
    path("meldpunt/", include("stagekans.meldpunt.urls")),
    path("onderzoek/", include("stagekans.cases.urls")),
    path("voorlichting/", include("stagekans.voorlichting.urls")),
    path("informatiepakket/", include("stagekans.informatiepakket.urls")),
    path("inzicht/", include("stagekans.insight.urls")),
    path("mijn-achtergrond/", include("stagekans.background.urls")),
    path("gelijke-kansen/", include("stagekans.equalchances.urls")),
    path("steun/", include("stagekans.support.urls")),
    path("matchingrondes/", include("stagekans.rounds.urls")),
    path("keuzedelen/", include("stagekans.keuzedelen.urls")),
    path("studieadvies/", include("stagekans.studyadvice.urls")),
    path("uitgaande-mail/", include("stagekans.notifications.urls")),
    path("stages/", include("stagekans.placements.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # /beheer/ logs in through the app's own login (lockout, second factor), never its own form.
    path("beheer/login/", admin_login_redirect),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("stagekans.portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

handler403 = "stagekans.portal.views.error_403"
handler404 = "stagekans.portal.views.error_404"
handler500 = "stagekans.portal.views.error_500"
# MEDIA is deliberately not served, not even with DEBUG: uploads with personal data live in
# private storage and leave only through permission-checked, audited views (core/storage.py).
