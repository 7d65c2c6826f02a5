from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from certifications.selectors import certification_list


def landing(request: HttpRequest) -> HttpResponse:
    """What Mind Quest is, for visitors; signed-in learners go straight to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "certifications/landing.html", {"certifications": certification_list()})


def certification_list_page(request: HttpRequest) -> HttpResponse:
    selected = request.user.profile.selected_certification_id if request.user.is_authenticated else None
    return render(
        request,
        "certifications/certification_list.html",
        {"certifications": certification_list(), "selected_id": selected},
    )
