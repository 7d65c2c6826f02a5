from rest_framework import serializers

from accounts.models import User
from accounts.validators import username_validator
from mindquest.common.serializers import OutputSerializer, iso_datetime, text_id


class UserOutputSerializer(OutputSerializer):
    id = serializers.UUIDField()
    email = serializers.EmailField(help_text="Stored in lowercase; unique.")
    username = serializers.CharField(help_text="3–30 letters, digits, _ . -; unique regardless of case.")
    is_admin = serializers.BooleanField(source="is_staff", help_text="Admins can curate content.")
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    @classmethod
    def represent(cls, user: User, context: dict) -> dict:
        return {
            "id": text_id(user.id),
            "email": user.email,
            "username": user.username,
            "is_admin": user.is_staff,
            "is_active": user.is_active,
            "created_at": iso_datetime(user.created_at),
        }


class TokenOutputSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    token_type = serializers.CharField(default="bearer")
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")
    user = UserOutputSerializer()

    def to_representation(self, pair) -> dict:
        return {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "token_type": "bearer",
            "expires_in": pair.expires_in,
            "user": UserOutputSerializer.represent(pair.user, {}),
        }


class RegisterInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    username = serializers.CharField(max_length=30, validators=[username_validator])
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    selected_certification_id = serializers.UUIDField(required=False, allow_null=True)


class LoginInputSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254, help_text="The email address or the username.")
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class RefreshInputSerializer(serializers.Serializer):
    refresh_token = serializers.CharField()


class LogoutInputSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class PasswordChangeInputSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
