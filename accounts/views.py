"""Pages for signing up and in, the password and the profile; they call the same services as the API."""

import logging

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import services, throttling
from accounts.forms import LoginForm, PasswordChangeForm, ProfileForm, SignupForm
from certifications.models import Certification
from certifications.selectors import catalog
from mindquest.common.exceptions import ConflictError
from mindquest.common.ratelimit import RateLimited, client_ip

logger = logging.getLogger(__name__)

CONFLICT_FIELDS = {"Email already registered": "email", "Username already taken": "username"}


def _add_service_errors(form, error: ValidationError) -> None:
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            throttling.registration_allowed(ip=client_ip(request), email=form.cleaned_data["email"])
        except RateLimited as limited:
            form.add_error(None, limited.message)
            response = render(request, "accounts/signup.html", {"form": form}, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        try:
            user = services.user_register(
                email=form.cleaned_data["email"],
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                selected_certification=form.cleaned_data["selected_certification"],
            )
        except ConflictError as error:
            form.add_error(CONFLICT_FIELDS.get(error.message), error.message)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            login(request, user, backend="accounts.backends.EmailOrUsernameBackend")
            messages.success(request, f"Welcome to Mind Quest, {user.username}!")
            return redirect("dashboard" if form.cleaned_data["selected_certification"] else "certifications")
    return render(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            self.account = throttling.login_allowed(
                ip=client_ip(request), login=request.POST.get("username", "")
            )
        except RateLimited as limited:
            # Not even checked: the password is not looked at while the limit lasts.
            response = self.render_to_response(self.get_context_data(refused=limited.message), status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: LoginForm) -> HttpResponse:
        logger.info("login succeeded for user %s (web)", form.get_user().pk)
        return super().form_valid(form)

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        throttling.login_failed(account=self.account)
        logger.info("login failed (web)")
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are signed out.")
        return response


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(
                user=request.user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)  # stay signed in here; other sessions end
            messages.success(request, "Your password has changed. Other devices have been signed out.")
            return redirect("profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    current = request.user.profile
    form = ProfileForm(
        request.POST or None,
        selected=catalog().certifications.get(current.selected_certification_id),
        initial={
            "username": request.user.username,
            "selected_certification": current.selected_certification_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        certification = form.cleaned_data["selected_certification"]
        try:
            services.profile_update(
                user=request.user,
                username=form.cleaned_data["username"],
                selected_certification=certification,
                clear_certification=certification is None,
            )
        except ConflictError as error:
            form.add_error("username", error.message)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Profile saved.")
            return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_POST
def certification_select(request: HttpRequest, certification_id: str) -> HttpResponse:
    certification = get_object_or_404(Certification.objects.active(), pk=certification_id)
    services.profile_update(user=request.user, selected_certification=certification)
    messages.success(request, f"You are preparing for {certification.code} {certification.name}.")
    return redirect(_safe_next(request, "dashboard"))
