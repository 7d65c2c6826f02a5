"""The real routes plus two that misbehave on purpose: one crashes, one is throttled."""

from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView


class CrashingApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("secret internals: password=hunter2")


class OncePerMinute(AnonRateThrottle):
    rate = "1/minute"


class ThrottledApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [OncePerMinute]

    def get(self, request):
        return Response({"ok": True})


def crashing_page(request):
    raise RuntimeError("page internals")


urlpatterns = [
    path("api/test/crash", CrashingApi.as_view()),
    path("api/test/throttled", ThrottledApi.as_view()),
    path("test/crash", crashing_page),
    path("", include("mindquest.urls")),
]
handler404 = "mindquest.common.views.page_not_found"
handler500 = "mindquest.common.views.server_error"
