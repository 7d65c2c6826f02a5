"""Limits on sign-in, sign-up and quiz generation, and the daily LLM token budget."""

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from quizzes import budget
from quizzes.models import Question
from quizzes.services import quiz_generate
from quizzes.tests.factories import QuestionFactory, valid_item

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many attempts. Please wait"


def api_login(login: str, password: str, ip: str = "198.51.100.7"):
    return Client(REMOTE_ADDR=ip).post(
        "/api/auth/login", {"email": login, "password": password}, content_type="application/json"
    )


def test_a_login_brute_force_is_refused_per_account(learner, settings):
    settings.LOGIN_RATE_PER_ACCOUNT = "5/hour"
    for attempt in range(5):
        assert api_login("ada", f"Guess-{attempt}x", ip=f"203.0.113.{attempt}").status_code == 401
    response = api_login("ada", "Guess-6x", ip="203.0.113.99")
    assert response.status_code == 429
    assert response.json()["detail"].startswith(TOO_MANY)
    assert int(response["Retry-After"]) > 0


def test_the_limit_holds_even_for_the_right_password_while_it_lasts(learner, password, settings):
    settings.LOGIN_RATE_PER_ACCOUNT = "3/hour"
    for attempt in range(3):
        api_login("ada", f"Guess-{attempt}x")
    assert api_login("ada", password).status_code == 429


def test_the_account_s_email_and_username_share_one_count(learner, password, settings):
    settings.LOGIN_RATE_PER_ACCOUNT = "3/hour"
    for attempt in range(3):
        assert api_login("ada", f"Guess-{attempt}x", ip=f"203.0.113.{attempt}").status_code == 401
    assert api_login("ADA@example.com", password, ip="203.0.113.50").status_code == 429
    assert admin_login("ada@example.com", password, ip="203.0.113.51").context["form"].non_field_errors()


def test_a_failed_sign_in_reads_the_account_once_for_the_limit_and_once_for_the_password(
    learner, django_assert_num_queries
):
    with django_assert_num_queries(2):
        assert api_login("ada", "Wrong-1234x").status_code == 401


