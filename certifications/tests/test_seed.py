import pytest

from certifications.models import Certification

pytestmark = pytest.mark.django_db

SEEDED = {
    # code: (level, questions, minutes, passing score, number of domains)
    "CLF-C02": ("foundational", 65, 90, 700, 4),
    "AIF-C01": ("foundational", 65, 90, 700, 5),
    "SAA-C03": ("associate", 65, 130, 720, 4),
    "DVA-C02": ("associate", 65, 130, 720, 4),
    "SOA-C03": ("associate", 65, 130, 720, 5),
    "MLA-C01": ("associate", 65, 130, 720, 4),
    "DOP-C02": ("professional", 75, 180, 750, 6),
    "SAP-C02": ("professional", 75, 180, 750, 4),
}


def test_the_eight_current_exams_are_seeded_with_their_facts():
    seeded = {
        c.code: (c.level, c.exam_questions, c.exam_minutes, c.passing_score, c.domains.count())
        for c in Certification.objects.all()
    }
    assert seeded == SEEDED


@pytest.mark.parametrize("code", SEEDED)
def test_every_seeded_blueprint_weights_sum_to_100(code):
    certification = Certification.objects.get(code=code)
    assert sum(certification.domains.values_list("weight", flat=True)) == 100


def test_saa_c03_blueprint_matches_the_exam_guide():
    domains = Certification.objects.get(code="SAA-C03").domains.order_by("order")
    assert [(d.name, d.weight) for d in domains] == [
        ("Design Secure Architectures", 30),
        ("Design Resilient Architectures", 26),
        ("Design High-Performing Architectures", 24),
        ("Design Cost-Optimized Architectures", 20),
    ]
