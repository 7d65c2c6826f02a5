"""The learner's pages, through Django's test client (the browser tests drive the same flows in chromium)."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.models import AuthSession, Profile, User
from accounts.services import auth_session_start
from certifications.models import Certification
from mindquest.common import ratelimit
from progress.achievements import CATALOG
from quizzes.models import Quiz, QuizStatus
from quizzes.services import quiz_evaluate, quiz_generate
from quizzes.signals import grading_reads
from quizzes.tests.factories import make_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def quiz(learner, certification, bank):
    Profile.objects.filter(user=learner).update(selected_certification=certification)
    return quiz_generate(learner=learner, certification=certification, count=5)


def option_index(item, *, right: bool) -> str:
    question = item.question
    for index, text in enumerate(question.options):
        if (text in question.correct_answers) == right:
            return str(index)
    raise AssertionError("no such option")


def form_answers(generated, *, right: bool = True, skip: int = 0) -> dict:
    data = {}
    for item in generated.items[skip:]:
        if item.question.question_type == "multi_select" and right:
            data[f"answer-{item.pk}"] = [
                str(i) for i, t in enumerate(item.question.options) if t in item.question.correct_answers
            ]
        else:
            data[f"answer-{item.pk}"] = option_index(item, right=right)
    return data


# --- landing, sign-up, login ----------------------------------------------------------------------


def test_landing_tells_visitors_what_mind_quest_is(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Pass your AWS certification" in response.text
    assert "SAA-C03" in response.text
    assert reverse("signup") in response.text


def test_landing_sends_signed_in_learners_to_their_dashboard(browser):
    assert browser.get("/").url == "/dashboard"


def test_signup_creates_the_account_signs_in_and_asks_for_a_certification(client):
    response = client.post(
        "/signup",
        {
            "email": "New@Example.com",
            "username": "newbie",
            "password": "Quiz-Master-42",
            "selected_certification": "",
        },
    )
    assert response.status_code == 302
    assert response.url == "/certifications"
    assert User.objects.get(email="new@example.com").profile.level == 1
    assert client.get("/dashboard").status_code == 200


def test_signup_with_a_certification_goes_to_the_dashboard(client):
    saa = Certification.objects.get(code="SAA-C03")
    response = client.post(
        "/signup",
        {
            "email": "a@example.com",
            "username": "aaa",
            "password": "Quiz-Master-42",
            "selected_certification": str(saa.pk),
        },
    )
    assert response.url == "/dashboard"


def test_signup_errors_appear_next_to_their_fields(client, learner):
    response = client.post("/signup", {"email": "ADA@example.com", "username": "x", "password": "short"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["username"] == ["Usernames are 3–30 characters: letters, digits, and _ . - only."]
    assert 'id="id_username_error"' in response.text
    response = client.post(
        "/signup", {"email": "ADA@example.com", "username": "another", "password": "Quiz-Master-42"}
    )
    assert response.context["form"].errors["email"] == ["Email already registered"]
    response = client.post(
        "/signup", {"email": "b@example.com", "username": "another", "password": "password1"}
    )
    assert "This password is too common." in response.context["form"].errors["password"]


def test_signup_shows_every_fields_errors_in_one_round(client):
    response = client.post("/signup", {"email": "foo@bar", "username": "ab", "password": "password"})
    errors = response.context["form"].errors
    assert set(errors) == {"email", "username", "password"}
    assert "This password is too common." in errors["password"]


def test_login_with_username_or_email(client, learner, password):
    for login in ("ada", "ADA@example.com"):
        response = client.post("/login", {"username": login, "password": password})
        assert response.status_code == 302, login
        assert response.url == "/dashboard"
        client.post("/logout")


def test_login_failure_is_one_generic_message(client, learner):
    response = client.post("/login", {"username": "ada", "password": "Wrong-Password-1"})
    assert response.status_code == 200
    assert "Invalid email, username or password." in response.text


def test_logout_is_a_post(browser):
    assert browser.get("/logout").status_code == 405
    response = browser.post("/logout")
    assert response.url == "/"
    assert "You are signed out." in browser.get("/").text
    assert browser.get("/dashboard").status_code == 302


@pytest.mark.parametrize(
    "path", ["/dashboard", "/quiz/new", "/history", "/achievements", "/profile", "/password"]
)
def test_logged_out_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/login?next={path}"


def test_a_deactivated_learner_is_signed_out_of_the_pages(browser, learner):
    assert browser.get("/dashboard").status_code == 200
    User.objects.filter(pk=learner.pk).update(is_active=False)
    response = browser.get("/dashboard")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- profile, password, certifications ------------------------------------------------------------


def test_profile_changes_username_and_certification(browser, learner):
    saa = Certification.objects.get(code="SAA-C03")
    response = browser.post("/profile", {"username": "ada_l", "selected_certification": str(saa.pk)})
    assert response.url == "/profile"
    profile = Profile.objects.select_related("user").get(user=learner)
    assert (profile.user.username, profile.selected_certification) == ("ada_l", saa)
    assert "Profile saved." in browser.get("/profile").text


def test_a_flash_message_is_one_status_region_not_a_list_of_them(browser):
    """A list item given role=status is no longer a list item, so screen readers (and axe) found
    a list of non-items: the region holds the messages instead."""
    response = browser.post(
        "/profile", {"username": "ada_lovelace", "selected_certification": ""}, follow=True
    )
    region = re.search(r'<div class="messages" role="status">(.*?)</div>', response.text, re.S)
    assert region, response.text
    assert "Profile saved." in region.group(1)
    assert "<li" not in region.group(1)


def retire(certification: Certification) -> None:
    certification.is_active = False
    certification.save()  # as the admin does: every process's catalog follows


def test_a_chosen_certification_since_retired_is_shown_as_such_and_kept_when_the_profile_is_saved(
    browser, learner, certification
):
    Profile.objects.filter(user=learner).update(selected_certification=certification)
    retire(certification)

    page = browser.get("/profile")
    assert re.search(
        rf'<option value="{certification.pk}" selected>TST-C01 Test Architect \(retired\)</option>', page.text
    )
    browser.post("/profile", {"username": "ada_l", "selected_certification": str(certification.pk)})
    assert Profile.objects.get(user=learner).selected_certification == certification

    dashboard = browser.get("/dashboard").text
    assert "Preparing for TST-C01 · Test Architect (retired)" in dashboard
    assert "TST-C01 is retired: quizzes now come from the certifications on offer." in dashboard
    assert "Practice weak domains" not in dashboard


def test_a_retired_certification_cannot_be_chosen_on_the_profile(browser, learner, certification):
    retire(certification)
    assert str(certification.pk) not in browser.get("/profile").text
    response = browser.post("/profile", {"username": "ada", "selected_certification": str(certification.pk)})
    assert "selected_certification" in response.context["form"].errors
    assert Profile.objects.get(user=learner).selected_certification is None


def test_profile_username_taken_shows_next_to_the_field(browser, other_learner):
    response = browser.post("/profile", {"username": "grace", "selected_certification": ""})
    assert response.context["form"].errors["username"] == ["Username already taken"]


def test_password_change_keeps_this_session_and_ends_api_sessions(browser, learner, password):
    auth_session_start(user=learner)
    response = browser.post(
        "/password",
        {
            "current_password": password,
            "new_password": "Fresh-Start-2026",
            "confirm_password": "Fresh-Start-2026",
        },
    )
    assert response.url == "/profile"
    assert browser.get("/dashboard").status_code == 200
    assert not AuthSession.objects.filter(user=learner, revoked_at=None).exists()


def test_password_change_errors(browser, password):
    response = browser.post(
        "/password",
        {"current_password": "nope", "new_password": "Fresh-Start-2026", "confirm_password": "Other-2026x"},
    )
    assert response.context["form"].errors["confirm_password"] == ["The two new passwords differ."]
    response = browser.post(
        "/password",
        {
            "current_password": "nope",
            "new_password": "Fresh-Start-2026",
            "confirm_password": "Fresh-Start-2026",
        },
    )
    assert response.context["form"].errors["current_password"] == ["The current password is incorrect."]


def test_password_change_shows_the_rules_and_the_confirmation_in_one_round(browser):
    response = browser.post(
        "/password", {"current_password": "nope", "new_password": "weak", "confirm_password": "weak2"}
    )
    errors = response.context["form"].errors
    assert errors["confirm_password"] == ["The two new passwords differ."]
    assert any("too short" in message for message in errors["new_password"]), errors


def test_certifications_show_exam_facts_and_domains(client):
    response = client.get("/certifications")
    assert response.status_code == 200
    assert "Design Secure Architectures" in response.text
    assert "130</strong> minutes" in response.text
    assert "Sign up to practise" in response.text


def test_selecting_a_certification(browser, learner):
    saa = Certification.objects.get(code="SAA-C03")
    response = browser.post(f"/certifications/{saa.pk}/select", {"next": "/dashboard"})
    assert response.url == "/dashboard"
    assert Profile.objects.get(user=learner).selected_certification == saa
    assert "Your certification" in browser.get("/certifications").text


def test_selecting_refuses_an_outside_next(browser):
    saa = Certification.objects.get(code="SAA-C03")
    assert (
        browser.post(f"/certifications/{saa.pk}/select", {"next": "https://evil.example.com/"}).url
        == "/dashboard"
    )


# --- quizzes --------------------------------------------------------------------------------------


def test_new_quiz_form_preselects_the_learners_certification(browser, learner, certification):
    Profile.objects.filter(user=learner).update(selected_certification=certification)
    response = browser.get("/quiz/new")
    assert response.status_code == 200
    assert response.context["form"]["certification"].value() == certification.pk


def test_new_quiz_form_asks_a_learner_without_a_certification_to_choose_one(browser):
    response = browser.get("/quiz/new")
    assert re.search(r'<option value="" selected>Choose a certification</option>', response.text)
    response = browser.post("/quiz/new", {"certification": "", "question_count": "5"})
    assert response.context["form"].errors["certification"] == ["Choose the certification to practise."]
    assert not Quiz.objects.exists()


def test_starting_a_quiz_opens_it(browser, certification, bank):
    response = browser.post(
        "/quiz/new",
        {"certification": str(certification.pk), "question_count": "5", "difficulty": "", "focus_weak": "on"},
    )
    quiz = Quiz.objects.get()
    assert response.url == f"/quizzes/{quiz.pk}"


START = {"question_count": "5", "difficulty": "", "focus_weak": "on"}
AN_HOUR = 1_800_000_000  # a whole number of hours since the epoch


def resume_links(html: str) -> list[str]:
    return re.findall(r'href="/quizzes/([0-9a-f-]+)">Resume', html)


def test_new_quiz_form_offers_the_unfinished_quizzes_newest_first_and_still_starts_one(
    browser, learner, certification, bank
):
    unfinished = [quiz_generate(learner=learner, certification=certification, count=2).quiz for _ in range(4)]
    page = browser.get("/quiz/new")
    assert "You have 4 unfinished quizzes" in page.text
    assert resume_links(page.text) == [str(quiz.pk) for quiz in unfinished[:0:-1]]  # the 3 newest
    assert f'<a href="{reverse("history")}?status=in_progress">All 4 in your history</a>' in page.text
    started = browser.post("/quiz/new", {"certification": str(certification.pk), **START})
    new = Quiz.objects.exclude(pk__in=[quiz.pk for quiz in unfinished]).get()
    assert started.url == f"/quizzes/{new.pk}"
    assert Quiz.objects.filter(status=QuizStatus.IN_PROGRESS).count() == 5


def test_new_quiz_form_offers_only_the_learners_own_unfinished_quiz(
    browser, learner, other_learner, certification, bank
):
    play(learner, certification, 1)
    mine = quiz_generate(learner=learner, certification=certification, count=2).quiz
    quiz_generate(learner=other_learner, certification=certification, count=2)
    page = browser.get("/quiz/new")
    assert "You have an unfinished quiz" in page.text
    assert resume_links(page.text) == [str(mine.pk)]
    assert "in your history" not in page.text  # every one is listed


@pytest.mark.parametrize(
    ("second_of_the_hour", "wait"),
    [(20, "60 minutes"), (3530, "2 minutes"), (3570, "a moment")],
)
def test_a_throttled_start_offers_the_unfinished_quiz(
    browser, learner, certification, bank, settings, monkeypatch, second_of_the_hour, wait
):
    # The limit's window is the clock's hour: the wait is what is left of it.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: AN_HOUR + second_of_the_hour))
    settings.QUIZ_GENERATE_RATE = "1/hour"
    first = browser.post("/quiz/new", {"certification": str(certification.pk), **START})
    second = browser.post("/quiz/new", {"certification": str(certification.pk), **START})
    assert second.status_code == 429
    assert f"started a lot of quizzes in a short time. Please wait {wait} before" in second.text
    assert second["Retry-After"] == str(3600 - second_of_the_hour)
    assert "different certification" not in second.text  # the limit is the learner's, whatever the exam
    assert resume_links(second.text) == [first.url.removeprefix("/quizzes/")]


def test_no_question_available_is_a_friendly_message(browser, certification, settings):
    settings.OPENAI_API_KEY = ""
    response = browser.post("/quiz/new", {"certification": str(certification.pk), "question_count": "5"})
    assert response.status_code == 200
    assert "No questions are available" in response.text
    assert "Your progress is safe: try a different certification or difficulty" in response.text
    assert not Quiz.objects.exists()


def test_taking_a_quiz_shows_the_right_controls(browser, quiz):
    response = browser.get(f"/quizzes/{quiz.quiz.pk}")
    assert response.status_code == 200
    multi = [item.question for item in quiz.items if item.question.question_type == "multi_select"]
    assert multi, "a quiz of five has a multi-select question"
    assert 'type="checkbox"' in response.text
    # The hint says how many to pick, as the exam does, not "all that apply", and describes its
    # question's group, so a screen reader announces it on entering the choices.
    number = next(n for n, item in enumerate(quiz.items, start=1) if item.question is multi[0])
    assert f'id="question-{number}" aria-describedby="hint-{number}"' in response.text
    assert f'id="hint-{number}">Select {len(multi[0].correct_answers)} answers.</p>' in response.text
    assert "one answer to each question, unless it asks for more." in response.text
    assert 'type="radio"' in response.text
    assert "0 of 5 answered" in response.text
    assert "Question 1 of 5" in response.text
    assert quiz.items[0].question.explanation not in response.text  # no answers before grading


def test_unanswered_questions_get_a_warning_and_keep_the_answers_given(browser, quiz):
    data = form_answers(quiz, skip=2)
    response = browser.post(f"/quizzes/{quiz.quiz.pk}", data)
    assert response.status_code == 200
    assert "2 questions unanswered." in response.text
    assert "Submit anyway" in response.text
    assert "3 of 5 answered" in response.text
    assert len(re.findall(r"\bchecked\b", response.text)) >= 3
    assert Quiz.objects.get(pk=quiz.quiz.pk).status == QuizStatus.IN_PROGRESS


def test_the_unanswered_warning_links_to_each_unanswered_question_and_marks_it(browser, quiz):
    data = form_answers(quiz)
    del data[f"answer-{quiz.items[0].pk}"], data[f"answer-{quiz.items[2].pk}"]
    response = browser.post(f"/quizzes/{quiz.quiz.pk}", data)
    warning = re.search(r'<div [^>]*id="unanswered-warning".*?</div>', response.text, re.S).group()
    assert (
        'Not answered yet: <a href="#question-1">question 1</a>, <a href="#question-3">question 3</a>.'
        in warning
    )
    legends = re.findall(
        r'<fieldset [^>]*id="question-(\d)"[^>]*>\s*<legend>(.*?)</legend>', response.text, re.S
    )
    assert [number for number, legend in legends if "Not answered yet" in legend] == ["1", "3"]
    assert len(legends) == 5


def test_submitting_anyway_grades_and_shows_results_at_the_same_address(browser, quiz, learner):
    response = browser.post(f"/quizzes/{quiz.quiz.pk}", {**form_answers(quiz, skip=1), "confirm": "1"})
    assert response.url == f"/quizzes/{quiz.quiz.pk}"
    results = browser.get(response.url)
    assert "Results" in results.text
    assert "4/5" in results.text
    assert "Not answered" in results.text
    assert quiz.items[0].question.explanation in results.text
    assert "Read the AWS documentation" in results.text
    assert "New achievement" in results.text


def test_a_double_submission_awards_xp_once(browser, quiz, learner):
    data = form_answers(quiz)
    browser.post(f"/quizzes/{quiz.quiz.pk}", data)
    second = browser.post(f"/quizzes/{quiz.quiz.pk}", data)
    assert second.status_code == 200  # the results page
    assert Profile.objects.get(user=learner).xp == Quiz.objects.get(pk=quiz.quiz.pk).xp_earned > 0


ALREADY_GRADED = "This quiz had already been graded, so the answers just sent were not taken."


def test_submitting_a_graded_quiz_again_says_the_first_answers_stand(browser, quiz):
    browser.post(f"/quizzes/{quiz.quiz.pk}", form_answers(quiz))
    assert ALREADY_GRADED not in browser.get(f"/quizzes/{quiz.quiz.pk}").text
    # As from a second tab, with other answers: they change nothing, and the page says so.
    response = browser.post(f"/quizzes/{quiz.quiz.pk}", form_answers(quiz, right=False))
    assert response.status_code == 200
    assert ALREADY_GRADED in response.text
    assert "5/5" in response.text


def test_a_submission_overtaken_by_another_grading_says_the_first_answers_stand(browser, quiz, learner):
    def grade_first(sender, **kwargs):
        # Another submission of the quiz, graded between this one's page read and its grading.
        grading_reads.disconnect(grade_first)
        quiz_evaluate(
            learner=learner,
            quiz_id=quiz.quiz.pk,
            answers={str(i.pk): i.question.correct_answer for i in quiz.items},
        )
        return {}

    grading_reads.connect(grade_first)
    try:
        response = browser.post(f"/quizzes/{quiz.quiz.pk}", form_answers(quiz, right=False))
    finally:
        grading_reads.disconnect(grade_first)
    assert response.status_code == 200
    assert ALREADY_GRADED in response.text
    assert "5/5" in response.text


def test_a_tampered_answer_is_refused_with_a_message(browser, quiz):
    data = {**form_answers(quiz), f"answer-{quiz.items[0].pk}": "99"}
    response = browser.post(f"/quizzes/{quiz.quiz.pk}", data)
    assert response.status_code == 200
    assert "not one of this question" in response.text
    assert Quiz.objects.get(pk=quiz.quiz.pk).status == QuizStatus.IN_PROGRESS


def test_results_show_weak_domains_with_practice_link(browser, quiz):
    browser.post(f"/quizzes/{quiz.quiz.pk}", {**form_answers(quiz, right=False)})
    results = browser.get(f"/quizzes/{quiz.quiz.pk}")
    assert "Domains to work on" in results.text
    assert "focus=weak" in results.text


def test_another_learners_quiz_is_404(client, other_learner, quiz):
    client.force_login(other_learner)
    assert client.get(f"/quizzes/{quiz.quiz.pk}").status_code == 404
    assert client.post(f"/quizzes/{quiz.quiz.pk}", form_answers(quiz)).status_code == 404
    assert Quiz.objects.get(pk=quiz.quiz.pk).status == QuizStatus.IN_PROGRESS


def test_404_page_is_in_the_sites_style(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "mindquest.css" in response.text


# --- history, achievements, dashboard -------------------------------------------------------------


def play(learner, certification, n: int, right: bool = True):
    for _ in range(n):
        generated = quiz_generate(learner=learner, certification=certification, count=2)
        answers = {str(i.pk): i.question.correct_answer for i in generated.items} if right else {}
        quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers=answers)


def test_history_is_paginated_and_filtered(browser, learner, certification, bank):
    play(learner, certification, 12)
    response = browser.get("/history")
    assert "12 completed quizzes" in response.text
    assert response.text.count("Review<span") == 10
    assert "Page 1 of 2" in response.text
    assert browser.get("/history?page=2").text.count("Review<span") == 2
    saa = Certification.objects.get(code="SAA-C03")
    assert "0 completed quizzes" in browser.get(f"/history?certification={saa.pk}").text


def test_history_pages_out_of_range_show_the_nearest_page(browser, learner, certification, bank):
    play(learner, certification, 12)
    for out_of_range in ("9", "0", "-1"):  # as Django's Paginator.get_page: the last page
        text = browser.get(f"/history?page={out_of_range}").text
        assert ("Page 2 of 2" in text, text.count("Review<span")) == (True, 2)
    for garbage in ("abc", "1.5", ""):  # not a number: the first page
        text = browser.get(f"/history?page={garbage}").text
        assert ("Page 1 of 2" in text, text.count("Review<span")) == (True, 10)
    no_quizzes = browser.get(f"/history?certification={Certification.objects.get(code='SAA-C03').pk}&page=3")
    assert no_quizzes.status_code == 200
    assert "0 completed quizzes" in no_quizzes.text


def start(learner, certification, n: int) -> list[Quiz]:
    """n quizzes started and left unfinished, oldest first."""
    return [quiz_generate(learner=learner, certification=certification, count=2).quiz for _ in range(n)]


def test_history_lists_unfinished_quizzes_with_a_resume_link_when_asked(
    browser, learner, certification, bank
):
    play(learner, certification, 2)
    unfinished = start(learner, certification, 3)
    in_progress = browser.get("/history?status=in_progress").text
    assert "3 quizzes in progress." in in_progress
    assert in_progress.count("Resume<span") == 3
    assert "Review<span" not in in_progress
    newest_first = [str(quiz.pk) for quiz in reversed(unfinished)]
    assert re.findall(r'href="/quizzes/([0-9a-f-]+)">Resume', in_progress) == newest_first
    everything = browser.get("/history?status=all").text
    assert "5 quizzes." in everything
    assert (everything.count("Resume<span"), everything.count("Review<span")) == (3, 2)
    completed = browser.get("/history").text  # completed, as before
    assert "2 completed quizzes." in completed
    assert (completed.count("Resume<span"), completed.count("Review<span")) == (0, 2)


def test_history_status_filter_keeps_the_certification_and_the_page(browser, learner, certification, bank):
    saa = Certification.objects.get(code="SAA-C03")
    make_bank(saa, per_cell=1, difficulties=["easy"])
    start(learner, certification, 12)
    start(learner, saa, 1)
    play(learner, certification, 1)
    first = browser.get(f"/history?status=in_progress&certification={certification.pk}")
    assert "12 quizzes in progress for this certification." in first.text
    assert 'value="in_progress" selected' in first.text
    older = re.search(r'href="([^"]+)">Older</a>', first.text).group(1)
    assert older == f"?certification={certification.pk}&amp;status=in_progress&amp;page=2"
    second = browser.get("/history" + older.replace("&amp;", "&")).text
    assert "Page 2 of 2" in second
    assert (second.count("Resume<span"), second.count("Review<span"), second.count("SAA-C03</td>")) == (
        2,
        0,
        0,
    )
    newer = re.search(r'href="([^"]+)">Newer</a>', second).group(1)
    assert newer == f"?certification={certification.pk}&amp;status=in_progress&amp;page=1"


@pytest.mark.parametrize("status", ["nope", "", "ALL", "in progress", "completed\x00"])
def test_history_with_an_unknown_status_shows_the_completed_quizzes(
    browser, learner, certification, bank, status
):
    play(learner, certification, 1)
    start(learner, certification, 1)
    response = browser.get("/history", {"status": status, "page": "abc"})
    assert response.status_code == 200
    assert "1 completed quiz." in response.text
    assert 'value="completed" selected' in response.text  # the filter says what the list shows
    assert "Resume<span" not in response.text


def test_history_without_unfinished_quizzes_says_so(browser, learner, certification, bank):
    play(learner, certification, 1)
    response = browser.get("/history?status=in_progress")
    assert "0 quizzes in progress." in response.text
    assert "No quizzes in progress." in response.text


def test_history_filtered_to_an_unpractised_certification_says_so_and_starts_one_there(
    browser, learner, certification, bank
):
    play(learner, certification, 1)
    other = Certification.objects.exclude(pk=certification.pk).first()
    response = browser.get(f"/history?certification={other.pk}")
    assert "No completed quizzes yet for this certification." in response.text
    assert f'href="/quiz/new?certification={other.pk}">Start a quiz</a>' in response.text


@pytest.mark.parametrize("quizzes", [1, 12])
def test_history_query_count_is_pinned(
    browser, learner, certification, bank, quizzes, django_assert_num_queries
):
    play(learner, certification, quizzes)
    # session, user, the page with its total (certifications come from the process's catalog)
    with django_assert_num_queries(3):
        browser.get("/history")


def test_achievements_show_earned_and_how_to_earn_the_rest(browser, learner, certification, bank):
    play(learner, certification, 1)
    response = browser.get("/achievements")
    assert "First Quiz" in response.text
    assert (
        f"2 of {len(CATALOG)} earned." in response.text
    )  # a first quiz, all right: First Quiz, Perfect Score
    assert "How to earn it: Practise on 7 days in a row (UTC)." in response.text


def test_dashboard_shows_level_xp_streak_and_charts(browser, learner, certification, bank):
    Profile.objects.filter(user=learner).update(selected_certification=certification)
    play(learner, certification, 2)
    response = browser.get("/dashboard")
    assert response.status_code == 200
    profile = Profile.objects.get(user=learner)
    assert f'<span class="stat-value">{profile.xp}</span>' in response.text
    assert "1 day" in response.text
    assert "Accuracy by exam domain, over all your answers" in response.text
    # Every answer right: no weak domain, and the page says what would make one weak.
    assert (
        "No weak domains right now: a domain counts as weak below 60% right over its last 10 answers,"
        " once it has 3." in response.text
    )
    assert "Total XP over the last 30 days" in response.text
    assert "Start a quiz" in response.text


def test_dashboard_without_a_certification_asks_for_one(browser):
    response = browser.get("/dashboard")
    assert "Choose a certification" in response.text


def test_dashboard_says_what_each_weak_domain_figure_is_over(browser, learner, certification, bank):
    Profile.objects.filter(user=learner).update(selected_certification=certification)
    play(learner, certification, 8, right=False)
    response = browser.get("/dashboard")
    # The weak domains' figures are over recent answers, the chart's over all of them.
    assert (
        '<strong>Weak domains</strong> <span class="muted">(over your last 10 answers in each)</span>:'
        in response.text
    )
    assert "Accuracy by exam domain, over all your answers" in response.text


def test_dashboard_before_any_answer_invites_a_quiz(browser, learner, certification):
    Profile.objects.filter(user=learner).update(selected_certification=certification)
    response = browser.get("/dashboard")
    assert "No weak domains right now: take a quiz to find out." in response.text
    # No accuracy before any answer: not "0%", and not "0% of 0 answers right".
    assert '<span class="stat-label">No answers yet</span>' in response.text
    assert "<span>No answers yet</span>" in response.text
    assert not re.search(r"[>\s]0%", response.text)
    assert "Longest: 0 days" in response.text
    assert "Current difficulty <strong>Easy</strong>" in response.text


def test_dashboard_recent_quizzes_keep_the_graded_ones_beside_the_newest_unfinished_one(
    browser, learner, certification, bank
):
    play(learner, certification, 2)
    newest = start(learner, certification, 6)[-1]
    response = browser.get("/dashboard")
    recent = response.text.split('id="recent-title"')[1].split("</section>")[0]
    assert resume_links(recent) == [str(newest.pk)]
    assert recent.count("XP</a>") == 2  # both graded quizzes, with their score
    assert f'<a href="{reverse("history")}?status=all">All history</a>' in recent  # the other 5 are there


@pytest.mark.parametrize("quizzes", [1, 50])
def test_dashboard_query_count_is_pinned(
    browser, learner, certification, bank, quizzes, django_assert_num_queries
):
    Profile.objects.filter(user=learner).update(selected_certification=certification)
    play(learner, certification, quizzes)
    # session, user + profile, progress, adaptive state, achievements, XP per day, recent quizzes
    # (the certification and its domains come from the cached catalog)
    with django_assert_num_queries(7):
        browser.get("/dashboard")
