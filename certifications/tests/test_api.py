import time

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from accounts.models import User
from accounts.tests.factories import UserFactory
from certifications.models import Certification
from certifications.selectors import CATALOG_CHECK_SECONDS, CATALOG_VERSION_KEY
from certifications.tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db

NEW = {
    "code": "ANS-C01",
    "name": "AWS Certified Advanced Networking – Specialty",
    "description": "Designing and operating AWS and hybrid networks.",
    "level": "specialty",
    "exam_questions": 65,
    "exam_minutes": 170,
    "passing_score": 750,
    "domains": [
        {"name": "Network Design", "weight": 30},
        {"name": "Network Implementation", "weight": 26},
        {"name": "Network Management and Operation", "weight": 20},
        {"name": "Network Security, Compliance, and Governance", "weight": 24},
    ],
}


def test_anyone_can_list_active_certifications_by_level_then_name(anon_api):
    CertificationFactory(code="OLD-C01", name="Retired exam", is_active=False)
    response = anon_api.get("/api/certifications")
    assert response.status_code == 200
    codes = [c["code"] for c in response.json()]
    assert codes == ["AIF-C01", "CLF-C02", "SOA-C03", "DVA-C02", "MLA-C01", "SAA-C03", "DOP-C02", "SAP-C02"]


def test_certification_representation_is_exact(anon_api):
    saa = Certification.objects.get(code="SAA-C03")
    body = anon_api.get(f"/api/certifications/{saa.pk}").json()
    assert set(body) == {
        "id",
        "code",
        "name",
        "description",
        "level",
        "exam_questions",
        "exam_minutes",
        "passing_score",
        "is_active",
        "domains",
        "created_at",
    }
    assert body["id"] == str(saa.pk)
    assert (body["exam_questions"], body["exam_minutes"], body["passing_score"]) == (65, 130, 720)
    assert body["domains"][0] == {
        "id": str(saa.domains.get(order=1).pk),
        "name": "Design Secure Architectures",
        "weight": 30,
    }
    assert body["created_at"].endswith("Z") or body["created_at"].endswith("+00:00")


def test_listing_certifications_reads_the_catalog_once_whatever_their_number(
    anon_api, django_assert_num_queries
):
    CertificationFactory.create_batch(5)
    with django_assert_num_queries(2):  # certifications, domains
        assert len(anon_api.get("/api/certifications").json()) == 13
    with django_assert_num_queries(0):  # this process's copy, while nothing changed
        assert len(anon_api.get("/api/certifications").json()) == 13


def test_a_changed_certification_or_domain_is_listed_at_once(anon_api):
    anon_api.get("/api/certifications")  # the catalog is loaded
    saa = Certification.objects.get(code="SAA-C03")
    saa.name = "Solutions Architect, renamed"
    saa.save()
    domain = saa.domains.get(name="Design Secure Architectures")
    domain.weight = 29
    domain.save()
    listed = next(c for c in anon_api.get("/api/certifications").json() if c["code"] == "SAA-C03")
    assert listed["name"] == "Solutions Architect, renamed"
    assert {"name": "Design Secure Architectures", "weight": 29} in [
        {"name": d["name"], "weight": d["weight"]} for d in listed["domains"]
    ]


def test_a_change_made_in_another_process_is_listed_within_a_second(
    anon_api, django_assert_num_queries, monkeypatch
):
    anon_api.get("/api/certifications")
    # Another process retires SAA-C03 and moves the shared version (no signal reaches this one).
    Certification.objects.filter(code="SAA-C03").update(is_active=False)
    cache.set(CATALOG_VERSION_KEY, "moved elsewhere")
    with django_assert_num_queries(0):  # this copy was checked less than a second ago
        assert "SAA-C03" in [c["code"] for c in anon_api.get("/api/certifications").json()]
    later = time.monotonic() + CATALOG_CHECK_SECONDS
    monkeypatch.setattr(time, "monotonic", lambda: later)
    with django_assert_num_queries(2):
        assert "SAA-C03" not in [c["code"] for c in anon_api.get("/api/certifications").json()]


