from __future__ import annotations

from django.db.models import Q, QuerySet
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from stagekans.education.models import Qualification
from stagekans.education.selectors import qualifications


class QualificationSerializer(serializers.ModelSerializer[Qualification]):
    class Meta:
        model = Qualification
        fields = ["crebo", "title", "niveau", "sector"]


class QualificationList(generics.ListAPIView[Qualification]):
    """Public list of mbo qualifications; filter with ?q= (crebo or part of the title)."""

    serializer_class = QualificationSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    def get_queryset(self) -> QuerySet[Qualification]:
        qs = qualifications().order_by("crebo")
        q = self.request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(crebo__startswith=q) | Q(title__icontains=q))
        return qs
