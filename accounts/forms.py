from django import forms
from django.contrib.auth.forms import AuthenticationForm

from accounts.validators import username_validator
from certifications.models import Certification


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


class LoginForm(AuthenticationForm):
    """Sign in with the email address or the username."""

    username = forms.CharField(
        label="Email or username",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": "Invalid email or password.",
        "inactive": "This account is inactive.",
    }


class PasswordChangeForm(forms.Form):
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

    def clean(self) -> dict:
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("confirm_password"):
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
