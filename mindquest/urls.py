from django.contrib import admin
from django.urls import include, path, register_converter

from accounts.forms import AdminLoginForm
from mindquest.common.converters import IdConverter
from mindquest.common.health import ApiRootApi
from mindquest.common.views import favicon

admin.site.site_header = "Mind Quest administration"
admin.site.site_title = "Mind Quest admin"
admin.site.index_title = "Certifications, question bank and learners"
admin.site.login_form = AdminLoginForm

# <id:...> in every app's routes: registered before their URLconfs are included below.
register_converter(IdConverter, "id")

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", favicon),
    path("api", ApiRootApi.as_view(), name="api-root"),
    path("api/", include("mindquest.api_urls")),
    # Learner pages
    path("", include("certifications.urls")),
    path("", include("accounts.urls")),
    path("", include("quizzes.urls")),
    path("", include("progress.urls")),
]

handler400 = "mindquest.common.views.bad_request"
handler403 = "mindquest.common.views.permission_denied"
handler404 = "mindquest.common.views.page_not_found"
handler500 = "mindquest.common.views.server_error"
