"""Public stagemarkt API: search, vacancy and company. Filters are validated by the same form
as the web page, so both give the same Dutch messages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from stagekans.education.models import Leerweg, Sector
from stagekans.stagemarkt import selectors
from stagekans.stagemarkt.forms import MAX_RADIUS, MIN_RADIUS, VacancySearchForm
from stagekans.stagemarkt.models import FEATURE_KEYS, Vacancy, mask_to_keys

FEATURE_ENUM = list(FEATURE_KEYS)


class CompanyRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class QualificationRefSerializer(serializers.Serializer[Any]):
    crebo = serializers.CharField()
    title = serializers.CharField()


class VacancyResultSerializer(serializers.Serializer[Vacancy]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    company = CompanyRefSerializer()
    qualification = QualificationRefSerializer()
    niveau = serializers.IntegerField()
    leerweg = serializers.ChoiceField(choices=Leerweg.choices)
    place = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    days_per_week = serializers.IntegerField()
    allowance = serializers.DecimalField(max_digits=7, decimal_places=2)
    places = serializers.IntegerField()
    features = serializers.SerializerMethodField()
    distance_km = serializers.SerializerMethodField()

    def get_features(self, obj: Vacancy) -> list[str]:
        return mask_to_keys(obj.search_features)

    def get_distance_km(self, obj: Vacancy) -> float | None:
        distance = getattr(obj, "distance_km", None)
        return round(distance, 1) if distance is not None else None


class VacancySearchResponseSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(help_text="Aantal resultaten, hooguit 1000.")
    count_capped = serializers.BooleanField(help_text="Waar als er meer dan 1000 resultaten zijn.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = VacancyResultSerializer(many=True)


class LocationPublicSerializer(serializers.Serializer[Any]):
    street = serializers.CharField()
    house_number = serializers.CharField()
    postcode = serializers.CharField()
    place = serializers.CharField()


class VacancyDetailSerializer(VacancyResultSerializer):
    description = serializers.CharField()
    location = LocationPublicSerializer()
    company_inclusivity_text = serializers.SerializerMethodField()

    def get_company_inclusivity_text(self, obj: Vacancy) -> str:
        profile = selectors.profile_of(obj.company)
        return profile.inclusivity_text if profile else ""


class CompanyVacancySerializer(serializers.Serializer[Vacancy]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    qualification = QualificationRefSerializer()
    leerweg = serializers.ChoiceField(choices=Leerweg.choices)
    place = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class CompanyPublicSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sector = serializers.ChoiceField(choices=Sector.choices)
    website = serializers.URLField(allow_blank=True)
    features = serializers.ListField(child=serializers.ChoiceField(choices=FEATURE_ENUM))
    inclusivity_text = serializers.CharField(allow_blank=True)
    vacancies = CompanyVacancySerializer(many=True)


ERROR_RESPONSE = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"straal": ["Straal: kies een straal van 1 tot 200 km."]},
    },
    description="Ongeldige filters: per veldnaam een lijst met Nederlandse foutmeldingen.",
)

SEARCH_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Naam van de opleiding of crebocode."),
    OpenApiParameter("waar", OpenApiTypes.STR, description="Plaats of postcode."),
    OpenApiParameter(
        "straal",
        OpenApiTypes.INT,
        description=f"Straal in km rond 'waar' ({MIN_RADIUS}–{MAX_RADIUS}, standaard 20).",
    ),
    OpenApiParameter("niveau", OpenApiTypes.INT, enum=[1, 2, 3, 4]),
    OpenApiParameter("leerweg", OpenApiTypes.STR, enum=Leerweg.values),
    OpenApiParameter("sector", OpenApiTypes.STR, enum=Sector.values),
    OpenApiParameter("van", OpenApiTypes.DATE, description="Periode: beschikbaar vanaf."),
    OpenApiParameter("tot", OpenApiTypes.DATE, description="Periode: beschikbaar tot."),
    OpenApiParameter(
        "kenmerken",
        OpenApiTypes.STR,
        many=True,
        enum=FEATURE_ENUM,
        description="Inclusiviteitskenmerken; alle opgegeven kenmerken moeten aanwezig zijn.",
    ),
    OpenApiParameter(
        "sortering",
        OpenApiTypes.STR,
        enum=[selectors.SORT_DISTANCE, selectors.SORT_START, selectors.SORT_NEWEST],
        description="Volgorde; standaard afstand als 'waar' is opgegeven, anders nieuwste eerst.",
    ),
    OpenApiParameter("page", OpenApiTypes.INT, description="Paginanummer (vanaf 1)."),
]


def _result(v: Vacancy) -> dict[str, Any]:
    """VacancyResultSerializer's output, built directly: this is the hot path of the search."""
    distance = getattr(v, "distance_km", None)
    return {
        "id": v.pk,
        "title": v.title,
        "company": {"id": v.company.pk, "name": v.company.name},
        "qualification": {"crebo": v.qualification.crebo, "title": v.qualification.title},
        "niveau": v.niveau,
        "leerweg": v.leerweg,
        "place": v.place,
        "start_date": v.start_date.isoformat(),
        "end_date": v.end_date.isoformat(),
        "days_per_week": v.days_per_week,
        "allowance": f"{v.allowance:.2f}",
        "places": v.places,
        "features": mask_to_keys(v.search_features),
        "distance_km": round(distance, 1) if distance is not None else None,
    }


class PublicAPIView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_scope = "public-api"


class VacancySearch(PublicAPIView):
    """Search published vacancies of recognised companies, nearest first unless sorted."""

    throttle_scope = "stagemarkt-search"

    @extend_schema(
        operation_id="stagemarkt_vacatures_zoeken",
        parameters=SEARCH_PARAMETERS,
        responses={200: VacancySearchResponseSerializer, 400: ERROR_RESPONSE},
    )
    def get(self, request: Request) -> Response:
        form = VacancySearchForm(request.query_params)
        if not form.is_valid():
            errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
            return Response(errors, status=400)
        page = selectors.search_vacancies(form.criteria(), page=form.cleaned_data.get("page") or 1)

        def link(number: int) -> str:
            params = request.query_params.copy()
            params["page"] = str(number)
            return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

        return Response(
            {
                "count": page.count,
                "count_capped": page.count_capped,
                "page": page.number,
                "pages": page.num_pages,
                "next": link(page.number + 1) if page.has_next else None,
                "previous": link(page.number - 1) if page.has_previous else None,
                "results": [_result(vacancy) for vacancy in page.results],
            }
        )


class VacancyDetail(PublicAPIView):
    @extend_schema(
        operation_id="stagemarkt_vacature", responses={200: VacancyDetailSerializer, 404: None}
    )
    def get(self, request: Request, pk: int) -> Response:
        vacancy = selectors.public_vacancy(pk)
        if vacancy is None:
            raise Http404
        return Response(VacancyDetailSerializer(vacancy).data)


class CompanyDetail(PublicAPIView):
    @extend_schema(
        operation_id="stagemarkt_bedrijf", responses={200: CompanyPublicSerializer, 404: None}
    )
    def get(self, request: Request, pk: int) -> Response:
        company = selectors.recognised_companies().filter(pk=pk).first()
        if company is None:
            raise Http404
        profile = selectors.profile_of(company)
        data = {
            "id": company.pk,
            "name": company.name,
            "sector": company.sector,
            "website": company.website,
            "features": mask_to_keys(profile.features) if profile else [],
            "inclusivity_text": profile.inclusivity_text if profile else "",
            "vacancies": selectors.public_vacancies_of(company),
        }
        return Response(CompanyPublicSerializer(data).data)
