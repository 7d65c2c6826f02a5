"""The JSON API under /api: every route of API.md, declared once, served with or without a
trailing slash."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from accounts import api as accounts_api
from certifications import api as certifications_api
from mindquest.common.api import api_not_found, api_path
from mindquest.common.api_docs import swagger_ui
from mindquest.common.health import ApiRootApi, HealthApi
from progress import api as progress_api
from quizzes import api as quizzes_api

urlpatterns = [
    path("", ApiRootApi.as_view()),
    *api_path("health", HealthApi.as_view(), "api-health"),
    *api_path("schema", SpectacularAPIView.as_view(), "api-schema"),
    *api_path("docs", swagger_ui, "api-docs"),
    # Accounts
    *api_path("auth/register", accounts_api.RegisterApi.as_view(), "api-register"),
    *api_path("auth/login", accounts_api.LoginApi.as_view(), "api-login"),
    *api_path("auth/refresh", accounts_api.RefreshApi.as_view(), "api-refresh"),
    *api_path("auth/logout", accounts_api.LogoutApi.as_view(), "api-logout"),
    *api_path("auth/me", accounts_api.MeApi.as_view(), "api-me"),
    *api_path("auth/password", accounts_api.PasswordChangeApi.as_view(), "api-password"),
    # Certifications
    *api_path("certifications", certifications_api.CertificationListApi.as_view(), "api-certifications"),
    *api_path(
        "certifications/<id:certification_id>",
        certifications_api.CertificationDetailApi.as_view(),
        "api-certification",
    ),
    # Quizzes
    *api_path("quizzes/generate", quizzes_api.QuizGenerateApi.as_view(), "api-quiz-generate"),
    *api_path("quizzes", quizzes_api.QuizListApi.as_view(), "api-quizzes"),
    *api_path("quizzes/<id:quiz_id>", quizzes_api.QuizDetailApi.as_view(), "api-quiz"),
    *api_path("quizzes/<id:quiz_id>/evaluate", quizzes_api.QuizEvaluateApi.as_view(), "api-quiz-evaluate"),
    # Progress and profile
    *api_path("progress/dashboard", progress_api.DashboardApi.as_view(), "api-dashboard"),
    *api_path("progress/certifications", progress_api.ProgressListApi.as_view(), "api-progress"),
    *api_path(
        "progress/certifications/<id:certification_id>",
        progress_api.ProgressDetailApi.as_view(),
        "api-progress-certification",
    ),
    *api_path("progress/achievements", progress_api.AchievementListApi.as_view(), "api-achievements"),
    *api_path("profile", progress_api.ProfileApi.as_view(), "api-profile"),
    # Anything else under /api is a JSON 404, never an HTML page.
    re_path(r"^.*$", api_not_found),
]
