from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import AuthSession, Profile, User
from accounts.services import auth_session_start
from certifications.models import Certification

pytestmark = pytest.mark.django_db

NEW_LEARNER = {"email": "Linus@Example.com", "username": "linus_t", "password": "Penguin-Kernel-91"}


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def login(client: APIClient, login: str, password: str):
    return client.post("/api/auth/login", {"email": login, "password": password}, format="json")


# --- register -------------------------------------------------------------------------------------


def test_register_returns_the_exact_token_response(anon_api):
    response = anon_api.post("/api/auth/register", NEW_LEARNER, format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in", "user"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == int(settings.ACCESS_TOKEN_LIFETIME.total_seconds())
    user = User.objects.get(username="linus_t")
    assert body["user"] == {
        "id": str(user.pk),
        "email": "linus@example.com",
        "username": "linus_t",
        "is_admin": False,
        "is_active": True,
        "created_at": body["user"]["created_at"],
    }
    assert bearer(body["access_token"]).get("/api/auth/me").status_code == 200


def test_expires_in_is_the_access_tokens_lifetime_whenever_the_caller_read_the_clock(learner):
    # simplejwt reads the clock itself, after the caller: counted from the caller's time, a second
    # boundary in between made it one second long.
    pair = auth_session_start(user=learner, now=timezone.now() - timedelta(milliseconds=999))
    assert pair.expires_in == int(settings.ACCESS_TOKEN_LIFETIME.total_seconds())


def test_register_creates_the_profile_with_the_chosen_certification(anon_api):
    saa = Certification.objects.get(code="SAA-C03")
    anon_api.post(
        "/api/auth/register", {**NEW_LEARNER, "selected_certification_id": str(saa.pk)}, format="json"
    )
    profile = Profile.objects.get(user__username="linus_t")
    assert (profile.selected_certification, profile.xp, profile.level) == (saa, 0, 1)


def test_register_with_an_unknown_certification_is_400_and_creates_nothing(anon_api):
    response = anon_api.post(
        "/api/auth/register",
        {**NEW_LEARNER, "selected_certification_id": "6f1c8a6e-0000-4000-8000-000000000000"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"selected_certification_id": ["Unknown certification."]}
    assert not User.objects.filter(username="linus_t").exists()


def test_email_already_registered_in_another_case_is_409(anon_api, learner):
    response = anon_api.post("/api/auth/register", {**NEW_LEARNER, "email": "ADA@example.COM"}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "Email already registered"}


def test_username_taken_in_another_case_is_409(anon_api, learner):
    response = anon_api.post("/api/auth/register", {**NEW_LEARNER, "username": "ADA"}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "Username already taken"}


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Sh0rt", "This password is too short. It must contain at least 8 characters."),
        ("alllowercase1", "The password must contain an uppercase letter, a lowercase letter and a digit."),
        ("ALLUPPERCASE1", "The password must contain an uppercase letter, a lowercase letter and a digit."),
        ("NoDigitsHere", "The password must contain an uppercase letter, a lowercase letter and a digit."),
        ("Password1", "This password is too common."),
        ("Linus_t2024", "The password is too similar to the username."),
    ],
)
def test_each_password_rule_rejects(anon_api, password, message):
    response = anon_api.post("/api/auth/register", {**NEW_LEARNER, "password": password}, format="json")
    assert response.status_code == 400
    assert message in response.json()["errors"]["password"]
    assert not User.objects.filter(username="linus_t").exists()


