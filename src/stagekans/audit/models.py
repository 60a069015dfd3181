from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.core.append_only import AppendOnlyTrigger
from stagekans.core.models import AppendOnlyModel


class AuditEvent(models.TextChoices):
    """Every auditable event type. Add new members here; never reuse a value."""

    USER_CREATED = "user.created", _("Gebruiker aangemaakt")
    USER_ROLE_CHANGED = "user.role_changed", _("Rol van gebruiker gewijzigd")
    USER_UPDATED = "user.updated", _("Gebruiker gewijzigd in beheer")
    ROLE_GRANT_REQUESTED = "role_grant.requested", _("Gevoelige rol aangevraagd")
    ROLE_GRANT_APPROVED = "role_grant.approved", _("Gevoelige rol goedgekeurd (vier ogen)")
    ROLE_GRANT_REFUSED = "role_grant.refused", _("Aanvraag gevoelige rol afgewezen")
    LOGIN_SUCCEEDED = "login.succeeded", _("Ingelogd")
    LOGIN_FAILED = "login.failed", _("Inloggen mislukt")
    LOGIN_LOCKED_OUT = "login.locked_out", _("Inloggen geblokkeerd na te veel pogingen")
    LOGIN_UNLOCKED = "login.unlocked", _("Geblokkeerde inlog vrijgegeven")
    LOGGED_OUT = "login.logged_out", _("Uitgelogd")
    SECOND_FACTOR_VERIFIED = "second_factor.verified", _("Tweede stap geverifieerd")
    SECOND_FACTOR_FAILED = "second_factor.failed", _("Tweede stap mislukt")
    SECOND_FACTOR_REGISTERED = "second_factor.registered", _("Tweede stap ingesteld")
    RECOVERY_CODES_ISSUED = "second_factor.recovery_codes", _("Herstelcodes aangemaakt")
    SECURITY_KEY_REGISTERED = "second_factor.key_registered", _("Beveiligingssleutel toegevoegd")
    SECURITY_KEY_REMOVED = "second_factor.key_removed", _("Beveiligingssleutel verwijderd")
    PASSWORD_CHANGED = "password.changed", _("Wachtwoord gewijzigd")
    PASSWORD_RESET_DONE = "password.reset", _("Wachtwoord hersteld via e-mail")
    SCHOOL_CREATED = "school.created", _("School aangemaakt")
    SCHOOL_UPDATED = "school.updated", _("School gewijzigd")
    SCHOOL_STAFF_ADDED = "school.staff_added", _("Medewerker aan school gekoppeld")
    QUALIFICATION_CREATED = "qualification.created", _("Kwalificatie aangemaakt")
    QUALIFICATION_UPDATED = "qualification.updated", _("Kwalificatie gewijzigd")
    PROGRAMME_CREATED = "programme.created", _("Opleiding aangemaakt")
    POSTCODE_AREAS_LOADED = "geo.postcode_areas_loaded", _("Postcodegebieden geladen")
    OUTBOX_MESSAGE_VIEWED = "notifications.outbox_viewed", _("Uitgaande e-mail ingezien")
    COMPANY_CONTACT_UPDATED = "company.contact_updated", _("Contactgegevens leerbedrijf gewijzigd")
    STUDENT_CREATED = "student.created", _("Student ingeschreven")
    STUDENT_UPDATED = "student.updated", _("Student gewijzigd")
    STUDENT_VIEWED = "student.viewed", _("Studentgegevens ingezien")
    COMPANY_CREATED = "company.created", _("Leerbedrijf aangemaakt")
    COMPANY_UPDATED = "company.updated", _("Leerbedrijf gewijzigd")
    LOCATION_CREATED = "location.created", _("Vestiging toegevoegd")
    LOCATION_UPDATED = "location.updated", _("Vestiging gewijzigd")
    TRAINER_ADDED = "trainer.added", _("Praktijkopleider toegevoegd")
    RECOGNITION_REQUESTED = "recognition.requested", _("Erkenning aangevraagd")
    RECOGNITION_GRANTED = "recognition.granted", _("Erkenning verleend")
    RECOGNITION_REVOKED = "recognition.revoked", _("Erkenning ingetrokken")
    RECOGNITION_EXPIRED = "recognition.expired", _("Erkenning verlopen")
    RECOGNITION_REVOCATION_REQUESTED = (
        "recognition.revocation_requested",
        _("Intrekking erkenning voorgesteld"),
    )
    RECOGNITION_REVOCATION_REJECTED = (
        "recognition.revocation_rejected",
        _("Voorstel tot intrekking erkenning afgewezen"),
    )
    SCHOOL_TASK_CREATED = "school_task.created", _("Taak voor school aangemaakt")
    SCHOOL_TASK_DONE = "school_task.done", _("Taak van school afgerond")
    HANDOUT_PUBLISHED = "handout.published", _("Nieuwe versie hand-out gepubliceerd")
    HANDOUT_ISSUED = "handout.issued", _("Hand-out verstrekt aan leerbedrijf")
    HANDOUT_ACKNOWLEDGED = "handout.acknowledged", _("Hand-out als gelezen bevestigd")
    HANDOUT_REMINDED = "handout.reminded", _("Herinnering hand-out verstuurd")
    VACANCY_CREATED = "vacancy.created", _("Vacature aangemaakt")
    VACANCY_UPDATED = "vacancy.updated", _("Vacature gewijzigd")
    VACANCY_PUBLISHED = "vacancy.published", _("Vacature gepubliceerd")
    VACANCY_UNPUBLISHED = "vacancy.unpublished", _("Vacature teruggezet naar concept")
    VACANCY_FILLED = "vacancy.filled", _("Vacature vervuld")
    VACANCY_WITHDRAWN = "vacancy.withdrawn", _("Vacature ingetrokken")
    COMPANY_PROFILE_UPDATED = "company.profile_updated", _("Inclusiviteitsprofiel gewijzigd")
    REPORT_SUBMITTED = "report.submitted", _("Melding ontvangen")
    REPORT_VIEWED = "report.viewed", _("Melding ingezien")
    REPORT_ATTACHMENT_VIEWED = "report.attachment_viewed", _("Bijlage van melding ingezien")
    REPORT_STATUS_CHANGED = "report.status_changed", _("Status van melding gewijzigd")
    REPORT_MESSAGE_SENT = "report.message_sent", _("Bericht bij melding verstuurd")
    REPORT_CONTACT_ERASED = "report.contact_erased", _("Contactgegevens melder gewist")
    CASE_REPORTER_FORGOTTEN = "case.reporter_forgotten", _("Identiteit melder uit zaak verwijderd")
    CASE_OPENED = "case.opened", _("Onderzoekszaak geopend")
    CASE_VIEWED = "case.viewed", _("Onderzoekszaak ingezien")
    CASE_STATUS_CHANGED = "case.status_changed", _("Status van onderzoekszaak gewijzigd")
    CASE_ASSIGNED = "case.assigned", _("Onderzoekszaak toegewezen")
    CASE_PICKED_UP = "case.picked_up", _("Onderzoekszaak opgepakt uit de teamwachtrij")
    CASE_SCHOOL_SELECTED = "case.school_selected", _("School aan onderzoekszaak gekoppeld")
    CASE_HEARING_REQUESTED = "case.hearing_requested", _("Hoor en wederhoor gevraagd")
    CASE_HEARING_DEADLINE_EXTENDED = (
        "case.hearing_deadline_extended",
        _("Termijn hoor en wederhoor verlengd"),
    )
    CASE_HEARING_REMINDED = "case.hearing_reminded", _("Herinnering hoor en wederhoor verstuurd")
    CASE_HEARING_RESPONDED = "case.hearing_responded", _("Reactie hoor en wederhoor ontvangen")
    CASE_DECIDED = "case.decided", _("Besluit in onderzoekszaak genomen")
    CASE_REVOCATION_REQUESTED = "case.revocation_requested", _("Intrekking gevraagd vanuit zaak")
    CASE_OBJECTION_REGISTERED = "case.objection_registered", _("Bezwaar geregistreerd")
    CASE_OBJECTION_FILED_BY_COMPANY = (
        "case.objection_filed_by_company",
        _("Bezwaar gemaakt door leerbedrijf"),
    )
    CASE_MESSAGE_SENT = "case.message_sent", _("Bericht in onderzoekszaak verstuurd")
    HISTORY_ERASED = (
        "history.erased",
        _("Vrije tekst in geschiedenis gewist (bewaartermijn)"),
    )
    VOORLICHTING_PUBLISHED = "voorlichting.published", _("Voorlichtingstekst gepubliceerd")
    VOORLICHTING_ACKNOWLEDGED = "voorlichting.acknowledged", _("Voorlichting gelezen")
    VOORLICHTING_PERIOD_ANNOUNCED = (
        "voorlichting.period_announced",
        _("Stageperiode aangekondigd voor voorlichting"),
    )
    # register import in the background (issue 18)
    REGISTER_IMPORT_QUEUED = "register.import_queued", _("Registerbestand geüpload voor import")
    # placements (issue 11)
    PLACEMENT_CREATED = "placement.created", _("Stage aangemaakt")
    # journeys: investigation teams and student invitations (issue 9)
    INVESTIGATION_TEAM_CREATED = "case.team_created", _("Onderzoeksteam aangemaakt")
    INVESTIGATION_TEAM_MEMBER_SET = "case.team_member_set", _("Lid van onderzoeksteam gewijzigd")
    CASE_ROUTED = "case.routed", _("Zaak naar onderzoeksteam geleid")
    STUDENT_INVITED = "student.invited", _("Student uitgenodigd voor een account")
    STUDENT_INVITATION_ACCEPTED = (
        "student.invitation_accepted",
        _("Uitnodiging aanvaard, account geactiveerd"),
    )
    # placements: supervision and agreements (issue 11)
    PLACEMENT_SUPERVISOR_SET = "placement.supervisor_set", _("Bpv-begeleider van stage gewijzigd")
    PLACEMENT_ACTIVATED = "placement.activated", _("Stage gestart (overeenkomst getekend)")
    PLACEMENT_RECOGNITION_REVOKED = (
        "placement.recognition_revoked",
        _("Stage gemarkeerd: erkenning leerbedrijf ingetrokken"),
    )
    AGREEMENT_DRAFTED = "agreement.drafted", _("Praktijkovereenkomst opgesteld")
    AGREEMENT_CHANGED = "agreement.changed", _("Concept praktijkovereenkomst gewijzigd")
    AGREEMENT_SENT = "agreement.sent", _("Praktijkovereenkomst ter ondertekening verstuurd")
    AGREEMENT_SIGNED = "agreement.signed", _("Praktijkovereenkomst getekend door een partij")
    AGREEMENT_GUARDIAN_RECORDED = (
        "agreement.guardian_recorded",
        _("Handtekening ouder/voogd vastgelegd"),
    )
    AGREEMENT_ACTIVATED = "agreement.activated", _("Praktijkovereenkomst volledig getekend")
    AGREEMENT_SUPERSEDED = "agreement.superseded", _("Praktijkovereenkomst vervangen (bpv-blad)")
    AGREEMENT_WITHDRAWN = "agreement.withdrawn", _("Praktijkovereenkomst ingetrokken")
    CONTACT_LOGGED = "placement.contact_logged", _("Contactmoment bpv-begeleiding vastgelegd")
    CONTACT_REQUESTED = "placement.contact_requested", _("Om contactmoment gevraagd")
    EVALUATION_SUBMITTED = "placement.evaluation_submitted", _("Eindevaluatie stage ingevuld")
    PLACEMENT_OVERDUE_ALERTED = (
        "placement.overdue_alerted",
        _("Bpv-begeleider gewaarschuwd: contactmoment te laat"),
    )
    PLACEMENT_OVERDUE_ESCALATED = (
        "placement.overdue_escalated",
        _("Coördinator gewaarschuwd: contactmoment ruim te laat"),
    )
    # insight and voluntary background (issue 13)
    BACKGROUND_STATED = "background.stated", _("Achtergrond vrijwillig opgegeven (met toestemming)")
    BACKGROUND_WITHDRAWN = "background.withdrawn", _("Toestemming achtergrond ingetrokken, gewist")
    INSIGHT_RECOMPUTED = "insight.recomputed", _("Inzichtcijfers opnieuw berekend")
    INSIGHT_SIGNALS_VIEWED = (
        "insight.signals_viewed",
        _("Lijst met signalen over leerbedrijven bekeken"),
    )
    INSIGHT_SIGNAL_VIEWED = "insight.signal_viewed", _("Signaal over een leerbedrijf bekeken")
    INSIGHT_SURVEY_ANSWERED = "insight.survey_answered", _("Ervaringsvragenlijst ingevuld")
    INSIGHT_PROJECT_REGISTERED = (
        "insight.project_registered",
        _("Onderzoeksproject met gegevensovereenkomst vastgelegd"),
    )
    INSIGHT_EXTRACT_RELEASED = "insight.extract_released", _("Onderzoeksbestand vrijgegeven")
    INSIGHT_EXTRACT_REFUSED = (
        "insight.extract_refused",
        _("Onderzoeksbestand geweigerd (k-anonimiteit niet gehaald)"),
    )
    INSIGHT_EXPORTED = "insight.exported", _("Inzichtcijfers gedownload")
    # equal chances in recruitment, company side (issue 17)
    SELFSCAN_VERSION_DRAFTED = "selfscan.version_drafted", _("Concept zelfscan aangemaakt")
    SELFSCAN_VERSION_EDITED = "selfscan.version_edited", _("Concept zelfscan gewijzigd")
    SELFSCAN_VERSION_PUBLISHED = "selfscan.version_published", _("Versie zelfscan gepubliceerd")
    SELFSCAN_COMPLETED = "selfscan.completed", _("Zelfscan ingevuld")
    RECRUITMENT_POLICY_RECORDED = "policy.recorded", _("Wervingsbeleid vastgelegd")
    RECRUITMENT_POLICY_DOCUMENT_VIEWED = (
        "policy.document_viewed",
        _("Beleidsdocument werving ingezien"),
    )
    WEBINAR_ATTENDANCE_RECORDED = "webinar.recorded", _("Gevolgd webinar vastgelegd")
    WEBINAR_ATTENDANCE_REMOVED = "webinar.removed", _("Gevolgd webinar verwijderd")
    WEBINAR_CHANGED = "webinar.changed", _("Webinar gewijzigd")
    WEBINAR_CREATED = "webinar.created", _("Webinar toegevoegd")
    # school signals, expert team, referral directory (issue 17)
    SCHOOL_SIGNAL_LOGGED = "support.signal_logged", _("Signaal van school vastgelegd")
    SCHOOL_SIGNAL_UPDATED = "support.signal_updated", _("Signaal van school bijgewerkt")
    SCHOOL_SIGNAL_REPORTED = (
        "support.signal_reported",
        _("Signaal van school met toestemming gemeld bij het meldpunt"),
    )
    SCHOOL_SIGNAL_CLOSED = "support.signal_closed", _("Signaal van school afgesloten")
    SCHOOL_SIGNALS_ANONYMISED = (
        "support.signals_anonymised",
        _("Signalen van scholen geanonimiseerd na de bewaartermijn"),
    )
    SUPPORT_REQUEST_SUBMITTED = "support.request_submitted", _("Hulpvraag deskundig team ingediend")
    SUPPORT_REQUEST_STATUS_CHANGED = (
        "support.request_status_changed",
        _("Status hulpvraag deskundig team gewijzigd"),
    )
    SUPPORT_ENTRY_LOGGED = "support.entry_logged", _("Advies of opvolging vastgelegd")
    SUPPORT_DIRECTORY_IMPORTED = "support.directory_imported", _("Verwijsgids geïmporteerd")
    REPORT_REFERRED = "support.report_referred", _("Melding doorverwezen via de verwijsgids")
    # applications (issue 11)
    APPLICATION_SENT = "application.sent", _("Sollicitatie verstuurd")
    APPLICATION_RECOMMENDED = "application.recommended", _("Student aanbevolen (warme match)")
    APPLICATION_SEEN = "application.seen", _("Sollicitatie bekeken door leerbedrijf")
    APPLICATION_INVITED = "application.invited", _("Student uitgenodigd (identiteit zichtbaar)")
    APPLICATION_OFFERED = "application.offered", _("Stageaanbod gedaan")
    APPLICATION_ACCEPTED = "application.accepted", _("Stageaanbod geaccepteerd")
    APPLICATION_DECLINED = "application.declined", _("Stageaanbod afgewezen door student")
    APPLICATION_REJECTED = "application.rejected", _("Sollicitatie afgewezen door leerbedrijf")
    APPLICATION_WITHDRAWN = "application.withdrawn", _("Sollicitatie ingetrokken door student")
    APPLICATION_CLOSED = "application.closed", _("Sollicitatie gesloten")
    APPLICATION_CV_DOWNLOADED = "application.cv_downloaded", _("Cv bij sollicitatie gedownload")
    # matching rounds (issue 12)
    ROUND_CREATED = "round.created", _("Matchingronde aangemaakt")
    ROUND_PLACES_ADDED = "round.places_added", _("Plaatsen aan matchingronde toegevoegd")
    ROUND_STATUS_CHANGED = "round.status_changed", _("Status van matchingronde gewijzigd")
    ROUND_PRIORITY_SET = "round.priority_set", _("Voorrangsklasse in matchingronde gezet")
    ROUND_PREFERENCES_SAVED = "round.preferences_saved", _("Voorkeuren in matchingronde opgeslagen")
    ROUND_PROFILE_SAVED = "round.profile_saved", _("Profiel voor matchingronde opgeslagen")
    ROUND_CANDIDATE_REVIEWED = (
        "round.candidate_reviewed",
        _("Kandidaat in matchingronde beoordeeld"),
    )
    ROUND_RUN_STARTED = "round.run_started", _("Matching gestart")
    ROUND_RUN_FINISHED = "round.run_finished", _("Matching klaar")
    ROUND_RUN_FAILED = "round.run_failed", _("Matching mislukt")
    ROUND_ASSIGNMENT_CHANGED = "round.assignment_changed", _("Toewijzing met de hand gewijzigd")
    ROUND_PUBLISHED = "round.published", _("Matchingronde gepubliceerd")
    ROUND_RESPONSE = "round.response", _("Antwoord op voorstel uit matchingronde")
    ROUND_CLOSED = "round.closed", _("Matchingronde gesloten")
    ROUND_FOLLOW_UP_CREATED = "round.follow_up_created", _("Vervolgronde aangemaakt")
    ROUND_PLACE_REMOVED = "round.place_removed", _("Plaats uit matchingronde gehaald")
    # keuzedelen and study advice (issue 14)
    KEUZEDEEL_CREATED = "keuzedeel.created", _("Keuzedeel in catalogus opgenomen")
    KEUZEDEEL_OFFERING_CREATED = "keuzedeel.offering_created", _("Keuzedeelaanbod vastgelegd")
    KEUZEDEEL_OFFERING_CHANGED = "keuzedeel.offering_changed", _("Keuzedeelaanbod gewijzigd")
    KEUZEDEEL_OFFERING_CLOSED = "keuzedeel.offering_closed", _("Keuzedeelaanbod gesloten")
    COOPERATION_VERSION_PROPOSED = (
        "cooperation.version_proposed",
        _("Versie van samenwerkingsovereenkomst ter ondertekening"),
    )
    COOPERATION_SIGNED = "cooperation.signed", _("Samenwerkingsovereenkomst getekend door partner")
    COOPERATION_ACTIVATED = (
        "cooperation.activated",
        _("Samenwerkingsovereenkomst door alle partners getekend"),
    )
    COOPERATION_WITHDRAWN = (
        "cooperation.withdrawn",
        _("Versie van samenwerkingsovereenkomst ingetrokken"),
    )
    HOME_TIMETABLE_SET = "keuzedeel.timetable_set", _("Rooster eigen opleiding vastgelegd")
    ACTIVITY_PLANNED = "keuzedeel.activity_planned", _("Activiteit gepland")
    KEUZEDEEL_REQUESTED = "keuzedeel.requested", _("Keuzedeel aangevraagd")
    KEUZEDEEL_HOME_APPROVED = "keuzedeel.home_approved", _("Aanvraag goedgekeurd door eigen school")
    KEUZEDEEL_ACCEPTED = "keuzedeel.accepted", _("Aanvraag geaccepteerd door gastschool")
    KEUZEDEEL_REFUSED = "keuzedeel.refused", _("Aanvraag keuzedeel geweigerd")
    KEUZEDEEL_WITHDRAWN = "keuzedeel.withdrawn", _("Aanvraag keuzedeel ingetrokken")
    KEUZEDEEL_ATTENDANCE_RECORDED = (
        "keuzedeel.attendance_recorded",
        _("Aanwezigheid keuzedeel vastgelegd"),
    )
    KEUZEDEEL_ABSENCE_ALERTED = "keuzedeel.absence_alerted", _("Verzuimsignaal keuzedeel verstuurd")
    KEUZEDEEL_RESULT_RECORDED = "keuzedeel.result_recorded", _("Resultaat keuzedeel vastgelegd")
    SCHOOL_YEAR_MARKED_NON_BINDING = (
        "studyadvice.year_marked",
        _("Schooljaar gemarkeerd als niet-bindend"),
    )
    SCHOOL_YEAR_DOCUMENT_VIEWED = (
        "studyadvice.document_viewed",
        _("Brondocument niet-bindend schooljaar bekeken"),
    )
    STUDY_ADVICE_GIVEN = "studyadvice.given", _("Studieadvies gegeven")
    STUDY_ADVICE_REFUSED = (
        "studyadvice.refused",
        _("Bindend negatief studieadvies geweigerd (niet-bindend schooljaar)"),
    )


class AuditLog(AppendOnlyModel):
    """Append-only record of who did what to which object, written in the same transaction.

    Never changed or deleted, not even by retention: it holds no reporter identity by design
    (the database refuses UPDATE and DELETE, see core/append_only.py)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Leeg bij een systeemtaak."),
    )
    # No `choices=` on purpose: AuditEvent grows with every domain, and that must not need a
    # schema migration of the audit table. record() only accepts AuditEvent members.
    event_type = models.CharField(_("gebeurtenis"), max_length=64)
    object_type = models.CharField(_("objecttype"), max_length=100)
    object_id = models.CharField(_("object-id"), max_length=64)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["event_type", "at"]),
        ]
        triggers = [AppendOnlyTrigger()]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event_type} {self.object_type}#{self.object_id}"

    @property
    def event_label(self) -> str:
        try:
            return str(AuditEvent(self.event_type).label)
        except ValueError:
            return self.event_type
