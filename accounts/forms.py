from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts import throttling
from accounts.models import User, normalize_email
from accounts.services import password_rules_check
from accounts.validators import username_validator
from certifications.models import Certification
from mindquest.common.ratelimit import RateLimited, client_ip


class SignupForm(forms.Form):
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    username = forms.CharField(
        max_length=30,
        validators=[username_validator],
        help_text="3–30 letters, digits, _ . or -",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        strip=False,
        help_text="At least 8 characters, with an uppercase letter, a lowercase letter and a digit.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    selected_certification = forms.ModelChoiceField(
        queryset=Certification.objects.active().in_catalog_order(),
        required=False,
        empty_label="Choose later",
        label="Certification you are preparing for",
    )

    def clean(self) -> dict:
        # The password rules in the same round as the other fields' errors (the sign-up service
        # checks them again, for the API).
        data = super().clean()
        if password := data.get("password"):
            someone = User(email=normalize_email(data.get("email", "")), username=data.get("username", ""))
            try:
                password_rules_check(password, user=someone)
            except ValidationError as error:
                self.add_error(None, error)
        return data


class LoginForm(AuthenticationForm):
    """Sign in with the email address or the username."""

    username = forms.CharField(
        label="Email or username",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": "Invalid email, username or password.",  # the field takes either
        "inactive": "This account is inactive.",
    }


class AdminLoginForm(AdminAuthenticationForm):
    """The admin site's sign-in, under the same limits as the learners' (by address, and by the
    account tried): staff passwords are the last ones to leave open to guessing."""

    def clean(self) -> dict:
        try:
            account = throttling.login_allowed(
                ip=client_ip(self.request), login=self.data.get("username", "")
            )
        except RateLimited as limited:
            raise ValidationError(limited.message, code="rate_limited") from None
        try:
            return super().clean()
        except ValidationError:
            throttling.login_failed(account=account)
            raise


class PasswordChangeForm(forms.Form):
    """The new password's rules and its confirmation are checked here, in one round; the current
    password is checked by the service, once everything else is right (it costs a hash)."""

    current_password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        strip=False,
        help_text="At least 8 characters, with an uppercase letter, a lowercase letter and a digit.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm_password = forms.CharField(
        strip=False,
        label="New password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict:
        data = super().clean()
        if new_password := data.get("new_password"):
            try:
                password_rules_check(new_password, user=self.user, field="new_password")
            except ValidationError as error:
                self.add_error(None, error)
            if new_password != data.get("confirm_password"):
                self.add_error("confirm_password", "The two new passwords differ.")
        return data


class ProfileForm(forms.Form):
    username = forms.CharField(
        max_length=30,
        validators=[username_validator],
        help_text="3–30 letters, digits, _ . or -",
    )
    selected_certification = forms.ModelChoiceField(
        queryset=Certification.objects.active().in_catalog_order(),
        required=False,
        empty_label="None yet",
        label="Certification you are preparing for",
    )

    def __init__(self, *args, selected: Certification | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if selected is not None and not selected.is_active:
            # An exam retired since the learner chose it stays theirs until they pick another (saving
            # the form must not drop it unseen); nobody can choose it anew.
            field = self.fields["selected_certification"]
            field.queryset = (
                Certification.objects.active() | Certification.objects.filter(pk=selected.pk)
            ).in_catalog_order()
            field.label_from_instance = lambda c: str(c) if c.is_active else f"{c} (retired)"