def test_certifications_are_paginated_with_the_total_in_a_header(anon_api):
    response = anon_api.get("/api/certifications?limit=3&offset=2")
    assert [c["code"] for c in response.json()] == ["SOA-C03", "DVA-C02", "MLA-C01"]
    assert response["X-Total-Count"] == "8"


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "limit=abc"])
def test_bad_pagination_is_400(anon_api, query):
    response = anon_api.get(f"/api/certifications?{query}")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_unknown_certification_is_404_with_message(anon_api):
    response = anon_api.get("/api/certifications/6f1c8a6e-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert response.json() == {"detail": "Certification not found"}


@pytest.mark.parametrize("path", ["/api/certifications", "/api/certifications/{id}"])
def test_a_stale_token_does_not_lock_a_reader_out_of_the_catalog(anon_api, path):
    certification = Certification.objects.filter(is_active=True).first()
    anon_api.credentials(HTTP_AUTHORIZATION="Bearer expired-or-garbage")
    response = anon_api.get(path.format(id=certification.pk))
    assert response.status_code == 200, response.json()


def test_a_write_with_a_stale_token_is_401(anon_api):
    anon_api.credentials(HTTP_AUTHORIZATION="Bearer expired-or-garbage")
    response = anon_api.post("/api/certifications", NEW, format="json")
    assert response.status_code == 401
    assert not Certification.objects.filter(code="ANS-C01").exists()


def test_admin_creates_a_certification_with_its_blueprint(admin_api):
    response = admin_api.post("/api/certifications", NEW, format="json")
    assert response.status_code == 201
    assert response.json()["code"] == "ANS-C01"
    created = Certification.objects.get(code="ANS-C01")
    assert sorted(created.domains.values_list("weight", flat=True)) == [20, 24, 26, 30]


def test_admin_can_create_from_a_form_body(admin_api):
    response = admin_api.post(
        "/api/certifications", {"code": "DEA-C01", "name": "AWS Certified Data Engineer – Associate"}
    )
    assert response.status_code == 201
    assert Certification.objects.get(code="DEA-C01").passing_score == 720


def test_learner_cannot_create_a_certification(learner_api):
    response = learner_api.post("/api/certifications", NEW, format="json")
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Certification.objects.filter(code="ANS-C01").exists()


def test_anonymous_visitor_must_sign_in_to_create(anon_api):
    response = anon_api.post("/api/certifications", NEW, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("field", ["code", "name"])
def test_duplicate_code_or_name_is_409(admin_api, field):
    existing = Certification.objects.get(code="SAA-C03")
    payload = {**NEW, field: getattr(existing, field).lower() if field == "name" else existing.code}
    response = admin_api.post("/api/certifications", payload, format="json")
    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]


def test_blueprint_weights_must_sum_to_100(admin_api):
    payload = {**NEW, "domains": [{"name": "Only", "weight": 90}]}
    response = admin_api.post("/api/certifications", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "domains: Domain weights must sum to 100.",
        "errors": {"domains": ["Domain weights must sum to 100."]},
    }
    assert not Certification.objects.filter(code="ANS-C01").exists()


def test_invalid_fields_are_listed_in_errors(admin_api):
    response = admin_api.post(
        "/api/certifications", {"code": "saa c03", "name": "", "passing_score": 5000}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"code", "name", "passing_score"}


def test_admin_patches_a_certification(admin_api):
    saa = Certification.objects.get(code="SAA-C03")
    response = admin_api.patch(f"/api/certifications/{saa.pk}", {"exam_minutes": 140}, format="json")
    assert response.status_code == 200
    assert response.json()["exam_minutes"] == 140
    saa.refresh_from_db()
    assert saa.exam_minutes == 140


def test_learner_cannot_patch(learner_api):
    saa = Certification.objects.get(code="SAA-C03")
    response = learner_api.patch(f"/api/certifications/{saa.pk}", {"exam_minutes": 1}, format="json")
    assert response.status_code == 403
    saa.refresh_from_db()
    assert saa.exam_minutes == 130


def test_retired_certification_leaves_the_catalog(admin_api, anon_api):
    saa = Certification.objects.get(code="SAA-C03")
    admin_api.patch(f"/api/certifications/{saa.pk}", {"is_active": False}, format="json")
    assert "SAA-C03" not in [c["code"] for c in anon_api.get("/api/certifications").json()]


def test_admin_deletes_an_unused_certification(admin_api):
    certification = CertificationFactory()
    response = admin_api.delete(f"/api/certifications/{certification.pk}")
    assert response.status_code == 204
    assert not Certification.objects.filter(pk=certification.pk).exists()


def test_learner_cannot_delete(learner_api):
    saa = Certification.objects.get(code="SAA-C03")
    assert learner_api.delete(f"/api/certifications/{saa.pk}").status_code == 403
    assert Certification.objects.filter(pk=saa.pk).exists()


def test_staff_write_certifications_only_with_the_permissions_the_admin_site_asks_for(api_for):
    staff = UserFactory(username="staffy", email="staffy@example.com", is_staff=True)
    saa = Certification.objects.get(code="SAA-C03")
    api = api_for(staff)
    assert api.post("/api/certifications", NEW, format="json").status_code == 403
    assert api.patch(f"/api/certifications/{saa.pk}", {"name": "Renamed"}, format="json").status_code == 403
    assert api.delete(f"/api/certifications/{saa.pk}").status_code == 403
    assert Certification.objects.get(pk=saa.pk).name != "Renamed"

    staff.user_permissions.add(Permission.objects.get(codename="change_certification"))
    api = api_for(User.objects.get(pk=staff.pk))  # a user object caches its permissions
    assert api.patch(f"/api/certifications/{saa.pk}", {"name": "Renamed"}, format="json").status_code == 200
    assert api.post("/api/certifications", NEW, format="json").status_code == 403
