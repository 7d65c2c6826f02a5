from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum

from accounts.models import Profile, User
from progress.models import Achievement, UserProgress
from progress.seeding import seed_load_data
from progress.services import level_for
from quizzes.models import LearnerDomainState, Question, Quiz, QuizQuestion, QuizStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("load_question_bank", stdout=StringIO())
    out = StringIO()
    call_command(
        "seed_load_data", "--learners", "40", "--quizzes-per-learner", "6", "--batch", "15", stdout=out
    )
    return out.getvalue()


def test_counts(seeded):
    assert "Seeded 40 learners, 240 quizzes, 1,200 answers" in seeded
    assert User.objects.count() == Profile.objects.count() == 40
    assert Quiz.objects.filter(status=QuizStatus.COMPLETED).count() == 240
    assert QuizQuestion.objects.count() == 1200
    assert set(Quiz.objects.values_list("total_questions", flat=True)) == {5}


def test_every_row_points_at_rows_that_exist(seeded):
    users = set(User.objects.values_list("pk", flat=True))
    assert set(Quiz.objects.values_list("learner_id", flat=True)) <= users
    assert set(Profile.objects.values_list("user_id", flat=True)) == users
    assert set(QuizQuestion.objects.values_list("quiz_id", flat=True)) == set(
        Quiz.objects.values_list("pk", flat=True)
    )
    assert set(QuizQuestion.objects.values_list("question_id", flat=True)) <= set(
        Question.objects.values_list("pk", flat=True)
    )
    # every quiz question belongs to the quiz's own certification, and to its learner
    assert not QuizQuestion.objects.exclude(question__certification=F("quiz__certification")).exists()
    assert not QuizQuestion.objects.exclude(learner=F("quiz__learner")).exists()


def test_progress_and_profiles_agree_with_the_quizzes(seeded):
    by_quiz = Quiz.objects.values("learner_id", "certification_id").annotate(
        quizzes=Count("id"), answered=Sum("total_questions"), correct=Sum("score"), xp=Sum("xp_earned")
    )
    progress = {
        (p.learner_id, p.certification_id): (
            p.total_quizzes,
            p.total_questions_answered,
            p.correct_answers,
            p.total_xp,
        )
        for p in UserProgress.objects.all()
    }
    assert progress == {
        (row["learner_id"], row["certification_id"]): (
            row["quizzes"],
            row["answered"],
            row["correct"],
            row["xp"],
        )
        for row in by_quiz
    }
    xp = Counter()
    for row in by_quiz:
        xp[row["learner_id"]] += row["xp"]
    for profile in Profile.objects.all():
        assert profile.xp == xp[profile.user_id]
        assert profile.level == level_for(profile.xp)
        assert profile.longest_streak >= profile.current_streak >= 1
        assert profile.selected_certification_id is not None


def test_answers_agree_with_scores_and_domain_statistics(seeded):
    scores = dict(Quiz.objects.values_list("pk", "score"))
    right = Counter(QuizQuestion.objects.filter(is_correct=True).values_list("quiz_id", flat=True))
    assert all(scores[quiz_id] == right.get(quiz_id, 0) for quiz_id in scores)
    answered = Counter(QuizQuestion.objects.values_list("quiz__learner_id", "question__domain_id"))
    states = {(s.learner_id, s.domain_id): s.answered for s in LearnerDomainState.objects.all()}
    assert states == dict(answered)
    assert sum(Question.objects.values_list("times_answered", flat=True)) == 1200


def test_every_learner_has_the_first_quiz_achievement_once(seeded):
    assert Achievement.objects.filter(key="first_quiz").count() == 40
    assert (
        not Achievement.objects.values("learner_id", "key").annotate(n=Count("id")).filter(n__gt=1).exists()
    )


def test_seeded_learners_can_sign_in(seeded, client):
    learner = User.objects.first()
    response = client.post(
        "/api/auth/login",
        {"email": learner.username, "password": "Load-Test-42"},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_needs_a_bank():
    with pytest.raises(Exception, match="question bank is empty"):
        call_command("seed_load_data", "--learners", "1", stdout=StringIO())


def test_the_same_seed_twice_is_refused_and_another_seed_adds_learners(seeded):
    with pytest.raises(Exception, match="seed 1 are already loaded: pass another --seed"):
        call_command("seed_load_data", "--learners", "3", stdout=StringIO())
    assert User.objects.count() == 40

    report = seed_load_data(learners=3, quizzes_per_learner=1, seed=2)
    assert User.objects.count() == 43
    assert User.objects.filter(username__startswith=report.username_prefix).count() == 3
