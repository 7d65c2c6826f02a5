import pytest
from django.core.management import call_command

from accounts.models import AuthSession, Profile, User
from certifications.models import Certification

pytestmark = pytest.mark.django_db


def test_user_changelist_add_and_change_pages_render(admin_browser, learner):
    assert admin_browser.get("/admin/accounts/user/").status_code == 200
    assert admin_browser.get("/admin/accounts/user/add/").status_code == 200
    response = admin_browser.get(f"/admin/accounts/user/{learner.pk}/change/")
    assert response.status_code == 200
    assert "Selected certification" in response.text


def test_the_learner_s_certification_is_chosen_among_those_on_offer(admin_browser, learner):
    clf, dva, saa = Certification.objects.filter(code__in=["CLF-C02", "DVA-C02", "SAA-C03"]).order_by("code")
    Certification.objects.filter(pk__in=[dva.pk, saa.pk]).update(is_active=False)
    Profile.objects.filter(user=learner).update(selected_certification=saa)

    form = admin_browser.get(f"/admin/accounts/user/{learner.pk}/change/").context["inline_admin_formsets"][0]
    offered = form.formset.forms[0].fields["selected_certification"].queryset
    assert clf in offered
    assert saa in offered  # retired since the learner chose it: still shown as theirs
    assert dva not in offered


def test_user_added_in_admin_gets_a_profile(admin_browser):
    response = admin_browser.post(
        "/admin/accounts/user/add/",
        {
            "email": "New@Example.com",
            "username": "newbie",
            "usable_password": "true",
            "password1": "Brand-New-Pass-8",
            "password2": "Brand-New-Pass-8",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert Profile.objects.filter(user=user).exists()


def test_createsuperuser_makes_an_admin_with_a_profile(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Root-Of-All-9")
    call_command("createsuperuser", "--noinput", email="Boss@Example.com", username="boss")
    boss = User.objects.get(email="boss@example.com")
    assert boss.is_staff
    assert boss.is_superuser
    assert boss.profile.level == 1


def test_admin_can_sign_in_to_the_admin_site_with_email_or_username(client, admin_user, password):
    for login in ("admin@example.com", "admin"):
        response = client.post("/admin/login/?next=/admin/", {"username": login, "password": password})
        assert response.status_code == 302, login
        client.logout()


def test_the_admin_says_it_is_mind_quest_s(admin_browser):
    page = admin_browser.get("/admin/")
    assert "Mind Quest administration" in page.text
    assert "<title>Certifications, question bank and learners | Mind Quest admin</title>" in page.text
    assert "Django administration" not in page.text


def test_a_password_set_in_admin_ends_the_user_s_api_sessions(admin_browser, learner, learner_api):
    assert learner_api.get("/api/auth/me").status_code == 200
    response = admin_browser.post(
        f"/admin/accounts/user/{learner.pk}/password/",
        {"usable_password": "true", "password1": "Brand-New-Pass-8", "password2": "Brand-New-Pass-8"},
    )
    assert response.status_code == 302
    assert learner_api.get("/api/auth/me").status_code == 401
    refresh = {"refresh_token": learner_api.tokens.refresh_token}
    assert learner_api.post("/api/auth/refresh", refresh, format="json").status_code == 401
    assert not AuthSession.objects.filter(user=learner, revoked_at=None).exists()


def test_deactivating_a_user_in_admin_ends_their_api_sessions_for_good(admin_browser, learner, learner_api):
    change = f"/admin/accounts/user/{learner.pk}/change/"

    def post(active: bool):
        page = admin_browser.get(change).context
        data = {"email": learner.email, "username": learner.username, "_save": "Save"}
        if active:
            data["is_active"] = "on"
        for formset in page["inline_admin_formsets"]:
            management = formset.formset.management_form
            data |= {management.add_prefix(name): value for name, value in management.initial.items()}
            for form in formset.formset.forms:
                data |= {form.add_prefix(name): form[name].value() or "" for name in form.fields}
        return admin_browser.post(change, data)

    assert post(active=False).status_code == 302
    assert not AuthSession.objects.filter(user=learner, revoked_at=None).exists()
    assert post(active=True).status_code == 302
    assert User.objects.get(pk=learner.pk).is_active
    assert learner_api.get("/api/auth/me").status_code == 401
