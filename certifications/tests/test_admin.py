import pytest

from certifications.models import Certification

pytestmark = pytest.mark.django_db


def test_changelist_shows_the_seeded_certifications(admin_browser):
    response = admin_browser.get("/admin/certifications/certification/")
    assert response.status_code == 200
    for code in ("CLF-C02", "SAA-C03", "SAP-C02"):
        assert code in response.text


def test_changelist_search_and_filter(admin_browser):
    response = admin_browser.get("/admin/certifications/certification/?q=Developer&level__exact=associate")
    assert response.status_code == 200
    assert "DVA-C02" in response.text
    assert "SAA-C03" not in response.text


def test_add_and_change_pages_render(admin_browser):
    saa = Certification.objects.get(code="SAA-C03")
    assert admin_browser.get("/admin/certifications/certification/add/").status_code == 200
    response = admin_browser.get(f"/admin/certifications/certification/{saa.pk}/change/")
    assert response.status_code == 200
    assert "Design Secure Architectures" in response.text


def _form(domains: list[tuple[str, int]]) -> dict:
    data = {
        "code": "TST-C99",
        "name": "Admin-made exam",
        "level": "associate",
        "description": "",
        "is_active": "on",
        "exam_questions": "65",
        "exam_minutes": "130",
        "passing_score": "720",
        "domains-TOTAL_FORMS": str(len(domains)),
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "1",
        "domains-MAX_NUM_FORMS": "1000",
    }
    for index, (name, weight) in enumerate(domains):
        data |= {
            f"domains-{index}-name": name,
            f"domains-{index}-weight": str(weight),
            f"domains-{index}-order": "1",
        }
    return data


def test_weights_that_do_not_sum_to_100_are_a_form_error(admin_browser):
    response = admin_browser.post("/admin/certifications/certification/add/", _form([("A", 50), ("B", 30)]))
    assert response.status_code == 200
    assert "Domain weights must sum to 100% (they sum to 80%)." in response.text
    assert not Certification.objects.filter(code="TST-C99").exists()


def test_a_valid_blueprint_is_saved(admin_browser):
    response = admin_browser.post("/admin/certifications/certification/add/", _form([("A", 70), ("B", 30)]))
    assert response.status_code == 302
    assert Certification.objects.get(code="TST-C99").domains.count() == 2


def test_a_name_another_certification_has_in_any_case_is_an_error_on_the_name(admin_browser):
    taken = Certification.objects.get(code="SAA-C03").name
    response = admin_browser.post(
        "/admin/certifications/certification/add/", {**_form([("A", 100)]), "name": taken.lower()}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name": ["A certification with this name already exists."]
    }
    assert not Certification.objects.filter(code="TST-C99").exists()


def test_a_certification_may_change_the_letter_case_of_its_own_name():
    saa = Certification.objects.get(code="SAA-C03")
    saa.name = saa.name.upper()
    saa.full_clean()  # no error


@pytest.mark.parametrize("weight", [-10, 0, 101])
def test_a_domain_weight_outside_1_to_100_says_so(admin_browser, weight):
    response = admin_browser.post("/admin/certifications/certification/add/", _form([("A", weight)]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    bound = "greater than or equal to 1" if weight < 1 else "less than or equal to 100"
    assert errors == {"weight": [f"Ensure this value is {bound}."]}
