from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import profile_update
from certifications.selectors import certification_for_choice, certification_get
from mindquest.common.api import PAGE_PARAMETERS, error_responses, paginated_response
from progress import selectors
from progress.serializers import (
    AchievementOutputSerializer,
    DashboardOutputSerializer,
    ProfileOutputSerializer,
    ProfileUpdateInputSerializer,
    ProgressOutputSerializer,
)


class DashboardApi(APIView):
    @extend_schema(
        responses={200: DashboardOutputSerializer, **error_responses(401)}, summary="The learner's dashboard"
    )
    def get(self, request: Request) -> Response:
        return Response(DashboardOutputSerializer(selectors.dashboard_for(learner=request.user)).data)


class ProgressListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses={200: ProgressOutputSerializer(many=True), **error_responses(400, 401)},
        summary="Progress in every certification practised",
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            request, selectors.progress_list(learner=request.user), ProgressOutputSerializer
        )


class ProgressDetailApi(APIView):
    @extend_schema(
        responses={200: ProgressOutputSerializer, **error_responses(401, 404)},
        summary="Progress in one certification (zeros when not practised yet)",
    )
    def get(self, request: Request, certification_id: str) -> Response:
        certification = certification_get(certification_id=certification_id)
        view = selectors.progress_for_certification(learner=request.user, certification=certification)
        return Response(ProgressOutputSerializer(view).data)


class AchievementListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses={200: AchievementOutputSerializer(many=True), **error_responses(400, 401)},
        summary="Earned achievements, newest first",
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            request, selectors.achievements_for_learner(learner=request.user), AchievementOutputSerializer
        )


class ProfileApi(APIView):
    @extend_schema(
        responses={200: ProfileOutputSerializer, **error_responses(401)}, summary="The learner's profile"
    )
    def get(self, request: Request) -> Response:
        return Response(ProfileOutputSerializer(selectors.profile_view(learner=request.user)).data)

    @extend_schema(
        request=ProfileUpdateInputSerializer,
        responses={200: ProfileOutputSerializer, **error_responses(400, 401, 409)},
        summary="Change username and/or selected certification",
    )
    def patch(self, request: Request) -> Response:
        data = ProfileUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        choosing = "selected_certification_id" in fields
        certification = certification_for_choice(
            certification_id=fields.get("selected_certification_id"), field="selected_certification_id"
        )
        profile = profile_update(
            user=request.user,
            username=fields.get("username"),
            selected_certification=certification,
            clear_certification=choosing and certification is None,
        )
        view = selectors.profile_view(learner=request.user, profile=profile)
        return Response(ProfileOutputSerializer(view).data)

    @extend_schema(
        request=ProfileUpdateInputSerializer,
        responses={200: ProfileOutputSerializer, **error_responses(400, 401, 409)},
        summary="Same as PATCH: only the fields sent change",
    )
    def put(self, request: Request) -> Response:
        return self.patch(request)
