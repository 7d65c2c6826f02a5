from django.contrib import admin
from django.urls import include, path

from mindquest.common.health import ApiRootApi

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api", ApiRootApi.as_view(), name="api-root"),
    path("api/", include("mindquest.api_urls")),
    # Learner pages
    path("", include("certifications.urls")),
    path("", include("accounts.urls")),
    path("", include("quizzes.urls")),
    path("", include("progress.urls")),
]

handler404 = "mindquest.common.views.page_not_found"
handler500 = "mindquest.common.views.server_error"
