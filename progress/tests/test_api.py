from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import Profile, User
from certifications.models import Certification
from progress.models import Achievement, UserProgress
from quizzes.models import LearnerCertificationState, LearnerDomainState
from quizzes.services import quiz_evaluate, quiz_generate

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def play(learner, certification, *, right: bool, count: int = 5, now=None):
    generated = quiz_generate(learner=learner, certification=certification, count=count)
    answers = {str(item.pk): item.question.correct_answer for item in generated.items} if right else {}
    return quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers=answers, now=now)


# --- the signal, end to end -----------------------------------------------------------------------


def test_evaluating_a_quiz_updates_profile_progress_and_achievements(learner, certification, bank):
    result = play(learner, certification, right=True)
    profile = Profile.objects.get(user=learner)
    assert (profile.xp, profile.level, profile.current_streak, profile.longest_streak) == (25, 1, 1, 1)
    progress = UserProgress.objects.get(learner=learner, certification=certification)
    assert (
        progress.total_quizzes,
        progress.total_questions_answered,
        progress.correct_answers,
        progress.total_xp,
    ) == (
        1,
        5,
        5,
        25,
    )
    assert set(Achievement.objects.filter(learner=learner).values_list("key", flat=True)) == {
        "first_quiz",
        "perfect_score",
    }
    assert (result["new_level"], result["new_streak"], result["achievements"]) == (
        1,
        1,
        ["First Quiz", "Perfect Score"],
    )


# --- dashboard ------------------------------------------------------------------------------------


def test_dashboard_of_a_new_learner(learner_api):
    response = learner_api.get("/api/progress/dashboard")
    assert response.status_code == 200
    assert response.json() == {
        "total_xp": 0,
        "level": 1,
        "current_streak": 0,
        "longest_streak": 0,
        "total_quizzes": 0,
        "total_questions": 0,
        "average_accuracy": 0.0,
        "recent_achievements": [],
        "progresses": [],
        "selected_certification_id": None,
        "correct_answers": 0,
        "total_questions_answered": 0,
        "current_difficulty": "easy",
        "weak_domains": [],
    }


def test_dashboard_reflects_play_and_the_selected_certification(learner_api, learner, certification, bank):
    Profile.objects.filter(user=learner).update(selected_certification=certification)
    play(learner, certification, right=True)
    play(learner, certification, right=False)
    body = learner_api.get("/api/progress/dashboard").json()
    assert (body["total_xp"], body["level"], body["current_streak"]) == (25, 1, 1)
    assert (body["total_quizzes"], body["total_questions"], body["average_accuracy"]) == (2, 10, 50.0)
    assert (body["correct_answers"], body["total_questions_answered"]) == (5, 10)
    assert body["current_difficulty"] == "easy"  # up after the first quiz, down after the second
    assert body["selected_certification_id"] == str(certification.pk)
    assert [a["achievement_type"] for a in body["recent_achievements"]] == ["first_quiz", "perfect_score"]
    assert len(body["progresses"]) == 1
    assert body["progresses"][0]["certification_id"] == str(certification.pk)


def test_dashboard_shows_at_most_five_recent_achievements_newest_first(learner_api, learner):
    for minutes, key in enumerate(
        ["first_quiz", "perfect_score", "streak_7", "questions_100", "level_5", "level_10"]
    ):
        Achievement.objects.create(learner=learner, key=key, earned_at=NOW + timedelta(minutes=minutes))
    recent = learner_api.get("/api/progress/dashboard").json()["recent_achievements"]
    assert [a["achievement_type"] for a in recent] == [
        "level_10",
        "level_5",
        "questions_100",
        "streak_7",
        "perfect_score",
    ]


# --- progress -------------------------------------------------------------------------------------


def test_progress_for_a_certification_never_practised_is_zero_and_writes_nothing(learner_api, learner):
    saa = Certification.objects.get(code="SAA-C03")
    response = learner_api.get(f"/api/progress/certifications/{saa.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": None,
        "user_id": str(learner.pk),
        "certification_id": str(saa.pk),
        "total_xp": 0,
        "total_quizzes": 0,
        "total_questions_answered": 0,
        "correct_answers": 0,
        "accuracy": 0.0,
        "current_difficulty": "easy",
        "domain_difficulties": {},
        "weak_domains": [],
        "updated_at": None,
    }
    assert not UserProgress.objects.exists()
    assert not LearnerCertificationState.objects.exists()


def test_progress_carries_the_adaptive_fields(learner_api, learner, certification, bank):
    play(learner, certification, right=True)
    play(learner, certification, right=False)
    body = learner_api.get(f"/api/progress/certifications/{certification.pk}").json()
    assert (body["total_quizzes"], body["accuracy"], body["current_difficulty"]) == (2, 50.0, "easy")
    assert body["domain_difficulties"] == {"Design": "medium", "Operations": "easy"}
    # Design: 111 then 000 → 50 %; Operations: 11 then 00 → 50 %: both below 60 %.
    assert body["weak_domains"] == [
        {"name": "Design", "accuracy": 50.0},
        {"name": "Operations", "accuracy": 50.0},
    ]
    listed = learner_api.get("/api/progress/certifications")
    assert listed.json() == [body]
    assert listed["X-Total-Count"] == "1"


