"""Applications API (session login): a student's own applications, a company's applications
(anonymised until invitation) and a school's overview.

A company's rows come from selectors.company_inbox as CompanyApplication values. Before
invitation a row is written by `AnonymisedApplicationSerializer`, a class that has no identity
field at all; only after invitation by `RevealedApplicationSerializer`, which adds name and
school e-mail. Lists are keyset pages: follow `next` (newest first).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from stagekans.applications import selectors, services
from stagekans.applications.models import Application
from stagekans.applications.workflow import ApplicationStatus, TransitionNotAllowed
from stagekans.core.keyset import KeysetPage
from stagekans.stagemarkt import selectors as stagemarkt_selectors

STATUS_PARAMETER = OpenApiParameter(
    "status", OpenApiTypes.STR, enum=list(ApplicationStatus.values), description="Filter op status."
)
AFTER_PARAMETER = OpenApiParameter(
    "after", OpenApiTypes.STR, description="Token van de volgende pagina (uit `next`)."
)
ERRORS = OpenApiResponse(description="Foutmeldingen per veld, in het Nederlands.")


def _status(request: Request) -> str:
    status = request.query_params.get("status", "")
    return status if status in ApplicationStatus.values else ""


def _page_response(request: Request, page: KeysetPage, results: list[Any]) -> Response:
    next_url = (
        request.build_absolute_uri(f"{request.path}?{page.next_query}") if page.has_next else None
    )
    return Response({"count": page.count, "next": next_url, "results": results})


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


class RefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField(required=False)
    name = serializers.CharField(required=False)


class StatusChangeSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    at = serializers.DateTimeField()


# --- student ----------------------------------------------------------------------------------


class StudentApplicationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    vacancy = serializers.SerializerMethodField()
    company = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    status_text = serializers.SerializerMethodField(
        help_text="Wat de status voor de student betekent (nooit een afwijzingscategorie)."
    )
    recommended = serializers.SerializerMethodField()
    sent_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    placement_id = serializers.IntegerField(allow_null=True)
    history = serializers.SerializerMethodField()

    def get_vacancy(self, obj: Application) -> dict[str, Any]:
        return {"id": obj.vacancy_id, "title": obj.vacancy.title}

    def get_company(self, obj: Application) -> dict[str, Any]:
        return {"id": obj.company_id, "name": obj.company.name}

    def get_status_text(self, obj: Application) -> str:
        return selectors.student_status_sentence(obj)

    def get_recommended(self, obj: Application) -> bool:
        return obj.recommended_by_id is not None

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_history(self, obj: Application) -> list[dict[str, Any]]:
        return [{"status": h.status, "at": h.at} for h in obj.history.all()]


class ApplyInputSerializer(serializers.Serializer[Any]):
    vacancy = serializers.IntegerField(min_value=1)
    motivation = serializers.CharField(max_length=services.MAX_MOTIVATION)
    competences = serializers.CharField(
        max_length=services.MAX_COMPETENCES, required=False, allow_blank=True, default=""
    )
    availability = serializers.CharField(
        max_length=services.MAX_AVAILABILITY, required=False, allow_blank=True, default=""
    )


class StudentApplicationList(APIView):
    """The logged-in student's own applications; POST applies to a published vacancy."""

    throttle_scope = "applications"

    @extend_schema(
        operation_id="sollicitaties_mijn",
        responses={200: StudentApplicationSerializer(many=True), 403: None},
    )
    def get(self, request: Request) -> Response:
        student = selectors.own_student(request.user)
        if student is None:
            raise PermissionDenied
        rows = selectors.student_applications(student)[:200]
        return Response(StudentApplicationSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="sollicitaties_solliciteren",
        request=ApplyInputSerializer,
        responses={201: StudentApplicationSerializer, 400: ERRORS, 403: None},
    )
    def post(self, request: Request) -> Response:
        student = selectors.own_student(request.user)
        if student is None:
            raise PermissionDenied
        data = ApplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vacancy = stagemarkt_selectors.public_vacancy(data.validated_data["vacancy"])
        if vacancy is None:
            return Response({"vacancy": ["Er is geen gepubliceerde vacature met dit nummer."]}, 400)
        try:
            application = services.apply(
                acting_user=request.user,
                student=student,
                vacancy=vacancy,
                motivation=data.validated_data["motivation"],
                competences=data.validated_data["competences"],
                availability=data.validated_data["availability"],
            )
        except ValidationError as error:
            return Response(_errors(error), status=400)
        row = selectors.student_applications(student).get(pk=application.pk)
        return Response(StudentApplicationSerializer(row).data, status=201)


class StudentWithdraw(APIView):
    throttle_scope = "applications"

    @extend_schema(
        operation_id="sollicitaties_intrekken",
        request=None,
        responses={200: StudentApplicationSerializer, 400: ERRORS, 403: None, 404: None},
    )
    def post(self, request: Request, pk: int) -> Response:
        application = selectors.student_application(request.user, pk)
        if application is None:
            raise Http404
        try:
            services.withdraw(acting_user=request.user, application=application)
        except TransitionNotAllowed as error:
            return Response({"non_field_errors": [str(error)]}, status=400)
        row = selectors.student_application(request.user, pk)
        return Response(StudentApplicationSerializer(row).data)


# --- company ----------------------------------------------------------------------------------


