from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from stagekans.education.models import Qualification
from stagekans.education.selectors import qualifications

MAX_QUERY_LENGTH = 100


class QualificationSerializer(serializers.ModelSerializer[Qualification]):
    class Meta:
        model = Qualification
        fields = ["crebo", "title", "niveau", "sector"]


class QualificationList(generics.ListAPIView[Qualification]):
    """Public list of mbo qualifications; filter with ?q= (crebo or part of the title)."""

    serializer_class = QualificationSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_scope = "public-api"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description=f"Begin van de crebocode of deel van de naam (hoogstens "
                f"{MAX_QUERY_LENGTH} tekens).",
            )
        ],
        responses={
            200: QualificationSerializer(many=True),
            400: OpenApiResponse(description="Ongeldige zoekterm (veld 'q')."),
            404: OpenApiResponse(description="Ongeldige pagina."),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Qualification]:
        qs = qualifications().order_by("crebo")
        q = self.request.query_params.get("q", "").strip()
        if "\x00" in q or len(q) > MAX_QUERY_LENGTH:
            raise ValidationError(
                {
                    "q": [
                        _("Zoekterm: gebruik hoogstens %(n)s gewone tekens.")
                        % {"n": MAX_QUERY_LENGTH}
                    ]
                }
            )
        if q:
            qs = qs.filter(Q(crebo__startswith=q) | Q(title__icontains=q))
        return qs