def test_weak_domains_show_in_progress(learner_api, learner, certification):
    LearnerDomainState.objects.create(
        learner=learner,
        certification=certification,
        domain=certification.domains.get(name="Operations"),
        recent="1000",
    )
    body = learner_api.get(f"/api/progress/certifications/{certification.pk}").json()
    assert body["weak_domains"] == [{"name": "Operations", "accuracy": 25.0}]


def test_progress_for_an_unknown_certification_is_404(learner_api):
    response = learner_api.get("/api/progress/certifications/6f1c8a6e-0000-4000-8000-000000000000")
    assert response.status_code == 404


def test_progress_is_private(other_api, learner, certification, bank):
    play(learner, certification, right=True)
    assert other_api.get("/api/progress/certifications").json() == []
    assert other_api.get("/api/progress/achievements").json() == []


def test_achievements_newest_first(learner_api, learner):
    Achievement.objects.create(learner=learner, key="first_quiz", earned_at=NOW)
    Achievement.objects.create(learner=learner, key="streak_7", earned_at=NOW + timedelta(days=6))
    response = learner_api.get("/api/progress/achievements")
    assert response.status_code == 200
    first = response.json()[0]
    assert set(first) == {
        "id",
        "achievement_type",
        "achievement_name",
        "achievement_description",
        "earned_at",
    }
    assert (first["achievement_type"], first["achievement_name"]) == ("streak_7", "7-Day Streak")
    assert [a["achievement_type"] for a in response.json()] == ["streak_7", "first_quiz"]
    assert response["X-Total-Count"] == "2"


@pytest.mark.parametrize(
    "path",
    [
        "/api/progress/dashboard",
        "/api/progress/certifications",
        "/api/progress/achievements",
        "/api/profile",
    ],
)
def test_progress_endpoints_need_a_token(anon_api, path):
    assert anon_api.get(path).status_code == 401


# --- profile --------------------------------------------------------------------------------------


def test_profile_has_the_contracts_fields(learner_api, learner):
    Profile.objects.filter(user=learner).update(
        xp=250, level=3, current_streak=4, longest_streak=9, last_quiz_date=timezone.now().date()
    )
    body = learner_api.get("/api/profile").json()
    profile = Profile.objects.get(user=learner)
    assert body == {
        "id": str(profile.pk),
        "user_id": str(learner.pk),
        "username": "ada",
        "email": "ada@example.com",
        "selected_certification_id": None,
        "certifications": None,
        "xp": 250,
        "level": 3,
        "xp_into_level": 50,
        "xp_for_next_level": 100,
        "current_streak": 4,
        "longest_streak": 9,
        "last_quiz_date": profile.last_quiz_date.isoformat(),
        "created_at": body["created_at"],
    }


def test_a_streak_not_kept_up_shows_as_zero(learner_api, learner):
    Profile.objects.filter(user=learner).update(
        current_streak=4, longest_streak=4, last_quiz_date=timezone.now().date() - timedelta(days=2)
    )
    assert learner_api.get("/api/profile").json()["current_streak"] == 0
    assert Profile.objects.get(user=learner).current_streak == 4


@pytest.mark.parametrize("method", ["put", "patch"])
def test_profile_update_selects_a_certification_and_renames(learner_api, learner, method):
    saa = Certification.objects.get(code="SAA-C03")
    response = getattr(learner_api, method)(
        "/api/profile", {"selected_certification_id": str(saa.pk), "username": "ada_l"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["selected_certification_id"] == str(saa.pk)
    assert body["certifications"] == {"id": str(saa.pk), "name": saa.name, "description": saa.description}
    assert body["username"] == "ada_l"
    assert User.objects.get(pk=learner.pk).username == "ada_l"


def test_profile_update_changes_only_what_is_sent(learner_api, learner):
    saa = Certification.objects.get(code="SAA-C03")
    Profile.objects.filter(user=learner).update(selected_certification=saa)
    learner_api.patch("/api/profile", {"username": "ada2"}, format="json")
    assert Profile.objects.get(user=learner).selected_certification == saa
    learner_api.patch("/api/profile", {"selected_certification_id": None}, format="json")
    assert Profile.objects.get(user=learner).selected_certification is None


def test_profile_with_an_unknown_certification_is_400(learner_api):
    response = learner_api.patch(
        "/api/profile", {"selected_certification_id": "6f1c8a6e-0000-4000-8000-000000000000"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"selected_certification_id": ["Unknown certification."]}


def test_profile_username_taken_is_409(learner_api, other_learner):
    response = learner_api.patch("/api/profile", {"username": "GRACE"}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "Username already taken"}


def test_profile_username_format_is_checked(learner_api):
    response = learner_api.put("/api/profile", {"username": "a b"}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()["errors"]
