import logging

from django.conf import settings
from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mindquest.common.api import PublicApi

logger = logging.getLogger(__name__)

HealthSerializer = inline_serializer(
    "Health",
    fields={
        "status": serializers.ChoiceField(choices=["healthy", "unhealthy"]),
        "environment": serializers.CharField(),
        "version": serializers.CharField(),
        "database": serializers.ChoiceField(choices=["ok", "unavailable"]),
    },
)


class ApiRootApi(PublicApi):
    @extend_schema(
        responses=inline_serializer(
            "ApiRoot",
            fields={
                "message": serializers.CharField(),
                "version": serializers.CharField(),
                "docs": serializers.CharField(),
            },
        ),
        auth=[],
        summary="What this API is and where its docs are",
    )
    def get(self, request: Request) -> Response:
        return Response({"message": "Mind Quest API", "version": settings.VERSION, "docs": "/api/docs"})


class HealthApi(PublicApi):
    @extend_schema(
        responses={200: HealthSerializer, 503: HealthSerializer},
        auth=[],
        summary="Liveness with a real database round trip",
    )
    def get(self, request: Request) -> Response:
        body = {
            "status": "healthy",
            "environment": settings.ENVIRONMENT,
            "version": settings.VERSION,
            "database": "ok",
        }
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            logger.warning("health check: database unavailable (%s)", error.__class__.__name__)
            return Response({**body, "status": "unhealthy", "database": "unavailable"}, status=503)
        return Response(body)
