from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certifications import selectors, services
from certifications.serializers import (
    CertificationCreateInputSerializer,
    CertificationOutputSerializer,
    CertificationUpdateInputSerializer,
)
from mindquest.common.api import PAGE_PARAMETERS, PublicReadApi, error_responses, paginated_response

# The permission a write needs, as the admin site asks for the same change there.
WRITE_PERMISSIONS = {
    "POST": "certifications.add_certification",
    "PUT": "certifications.change_certification",
    "PATCH": "certifications.change_certification",
    "DELETE": "certifications.delete_certification",
}


class PublicReadAdminWrite(IsAdminUser):
    """Anyone may read; only admins (is_staff) may write, and only with the model permission the
    admin site would ask for (a superuser has them all)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        permission = WRITE_PERMISSIONS.get(request.method)
        return (
            super().has_permission(request, view)
            and permission is not None
            and request.user.has_perm(permission)
        )


class CertificationListApi(PublicReadApi):
    permission_classes = [PublicReadAdminWrite]
    parser_classes = [JSONParser, FormParser, MultiPartParser]  # "JSON or form body", as before

    @extend_schema(
        operation_id="certifications_list",
        parameters=PAGE_PARAMETERS,
        responses={200: CertificationOutputSerializer(many=True), **error_responses(400)},
        auth=[],
        summary="Active certifications, by level then name",
    )
    def get(self, request: Request) -> Response:
        return paginated_response(request, selectors.certification_list(), CertificationOutputSerializer)

    @extend_schema(
        request=CertificationCreateInputSerializer,
        responses={201: CertificationOutputSerializer, **error_responses(400, 401, 403, 409)},
        summary="Create a certification (admin)",
    )
    def post(self, request: Request) -> Response:
        data = CertificationCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certification = services.certification_create(**data.validated_data)
        certification = selectors.certification_get(certification_id=certification.pk)
        return Response(CertificationOutputSerializer(certification).data, status=201)


class CertificationDetailApi(PublicReadApi):
    permission_classes = [PublicReadAdminWrite]
    parser_classes = [JSONParser, FormParser, MultiPartParser]  # "JSON or form body", as before

    @extend_schema(
        responses={200: CertificationOutputSerializer, **error_responses(404)},
        auth=[],
        summary="One certification with its domains",
    )
    def get(self, request: Request, certification_id: str) -> Response:
        certification = selectors.certification_get(certification_id=certification_id)
        return Response(CertificationOutputSerializer(certification).data)

    @extend_schema(
        request=CertificationUpdateInputSerializer,
        responses={200: CertificationOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        summary="Change a certification (admin)",
    )
    def patch(self, request: Request, certification_id: str) -> Response:
        certification = selectors.certification_for_edit(certification_id=certification_id)
        data = CertificationUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.certification_update(certification=certification, **data.validated_data)
        certification = selectors.certification_get(certification_id=certification_id)
        return Response(CertificationOutputSerializer(certification).data)

    @extend_schema(
        responses={204: None, **error_responses(401, 403, 404, 409)},
        summary="Delete an unused certification (admin)",
    )
    def delete(self, request: Request, certification_id: str) -> Response:
        certification = selectors.certification_for_edit(certification_id=certification_id)
        services.certification_delete(certification=certification)
        return Response(status=204)