@pytest.mark.parametrize("username", ["ab", "x" * 31, "has space", "émile", "semi;colon"])
def test_username_must_be_3_to_30_letters_digits_and_underscore_dot_dash(anon_api, username):
    response = anon_api.post("/api/auth/register", {**NEW_LEARNER, "username": username}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()["errors"]


def test_register_missing_fields_lists_each(anon_api):
    response = anon_api.post("/api/auth/register", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email", "username", "password"}


# --- login ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["ada@example.com", "ADA@Example.com", "ada", "Ada"])
def test_login_by_email_or_username_in_any_case(anon_api, learner, password, identifier):
    response = login(anon_api, identifier, password)
    assert response.status_code == 200
    assert response.json()["user"]["id"] == str(learner.pk)


@pytest.mark.parametrize("identifier", ["ada@example.com", "nobody@example.com", "nobody"])
def test_wrong_credentials_get_one_generic_401(anon_api, learner, identifier):
    response = login(anon_api, identifier, "Wrong-Password-1")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid email or password"}


def test_inactive_account_with_the_right_password_is_403(anon_api, learner, password):
    User.objects.filter(pk=learner.pk).update(is_active=False)
    response = login(anon_api, "ada", password)
    assert response.status_code == 403
    assert response.json() == {"detail": "User account is inactive"}


def test_login_ignores_a_stale_bearer_token(learner, password):
    response = login(bearer("garbage"), "ada", password)
    assert response.status_code == 200


# --- me and 401s ----------------------------------------------------------------------------------


def test_me_returns_the_user(learner_api, learner):
    response = learner_api.get("/api/auth/me")
    assert response.status_code == 200
    assert response.json()["username"] == "ada"


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_the_scheme_is_read_without_regard_to_case(learner, scheme):
    """A client may send the token response's own token_type ("bearer") as the scheme."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {auth_session_start(user=learner).access_token}")
    response = client.get("/api/auth/me")
    assert response.status_code == 200, response.json()
    assert response.json()["username"] == "ada"


def test_missing_token_is_401(anon_api):
    response = anon_api.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer", "Token abc", "Bearer a b"])
def test_malformed_or_garbage_token_is_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert isinstance(response.json()["detail"], str)


def test_expired_access_token_is_401(learner_api):
    token = AccessToken(learner_api.tokens.access_token)
    token.set_exp(from_time=timezone.now() - timedelta(hours=2))
    response = bearer(str(token)).get("/api/auth/me")
    assert response.status_code == 401


def test_token_signed_with_another_key_is_401(learner):
    forged = jwt.encode(
        {"user_id": str(learner.pk), "token_type": "access"},
        "not-our-key-but-long-enough-for-hs256",
        algorithm="HS256",
    )
    assert bearer(forged).get("/api/auth/me").status_code == 401


def test_deactivated_user_is_401_at_once(learner_api, learner):
    User.objects.filter(pk=learner.pk).update(is_active=False)
    assert learner_api.get("/api/auth/me").status_code == 401


# --- refresh --------------------------------------------------------------------------------------


def test_refresh_rotates_and_the_old_refresh_token_stops_working(anon_api, learner, password):
    first = login(anon_api, "ada", password).json()
    response = anon_api.post("/api/auth/refresh", {"refresh_token": first["refresh_token"]}, format="json")
    assert response.status_code == 200
    second = response.json()
    assert set(second) == {"access_token", "refresh_token", "token_type", "expires_in", "user"}
    assert second["refresh_token"] != first["refresh_token"]
    assert bearer(second["access_token"]).get("/api/auth/me").status_code == 200
    again = anon_api.post("/api/auth/refresh", {"refresh_token": first["refresh_token"]}, format="json")
    assert again.status_code == 401
    assert again.json() == {"detail": "Invalid or expired refresh token"}


def test_reusing_a_rotated_refresh_token_ends_the_whole_session(anon_api, learner, password):
    first = login(anon_api, "ada", password).json()
    second = anon_api.post(
        "/api/auth/refresh", {"refresh_token": first["refresh_token"]}, format="json"
    ).json()
    anon_api.post("/api/auth/refresh", {"refresh_token": first["refresh_token"]}, format="json")
    # Whoever copied the old token, the live pair of that session is dead too.
    assert bearer(second["access_token"]).get("/api/auth/me").status_code == 401
    refresh = anon_api.post("/api/auth/refresh", {"refresh_token": second["refresh_token"]}, format="json")
    assert refresh.status_code == 401


def test_an_access_token_is_not_a_refresh_token(anon_api, learner, password):
    tokens = login(anon_api, "ada", password).json()
    response = anon_api.post("/api/auth/refresh", {"refresh_token": tokens["access_token"]}, format="json")
    assert response.status_code == 401


def test_refresh_of_a_deactivated_user_is_401(anon_api, learner, password):
    tokens = login(anon_api, "ada", password).json()
    User.objects.filter(pk=learner.pk).update(is_active=False)
    response = anon_api.post("/api/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json")
    assert response.status_code == 401


def test_refresh_after_the_sessions_absolute_lifetime_is_401(anon_api, learner, password):
    tokens = login(anon_api, "ada", password).json()
    AuthSession.objects.filter(user=learner).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = anon_api.post("/api/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json")
    assert response.status_code == 401


# --- logout ---------------------------------------------------------------------------------------


def test_after_logout_neither_token_works(anon_api, learner, password):
    tokens = login(anon_api, "ada", password).json()
    client = bearer(tokens["access_token"])
    response = client.post("/api/auth/logout", {"refresh_token": tokens["refresh_token"]}, format="json")
    assert response.status_code == 204
    assert client.get("/api/auth/me").status_code == 401
    refresh = anon_api.post("/api/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json")
    assert refresh.status_code == 401


def test_logout_without_a_body_still_ends_the_session(learner_api):
    assert learner_api.post("/api/auth/logout").status_code == 204
    assert learner_api.get("/api/auth/me").status_code == 401


def test_logout_leaves_other_sessions_alone(anon_api, learner, password):
    phone = login(anon_api, "ada", password).json()
    laptop = login(anon_api, "ada", password).json()
    bearer(phone["access_token"]).post("/api/auth/logout", {"refresh_token": phone["refresh_token"]})
    assert bearer(laptop["access_token"]).get("/api/auth/me").status_code == 200


def test_logout_needs_a_token(anon_api):
    assert anon_api.post("/api/auth/logout").status_code == 401


# --- password change ------------------------------------------------------------------------------


def test_password_change_ends_other_sessions_and_keeps_this_one(anon_api, learner, password):
    phone = login(anon_api, "ada", password).json()
    laptop = login(anon_api, "ada", password).json()
    client = bearer(laptop["access_token"])
    response = client.post(
        "/api/auth/password",
        {"current_password": password, "new_password": "Fresh-Start-2026"},
        format="json",
    )
    assert response.status_code == 204
    assert client.get("/api/auth/me").status_code == 200
    assert bearer(phone["access_token"]).get("/api/auth/me").status_code == 401
    refresh = anon_api.post("/api/auth/refresh", {"refresh_token": phone["refresh_token"]}, format="json")
    assert refresh.status_code == 401
    assert login(anon_api, "ada", "Fresh-Start-2026").status_code == 200
    assert login(anon_api, "ada", password).status_code == 401


def test_password_change_with_a_wrong_current_password_is_400(learner_api, learner, password):
    response = learner_api.post(
        "/api/auth/password",
        {"current_password": "Nope-Nope-1", "new_password": "Fresh-Start-2026"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"current_password": ["The current password is incorrect."]}
    learner.refresh_from_db()
    assert learner.check_password(password)


def test_new_password_follows_the_rules(learner_api, password):
    response = learner_api.post(
        "/api/auth/password", {"current_password": password, "new_password": "weak"}, format="json"
    )
    assert response.status_code == 400
    assert "new_password" in response.json()["errors"]


# --- no default admin -----------------------------------------------------------------------------


def test_no_account_exists_until_someone_creates_one():
    assert not User.objects.exists()
