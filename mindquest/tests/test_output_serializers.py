"""Every written-out output serializer renders exactly what DRF renders from its declared fields."""

import json

import pytest

from accounts.models import Profile
from mindquest.common.serializers import OutputSerializer

pytestmark = pytest.mark.django_db


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _ok(response):
    assert response.status_code in (200, 201), (response.status_code, response.content[:300])
    return response


@pytest.fixture
def both_ways(monkeypatch) -> dict[type, list[tuple[str, str]]]:
    """Render every OutputSerializer both ways while the test runs: for each class seen, the
    renderings that differed (written out, field by field)."""
    seen: dict[type, list[tuple[str, str]]] = {}
    written_out = OutputSerializer.to_representation

    def compared(self, instance):
        written = written_out(self, instance)
        # As JSON: 50 and 50.0 are equal in Python, not on the wire; key order must match too.
        pair = json.dumps(written), json.dumps(self.represent_field_by_field(instance))
        seen.setdefault(type(self), [])
        if pair[0] != pair[1]:
            seen[type(self)].append(pair)
        return written

    monkeypatch.setattr(OutputSerializer, "to_representation", compared)
    return seen


def test_every_written_out_serializer_matches_its_declared_fields(
    both_ways, anon_api, learner_api, learner, certification, bank, password, monkeypatch
):
    for client in (anon_api, learner_api):  # every call here must succeed
        for method in ("get", "post", "patch"):
            call = getattr(client, method)
            monkeypatch.setattr(client, method, lambda *a, _call=call, **k: _ok(_call(*a, **k)))

    anon_api.get("/api/certifications")
    anon_api.get(f"/api/certifications/{certification.pk}")
    # Before any practice: no progress, no certification chosen.
    learner_api.get("/api/progress/dashboard")
    learner_api.get("/api/profile")
    anon_api.post("/api/auth/login", {"email": learner.email, "password": password}, format="json")

    learner_api.patch("/api/profile", {"selected_certification_id": str(certification.pk)}, format="json")
    for right in (True, False, False):  # some right, then a weak domain or two
        quiz = learner_api.post(
            "/api/quizzes/generate", {"certification_id": str(certification.pk)}, format="json"
        ).json()
        learner_api.get(f"/api/quizzes/{quiz['quiz_id']}")  # in progress: answers hidden
        answers = {q["id"]: (q["options"][0] if right else q["options"][-1]) for q in quiz["questions"]}
        learner_api.post(f"/api/quizzes/{quiz['quiz_id']}/evaluate", {"answers": answers}, format="json")
    learner_api.post(f"/api/quizzes/{quiz['quiz_id']}/evaluate", {"answers": {}}, format="json")  # again
    learner_api.get(f"/api/quizzes/{quiz['quiz_id']}")  # graded: answers shown
    learner_api.get("/api/quizzes?status=all")
    learner_api.get("/api/auth/me")
    learner_api.get("/api/progress/certifications")
    learner_api.get(f"/api/progress/certifications/{certification.pk}")
    learner_api.get("/api/progress/achievements")
    assert Profile.objects.get(user=learner).selected_certification_id == certification.pk
    learner_api.get("/api/progress/dashboard")
    learner_api.get("/api/profile")

    assert set(both_ways) == _subclasses(OutputSerializer), "an output serializer was not exercised"
    assert {cls.__name__: pairs for cls, pairs in both_ways.items() if pairs} == {}
