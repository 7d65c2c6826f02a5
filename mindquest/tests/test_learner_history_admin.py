"""A learner's history in admin: never deleted on its own (the totals built from it would go
wrong), always with its learner."""

import re

import pytest

from accounts.models import Profile, User
from certifications.models import Certification
from progress.models import Achievement, UserProgress
from quizzes.models import Quiz, QuizQuestion
from quizzes.services import quiz_evaluate, quiz_generate
from quizzes.tests.factories import make_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded_quiz(learner) -> Quiz:
    saa = Certification.objects.get(code="SAA-C03")
    make_bank(saa, per_cell=1)
    quiz = quiz_generate(learner=learner, certification=saa, count=5).quiz
    quiz_evaluate(learner=learner, quiz_id=quiz.pk, answers={})
    return quiz


HISTORY = [
    ("quizzes", "quiz", Quiz),
    ("progress", "userprogress", UserProgress),
    ("progress", "achievement", Achievement),
]


@pytest.mark.parametrize(("app", "model_name", "model"), HISTORY, ids=[m for _, m, _ in HISTORY])
def test_a_learner_s_history_cannot_be_deleted_on_its_own(admin_browser, graded_quiz, app, model_name, model):
    row = model.objects.get(learner=graded_quiz.learner) if model is not Quiz else graded_quiz
    changelist = f"/admin/{app}/{model_name}/"

    page = admin_browser.get(changelist)
    assert page.status_code == 200
    assert "delete_selected" not in page.text
    assert admin_browser.get(f"{changelist}{row.pk}/delete/").status_code == 403
    admin_browser.post(changelist, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert model.objects.filter(pk=row.pk).exists()


def test_deleting_a_learner_takes_their_history_with_them(admin_browser, graded_quiz, other_learner):
    learner = graded_quiz.learner
    confirm = admin_browser.get(f"/admin/accounts/user/{learner.pk}/delete/")
    assert confirm.status_code == 200
    assert "permission to delete" not in confirm.text

    response = admin_browser.post(f"/admin/accounts/user/{learner.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    for model in (Quiz, UserProgress, Achievement, Profile):
        assert not model.objects.filter(**{"user" if model is Profile else "learner": learner}).exists()
    assert not QuizQuestion.objects.filter(quiz=graded_quiz).exists()
    assert User.objects.filter(pk=other_learner.pk).exists()


def test_deleting_a_learner_lists_their_history_in_words(admin_browser, graded_quiz):
    learner = graded_quiz.learner
    html = admin_browser.get(f"/admin/accounts/user/{learner.pk}/delete/").text
    page = re.sub(r"<[^>]+>", "", html)  # the registered ones are links
    assert "Profile of ada" in page
    assert "Achievement: First Quiz" in page
    assert "User progress: Progress in SAA-C03" in page
    assert "Learner certification state: SAA-C03: " in page
    assert re.search(r"Learner domain state: Design [A-Za-z -]+: (Easy|Medium|Hard)", page)
    assert str(learner.pk) not in page


def test_deleting_learners_from_the_list_takes_their_history_with_them(admin_browser, graded_quiz):
    learner = graded_quiz.learner
    response = admin_browser.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [learner.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert not Quiz.objects.filter(learner=learner).exists()


def test_achievements_are_filtered_by_their_names(admin_browser, graded_quiz):
    page = admin_browser.get("/admin/progress/achievement/")
    assert "By achievement" in page.text
    assert ">First Quiz</a>" in page.text
    filtered = admin_browser.get("/admin/progress/achievement/?key=first_quiz")
    assert filtered.context["cl"].result_count == 1
    assert admin_browser.get("/admin/progress/achievement/?key=streak_30").context["cl"].result_count == 0