def test_an_unknown_account_is_limited_exactly_like_a_known_one(learner, settings):
    settings.LOGIN_RATE_PER_ACCOUNT = "2/hour"
    known = [api_login("ada", "Nope-1234x", ip="192.0.2.1") for _ in range(3)]
    unknown = [api_login("nobody@example.com", "Nope-1234x", ip="192.0.2.2") for _ in range(3)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [401, 401, 429]
    assert known[-1].json() == unknown[-1].json()


def admin_login(login: str, password: str, ip: str = "198.51.100.8"):
    return Client(REMOTE_ADDR=ip).post(
        "/admin/login/?next=/admin/", {"username": login, "password": password}
    )


def test_the_admin_sign_in_is_limited_like_the_learners(admin_user, password, settings):
    settings.LOGIN_RATE_PER_ACCOUNT = "3/hour"
    for attempt in range(3):
        wrong = admin_login("admin", f"Guess-{attempt}x", ip=f"203.0.113.{attempt}")
        assert wrong.status_code == 200  # the form again, with its error
    refused = admin_login("admin", password, ip="203.0.113.99")
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()[0].startswith(TOO_MANY)
    # Learners and admins share the account's count: the API refuses it too.
    assert api_login("admin", password, ip="203.0.113.98").status_code == 429


def test_the_admin_sign_in_is_limited_per_client_address(admin_user, password, settings):
    settings.LOGIN_RATE_PER_IP = "2/hour"
    assert [admin_login(f"nobody{n}", "Nope-1234x").status_code for n in range(2)] == [200, 200]
    assert admin_login("admin", password).context["form"].non_field_errors()[0].startswith(TOO_MANY)
    assert admin_login("admin", password, ip="198.51.100.9").status_code == 302


def test_logins_are_limited_per_client_address(learner, password, settings):
    settings.LOGIN_RATE_PER_IP = "4/hour"
    statuses = [
        api_login(f"user{n}@example.com", "Nope-1234x", ip="198.51.100.50").status_code for n in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]
    assert api_login("ada", password, ip="198.51.100.51").status_code == 200


def test_the_client_address_comes_from_trusted_proxies_only(learner, settings):
    settings.LOGIN_RATE_PER_IP = "1/hour"
    settings.TRUSTED_PROXY_COUNT = 1

    def attempt(forwarded: str):
        return Client(REMOTE_ADDR="10.0.0.1").post(
            "/api/auth/login",
            {"email": "x@example.com", "password": "Nope-1234x"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert attempt("203.0.113.1").status_code == 401
    assert attempt("203.0.113.2").status_code == 401  # a different client behind the same proxy
    assert attempt("203.0.113.1").status_code == 429


def test_the_login_page_is_limited_too(client, learner, settings):
    settings.LOGIN_RATE_PER_ACCOUNT = "2/hour"
    for _ in range(2):
        client.post("/login", {"username": "ada", "password": "Nope-1234x"})
    response = client.post(
        "/login", {"username": "ADA", "password": "Nope-1234x"}
    )  # same identifier, any case
    assert response.status_code == 429
    assert TOO_MANY in response.text
    assert int(response["Retry-After"]) > 0


def test_registrations_are_limited_per_address(settings):
    settings.REGISTER_RATE_PER_IP = "2/hour"
    client = Client(REMOTE_ADDR="198.51.100.9")
    statuses = [
        client.post(
            "/api/auth/register",
            {"email": f"new{n}@example.com", "username": f"new{n}", "password": "Quiz-Master-42"},
            content_type="application/json",
        ).status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 429]


def test_the_signup_page_is_limited_too(settings):
    settings.REGISTER_RATE_PER_IP = "1/hour"
    client = Client()
    client.post("/signup", {"email": "a@example.com", "username": "aaa", "password": "Quiz-Master-42"})
    client.logout()
    response = client.post(
        "/signup", {"email": "b@example.com", "username": "bbb", "password": "Quiz-Master-42"}
    )
    assert response.status_code == 429
    assert TOO_MANY in response.text
    assert int(response["Retry-After"]) > 0


def test_quiz_generation_is_limited_per_learner(learner_api, other_api, certification, bank, settings):
    settings.QUIZ_GENERATE_RATE = "3/hour"
    body = {"certification_id": str(certification.pk)}
    statuses = [learner_api.post("/api/quizzes/generate", body, format="json").status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert other_api.post("/api/quizzes/generate", body, format="json").status_code == 201


def test_the_new_quiz_page_is_limited_too(client, learner, certification, bank, settings):
    settings.QUIZ_GENERATE_RATE = "1/hour"
    client.force_login(learner)
    form = {"certification": str(certification.pk), "question_count": "5"}
    assert client.post("/quiz/new", form).status_code == 302
    response = client.post("/quiz/new", form)
    assert response.status_code == 429
    assert "You have started a lot of quizzes" in response.text
    assert int(response["Retry-After"]) > 0


# --- the daily LLM token budget -------------------------------------------------------------------


def test_llm_tokens_are_counted_against_the_days_budget(learner, certification, fake_openai):
    fake_openai.reply_items(
        [valid_item("Design", n=1), valid_item("Operations", n=2)], prompt_tokens=120, completion_tokens=80
    )
    quiz_generate(learner=learner, certification=certification, count=2)
    assert budget.tokens_spent() == 200


def test_a_spent_budget_stops_generation_and_the_bank_serves(learner, certification, fake_openai, settings):
    settings.LLM_DAILY_TOKEN_BUDGET = 1000
    budget.record_tokens(1000)
    QuestionFactory.create_batch(3, certification=certification, difficulty="easy")
    generated = quiz_generate(learner=learner, certification=certification, count=3, difficulty="hard")
    assert fake_openai.requests == []
    assert generated.quiz.generation_source == "fallback"
    assert Question.objects.filter(source="generated").count() == 0


def test_the_admin_sees_why_nothing_is_generated(client, settings):
    settings.LLM_DAILY_TOKEN_BUDGET = 500
    budget.record_tokens(600)
    client.force_login(UserFactory(admin=True))
    response = client.get("/admin/quizzes/question/")
    assert "The daily LLM token budget is spent (600 of 500 tokens today)" in response.text


def test_no_budget_means_no_limit(settings):
    settings.LLM_DAILY_TOKEN_BUDGET = 0
    budget.record_tokens(10**9)
    assert not budget.is_spent()
