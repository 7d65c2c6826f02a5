"""Error pages: JSON under /api (the API's one error format), the site's own pages elsewhere."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from mindquest.common.api import INTERNAL_ERROR


def _is_api(request: HttpRequest) -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Not found"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": INTERNAL_ERROR}, status=500)
    # Rendered without the request, so no context processor (or database) can fail it again.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
