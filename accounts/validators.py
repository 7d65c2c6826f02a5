from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,30}$"

username_validator = RegexValidator(
    USERNAME_PATTERN,
    "Usernames are 3–30 characters: letters, digits, and _ . - only.",
    code="invalid_username",
)


@deconstructible
class CharacterClassesValidator:
    """A password needs an uppercase letter, a lowercase letter and a digit."""

    message = "The password must contain an uppercase letter, a lowercase letter and a digit."

    def validate(self, password: str, user: object = None) -> None:
        if not (
            any(c.isupper() for c in password)
            and any(c.islower() for c in password)
            and any(c.isdigit() for c in password)
        ):
            raise ValidationError(self.message, code="password_character_classes")

    def get_help_text(self) -> str:
        return "Your password must contain an uppercase letter, a lowercase letter and a digit."
