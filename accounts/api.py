from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services, throttling
from accounts.serializers import (
    LoginInputSerializer,
    LogoutInputSerializer,
    PasswordChangeInputSerializer,
    RefreshInputSerializer,
    RegisterInputSerializer,
    TokenOutputSerializer,
    UserOutputSerializer,
)
from certifications.selectors import certification_for_choice
from mindquest.common.api import PublicApi, error_responses
from mindquest.common.exceptions import UnauthorizedError
from mindquest.common.ratelimit import client_ip


class RegisterApi(PublicApi):
    @extend_schema(
        request=RegisterInputSerializer,
        responses={201: TokenOutputSerializer, **error_responses(400, 409, 429)},
        auth=[],
        summary="Create an account and sign in",
    )
    def post(self, request: Request) -> Response:
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        throttling.registration_allowed(ip=client_ip(request), email=fields["email"])
        certification = certification_for_choice(
            certification_id=fields.pop("selected_certification_id", None), field="selected_certification_id"
        )
        user = services.user_register(**fields, selected_certification=certification)
        pair = services.auth_session_start(user=user)
        return Response(TokenOutputSerializer(pair).data, status=201)


class LoginApi(PublicApi):
    @extend_schema(
        request=LoginInputSerializer,
        responses={200: TokenOutputSerializer, **error_responses(400, 401, 403, 429)},
        auth=[],
        summary="Sign in with email (or username) and password",
    )
    def post(self, request: Request) -> Response:
        data = LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        login = data.validated_data["email"]
        account = throttling.login_allowed(ip=client_ip(request), login=login)
        try:
            pair = services.auth_login(login=login, password=data.validated_data["password"])
        except UnauthorizedError:
            throttling.login_failed(account=account)
            raise
        return Response(TokenOutputSerializer(pair).data)


class RefreshApi(PublicApi):
    @extend_schema(
        request=RefreshInputSerializer,
        responses={200: TokenOutputSerializer, **error_responses(400, 401)},
        auth=[],
        summary="Exchange a refresh token for a new pair (the old one stops working)",
    )
    def post(self, request: Request) -> Response:
        data = RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = services.auth_refresh(refresh_token=data.validated_data["refresh_token"])
        return Response(TokenOutputSerializer(pair).data)


class LogoutApi(APIView):
    @extend_schema(
        request=LogoutInputSerializer,
        responses={204: None, **error_responses(400, 401)},
        summary="End this session: its access and refresh tokens stop working",
    )
    def post(self, request: Request) -> Response:
        data = LogoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.auth_logout(
            user=request.user,
            session_id=request.auth["sid"],
            refresh_token=data.validated_data.get("refresh_token"),
        )
        return Response(status=204)


class MeApi(APIView):
    @extend_schema(
        responses={200: UserOutputSerializer, **error_responses(401)}, summary="The signed-in user"
    )
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(request.user).data)


class PasswordChangeApi(APIView):
    @extend_schema(
        request=PasswordChangeInputSerializer,
        responses={204: None, **error_responses(400, 401)},
        summary="Change the password; every other session ends",
    )
    def post(self, request: Request) -> Response:
        data = PasswordChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_password_change(
            user=request.user, keep_session_id=request.auth["sid"], **data.validated_data
        )
        return Response(status=204)
