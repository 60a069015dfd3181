"""The roles of the product brief as Groups of Permissions — the only place group names live.

Code never asks "is this user in group X"; it asks for a permission. `sync_roles` makes the
groups in the database equal to this table; migrations call it whenever the table grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    STUDENT = "student"
    SCHOOL_STAFF = "school_staff"
    COMPANY_TRAINER = "company_trainer"
    SBB_ADVISOR = "sbb_advisor"
    SBB_INVESTIGATOR = "sbb_investigator"
    SBB_TEAM_LEAD = "sbb_team_lead"
    MELDPUNT = "meldpunt"
    EXPERT_TEAM = "expert_team"
    ANALYST = "analyst"
    ADVISORY_COMMITTEE = "advisory_committee"
    ADMIN = "admin"


@dataclass(frozen=True)
class RoleDefinition:
    """One role. `staff` opens /beheer/ (Django's is_staff).

    `sensitive`: granting the role gives access to reports, cases, recognitions or accounts, so
    it needs a second beheerder's approval (four-eyes, accounts.services.request_role).
    `second_factor`: logging in needs a TOTP code besides the password (every role of staff,
    i.e. everyone but students). `idle_minutes`: the session ends after this long without a
    request.
    """

    group_name: str
    description: str
    permissions: tuple[str, ...]
    staff: bool = False
    sensitive: bool = False
    second_factor: bool = True
    idle_minutes: int = 30


ROLES: dict[Role, RoleDefinition] = {
    Role.STUDENT: RoleDefinition(
        "Student",
        "Mbo-student: eigen profiel, eigen meldingen, eigen matchingrondes en overeenkomst.",
        (
            "education.view_own_student_profile",
            "meldpunt.view_own_reports",
            "placements.request_contact",
            "background.state_own_background",
            "insight.answer_survey",
            "applications.apply_to_vacancy",
            "rounds.take_part_in_round",
            "keuzedelen.view_offering",
            "keuzedelen.request_keuzedeel",
            "studyadvice.view_own_study_advice",
        ),
        second_factor=False,
        idle_minutes=120,
    ),
    Role.SCHOOL_STAFF: RoleDefinition(
        "Stagecoördinator / bpv-begeleider",
        "Medewerker van een school: studenten en rondes van de eigen school.",
        (
            "education.view_school",
            "education.view_programme",
            "education.view_student",
            "education.add_student",
            "education.change_student",
            "education.view_qualification",
            "register.view_recognition",
            "worklist.view_schooltask",
            "worklist.change_schooltask",
            "cases.respond_to_hearing",
            "meldpunt.view_own_reports",
            "meldpunt.file_report_on_behalf",
            "voorlichting.view_school_coverage",
            "voorlichting.announce_internship_period",
            # placements (issue 11): place, draft and sign POKs, supervise, compliance
            "placements.view_school_placements",
            "placements.place_student",
            "placements.supervise_placement",
            "placements.sign_agreement",
            "placements.view_compliance",
            "insight.answer_survey",
            "support.log_school_signal",
            "support.request_support",
            "applications.view_school_applications",
            "applications.recommend_student",
            "rounds.manage_round",
            "keuzedelen.view_offering",
            "keuzedelen.view_regional_overview",
            "keuzedelen.view_school_keuzedeel_requests",
            "keuzedelen.decide_keuzedeel_request",
            "keuzedelen.record_keuzedeel_attendance",
            "keuzedelen.sign_cooperation_agreement",
            # Create agreements and new versions for the own school, offer keuzedelen as host.
            "keuzedelen.manage_cooperation_agreement",
            "keuzedelen.manage_timetable",
            "studyadvice.give_study_advice",
            "studyadvice.mark_school_year",
            "studyadvice.view_study_advice_report",
        ),
    ),
    Role.COMPANY_TRAINER: RoleDefinition(
        "Praktijkopleider / bedrijfsbeheerder",
        "Leerbedrijf: eigen bedrijf, vestigingen en vacatures; studenten alleen geanonimiseerd.",
        (
            "informatiepakket.acknowledge_handout",
            "companies.view_company",
            "companies.change_company",
            "companies.view_location",
            "companies.add_location",
            "companies.change_location",
            "companies.view_trainer",
            "register.view_recognition",
            "stagemarkt.view_vacancy",
            "stagemarkt.add_vacancy",
            "stagemarkt.change_vacancy",
            "stagemarkt.publish_vacancy",
            "stagemarkt.view_companyprofile",
            "stagemarkt.change_companyprofile",
            "cases.respond_to_hearing",
            # placements (issue 11): sign the POK for the company, ask the school for contact
            "placements.sign_agreement",
            "placements.request_contact",
            "insight.answer_survey",
            "equalchances.take_selfscan",
            "equalchances.record_recruitment_policy",
            "equalchances.record_own_training",
            "support.request_support",
            "applications.review_applications",
            "rounds.review_round_candidates",
        ),
    ),
    Role.SBB_ADVISOR: RoleDefinition(
        "Adviseur praktijkleren (SBB)",
        "Erkenningen: het register en de erkenningen van alle leerbedrijven.",
        (
            "informatiepakket.publish_handout",
            "informatiepakket.view_handout_coverage",
            "companies.view_company",
            "companies.add_company",
            "companies.change_company",
            "companies.view_all_companies",
            "companies.view_location",
            "companies.add_location",
            "companies.change_location",
            "companies.view_trainer",
            "education.view_qualification",
            "register.view_recognition",
            "register.manage_recognitions",
            "register.propose_revocation",
            "register.approve_revocation",
            "stagemarkt.view_vacancy",
            "stagemarkt.view_companyprofile",
            # Company signals for a conversation (issue 13); each view is audited.
            "insight.view_company_signals",
            "equalchances.manage_scan_versions",
            "equalchances.manage_webinars",
            "equalchances.view_selfscan_aggregates",
            "equalchances.view_recruitment_policy",
            "equalchances.register_training",
            "equalchances.view_training_coverage",
            # Counts of school signals per company, small numbers suppressed; never a signal.
            "support.view_signal_counts",
        ),
        sensitive=True,
    ),
    Role.SBB_INVESTIGATOR: RoleDefinition(
        "Onderzoeker (SBB)",
        "Onderzoek: de toegewezen zaken.",
        (
            "companies.view_company",
            "companies.view_all_companies",
            "companies.view_location",
            # A decision with the measure "revocation" asks the advisers: one adviser proposes
            # it, a second one approves it (four eyes between two advisers, issue 9). The
            # investigator neither proposes nor approves revocations.
            "register.view_recognition",
            "cases.view_case",
            "cases.investigate_case",
            # The team's queue of unassigned cases (e.g. a report the meldpunt forwarded):
            # every investigator sees it and picks a case up, which assigns it to them.
            "cases.pick_up_case",
            "stagemarkt.view_vacancy",
            "stagemarkt.view_companyprofile",
        ),
        sensitive=True,
    ),
    Role.SBB_TEAM_LEAD: RoleDefinition(
        "Teamleider onderzoek (SBB)",
        "Leidt het onderzoeksteam: ziet alle zaken van het team, wijst ze toe en onderzoekt zelf.",
        (
            "companies.view_company",
            "companies.view_all_companies",
            "companies.view_location",
            "register.view_recognition",
            "cases.view_case",
            "cases.investigate_case",
            "cases.pick_up_case",
            "cases.view_team_cases",
            "stagemarkt.view_vacancy",
            "stagemarkt.view_companyprofile",
        ),
        sensitive=True,
    ),
    Role.MELDPUNT: RoleDefinition(
        "Meldpunt-medewerker",
        "Intake van meldingen, nooit meer dan nodig.",
        (
            "companies.view_company",
            "companies.view_all_companies",
            "meldpunt.view_report",
            "meldpunt.triage_report",
            "meldpunt.view_report_statistics",
            # The reporting point owns the information text about internship discrimination.
            "voorlichting.publish_text",
            # The referral directory: refer a report in one step, keep the list up to date.
            "support.view_supportorganisation",
            "support.import_support_organisations",
        ),
        sensitive=True,
    ),
    Role.EXPERT_TEAM: RoleDefinition(
        "Deskundig team",
        "Ondersteunt scholen en leerbedrijven: hulpvragen oppakken, advies en opvolging.",
        (
            "support.handle_support_request",
            "support.view_support_overview",
            "support.view_supportorganisation",
        ),
        sensitive=True,
    ),
    Role.ANALYST: RoleDefinition(
        "Analist / adviescommissie",
        "Beleid: alleen geaggregeerde cijfers, nooit een persoon.",
        (
            "informatiepakket.view_handout_coverage",
            "accounts.view_aggregates",
            "meldpunt.view_report_statistics",
            "voorlichting.view_national_coverage",
            "insight.view_insight_dashboard",
            "insight.recompute_insight",
            "insight.manage_research_extracts",
            "equalchances.view_selfscan_aggregates",
            "equalchances.view_training_coverage",
            "support.view_support_overview",
            "keuzedelen.view_regional_overview",
            "studyadvice.view_study_advice_report",
        ),
    ),
    Role.ADVISORY_COMMITTEE: RoleDefinition(
        "Adviescommissie",
        "Adviescommissie: dashboards, pilotrapport en simulatie; alleen geaggregeerde cijfers.",
        (
            "informatiepakket.view_handout_coverage",
            "accounts.view_aggregates",
            "meldpunt.view_report_statistics",
            "voorlichting.view_national_coverage",
            "insight.view_insight_dashboard",
            "equalchances.view_selfscan_aggregates",
            "equalchances.view_training_coverage",
            # Aggregates only, like the analyst: self-scan, training, expert team, keuzedelen
            # and study advice overviews (issues 14, 17).
            "support.view_support_overview",
            "keuzedelen.view_regional_overview",
            "studyadvice.view_study_advice_report",
        ),
    ),
    Role.ADMIN: RoleDefinition(
        "Beheerder",
        "Platformbeheer: configuratie en gebruikers.",
        (
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_rolegrant",
            "accounts.request_role_grant",
            "accounts.decide_role_grant",
            "accounts.unlock_login",
            "auth.view_group",
            "audit.view_auditlog",
            "notifications.view_outboxmessage",
            # Investigation teams: which sectors a team covers and who is in it (issue 9).
            "cases.view_investigationteam",
            "cases.change_investigationteam",
            "education.view_school",
            "education.add_school",
            "education.change_school",
            "education.view_qualification",
            "education.add_qualification",
            "education.change_qualification",
            "education.view_programme",
            "education.add_programme",
            "companies.view_company",
            "companies.view_all_companies",
            "register.view_recognition",
            "accounts.view_aggregates",
            "voorlichting.view_informationtext",
            "voorlichting.view_national_coverage",
            "support.view_supportorganisation",
            "support.import_support_organisations",
            "keuzedelen.view_regional_overview",
            "keuzedelen.manage_cooperation_agreement",
            "studyadvice.mark_school_year_all",
            "studyadvice.view_study_advice_report",
        ),
        staff=True,
        sensitive=True,
    ),
}


SENSITIVE_ROLES: frozenset[Role] = frozenset(r for r, d in ROLES.items() if d.sensitive)
LONGEST_IDLE_MINUTES = max(d.idle_minutes for d in ROLES.values())


def role_for_group(group_name: str) -> Role | None:
    for role, definition in ROLES.items():
        if definition.group_name == group_name:
            return role
    return None


def sync_roles(apps: Any) -> None:
    """Make every role group hold exactly the permissions of ROLES (idempotent).

    Runs inside migrations, so it uses the historical `apps` and creates missing permissions
    first (Django normally does that only after all migrations have run).
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for definition in ROLES.values():
        group, _ = group_model.objects.get_or_create(name=definition.group_name)
        perms = []
        for dotted in definition.permissions:
            app_label, codename = dotted.split(".")
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                # Made by a later migration of its app (this runs with the historical models);
                # that app's own roles migration calls sync_roles again and grants it.
                continue
            perms.append(permission)
        group.permissions.set(perms)
