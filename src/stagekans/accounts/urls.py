from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn_views

from stagekans.accounts import admin_views, views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("tweede-stap/", views.otp_verify, name="otp_verify"),
    path("tweede-stap/instellen/", views.otp_setup, name="otp_setup"),
    path("beveiliging/", views.security, name="security"),
    path(
        "beveiliging/sleutel-toegevoegd/",
        views.security_key_registered,
        name="security_key_registered",
    ),
    path(
        "beveiliging/sleutels/<int:pk>/verwijderen/",
        views.security_key_remove,
        name="security_key_remove",
    ),
    # JSON endpoints of django-otp-webauthn's browser scripts (registration needs a verified
    # session when the user has any factor; verification is part of the second step).
    path(
        "sleutel/registreren/begin/",
        webauthn_views.BeginCredentialRegistrationView.as_view(),
        name="security_key_register_begin",
    ),
    path(
        "sleutel/registreren/klaar/",
        views.CompleteSecurityKeyRegistrationView.as_view(),
        name="security_key_register_complete",
    ),
    path(
        "sleutel/verifieren/begin/",
        webauthn_views.BeginCredentialAuthenticationView.as_view(),
        name="security_key_verify_begin",
    ),
    path(
        "sleutel/verifieren/klaar/",
        views.CompleteSecurityKeyVerificationView.as_view(),
        name="security_key_verify_complete",
    ),
    path(
        "sleutel/teksten.js",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="security_key_js_catalog",
    ),
    path("wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "wachtwoord/gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("rollen/", admin_views.role_grants, name="role_grants"),
    path("rollen/<int:pk>/besluit/", admin_views.decide_role_grant, name="decide_role_grant"),
    path("blokkades/", admin_views.lockouts, name="lockouts"),
]