class AnonymisedApplicationSerializer(serializers.Serializer[Any]):
    """A company's view before invitation. Deliberately has no name, e-mail, date of birth,
    age, gender, address, postcode, school or student number field."""

    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField(help_text="Kandidaatreferentie (K-…).")
    vacancy = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    recommended = serializers.BooleanField(help_text="Warme match: aanbevolen door de school.")
    sent_at = serializers.DateTimeField()
    invited_at = serializers.DateTimeField(allow_null=True)
    qualification = serializers.CharField(source="profile.qualification")
    niveau = serializers.IntegerField(source="profile.niveau")
    leerweg = serializers.CharField(source="profile.leerweg")
    competences = serializers.CharField(source="profile.competences")
    motivation = serializers.CharField(source="profile.motivation")
    availability = serializers.CharField(source="profile.availability")
    distance_km = serializers.FloatField(source="profile.distance_km", allow_null=True)

    def get_vacancy(self, obj: selectors.CompanyApplication) -> dict[str, Any]:
        return {"id": obj.vacancy_id, "title": obj.vacancy_title}


class RevealedApplicationSerializer(AnonymisedApplicationSerializer):
    """After invitation: the anonymised fields plus the student's name and school e-mail."""

    name = serializers.CharField(source="identity.name")
    email = serializers.EmailField(source="identity.email", allow_blank=True)


COMPANY_ROW = PolymorphicProxySerializer(
    component_name="CompanyApplication",
    serializers=[AnonymisedApplicationSerializer, RevealedApplicationSerializer],
    resource_type_field_name=None,
)


def company_row(row: selectors.CompanyApplication) -> dict[str, Any]:
    if row.identity is None:
        return dict(AnonymisedApplicationSerializer(row).data)
    return dict(RevealedApplicationSerializer(row).data)


class SchoolApplicationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    student = serializers.SerializerMethodField()
    company = serializers.SerializerMethodField()
    vacancy = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    rejection_reason = serializers.CharField()
    close_reason = serializers.CharField()
    recommended = serializers.SerializerMethodField()
    sent_at = serializers.DateTimeField()
    history = serializers.SerializerMethodField()

    def get_student(self, obj: Application) -> dict[str, Any]:
        s = obj.student
        return {"id": s.pk, "name": f"{s.given_name} {s.family_name}"}

    def get_company(self, obj: Application) -> dict[str, Any]:
        return {"id": obj.company_id, "name": obj.company.name}

    def get_vacancy(self, obj: Application) -> dict[str, Any]:
        return {"id": obj.vacancy_id, "title": obj.vacancy.title}

    def get_recommended(self, obj: Application) -> bool:
        return obj.recommended_by_id is not None

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_history(self, obj: Application) -> list[dict[str, Any]]:
        return [{"status": h.status, "at": h.at} for h in obj.history.all()]


class CompanyPageSerializer(serializers.Serializer[Any]):
    """Schema of a company's page of applications."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    results = serializers.SerializerMethodField()

    @extend_schema_field(
        PolymorphicProxySerializer(
            component_name="CompanyApplicationItem",
            serializers=[AnonymisedApplicationSerializer, RevealedApplicationSerializer],
            resource_type_field_name=None,
            many=True,
        )
    )
    def get_results(self, obj: Any) -> list[dict[str, Any]]:
        return list(obj["results"])


class SchoolPageSerializer(serializers.Serializer[Any]):
    """Schema of a school's page of applications."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    results = serializers.SerializerMethodField()

    @extend_schema_field(SchoolApplicationSerializer(many=True))
    def get_results(self, obj: Any) -> list[dict[str, Any]]:
        return list(obj["results"])


class CompanyApplicationList(APIView):
    """Applications to the own company's vacancies, newest first (anonymised until invited)."""

    throttle_scope = "applications"

    @extend_schema(
        operation_id="sollicitaties_leerbedrijf",
        parameters=[
            STATUS_PARAMETER,
            AFTER_PARAMETER,
            OpenApiParameter("vacature", OpenApiTypes.INT, description="Alleen deze vacature."),
        ],
        responses={200: CompanyPageSerializer, 403: None},
        description="Pagina's van hoogstens 25; elk resultaat is zonder identiteit tot de "
        "uitnodiging. Volg `next` voor de volgende pagina.",
    )
    def get(self, request: Request) -> Response:
        vacancy = request.query_params.get("vacature", "")
        page = selectors.company_inbox(
            request.user,
            params=request.query_params,
            vacancy_id=int(vacancy) if vacancy.isdigit() else None,
            status=_status(request),
        )
        if page is None:
            raise PermissionDenied
        return _page_response(request, page, [company_row(row) for row in page.object_list])


class CompanyApplicationDetail(APIView):
    throttle_scope = "applications"

    @extend_schema(
        operation_id="sollicitatie_leerbedrijf", responses={200: COMPANY_ROW, 403: None, 404: None}
    )
    def get(self, request: Request, pk: int) -> Response:
        row = selectors.company_application(request.user, pk)
        if row is None:
            raise Http404
        return Response(company_row(row))


# --- school -----------------------------------------------------------------------------------


class SchoolApplicationList(APIView):
    """The applications of the own school's students, newest first."""

    throttle_scope = "applications"

    @extend_schema(
        operation_id="sollicitaties_school",
        parameters=[STATUS_PARAMETER, AFTER_PARAMETER],
        responses={200: SchoolPageSerializer, 403: None},
        description="Pagina's van hoogstens 25; volg `next` voor de volgende pagina.",
    )
    def get(self, request: Request) -> Response:
        page = selectors.school_overview(
            request.user, params=request.query_params, status=_status(request)
        )
        if page is None:
            raise PermissionDenied
        return _page_response(
            request, page, list(SchoolApplicationSerializer(page.object_list, many=True).data)
        )
