import uuid
from collections import Counter

import pytest

from quizzes.planning import DomainInput, allocate, plan_quiz, type_mix

SECURE, RESILIENT, FAST, CHEAP = (uuid.uuid4() for _ in range(4))
BLUEPRINT = [
    DomainInput(SECURE, "Secure", 30),
    DomainInput(RESILIENT, "Resilient", 26),
    DomainInput(FAST, "Fast", 24),
    DomainInput(CHEAP, "Cheap", 20),
]


def per_domain(slots) -> Counter:
    return Counter(slot.domain for slot in slots)


def test_five_questions_follow_the_blueprint_weights():
    assert per_domain(plan_quiz(domains=BLUEPRINT, count=5)) == {
        "Secure": 2,
        "Resilient": 1,
        "Fast": 1,
        "Cheap": 1,
    }


def test_twenty_questions_follow_the_blueprint_weights():
    assert per_domain(plan_quiz(domains=BLUEPRINT, count=20)) == {
        "Secure": 6,
        "Resilient": 5,
        "Fast": 5,
        "Cheap": 4,
    }


def test_weak_domains_get_at_least_half_of_the_quiz():
    domains = [d if d.name != "Cheap" else DomainInput(CHEAP, "Cheap", 20, is_weak=True) for d in BLUEPRINT]
    plan = plan_quiz(domains=domains, count=10)
    assert per_domain(plan)["Cheap"] >= 5
    assert len(plan) == 10


def test_five_questions_mix_three_single_choice_one_multi_select_one_true_false():
    types = Counter(slot.question_type for slot in plan_quiz(domains=BLUEPRINT, count=5))
    assert types == {"multiple_choice": 3, "multi_select": 1, "true_false": 1}


@pytest.mark.parametrize(
    ("count", "mix"), [(1, (1, 0, 0)), (3, (1, 1, 1)), (10, (6, 2, 2)), (65, (39, 13, 13))]
)
def test_the_type_mix_scales_with_the_count(count, mix):
    assert tuple(type_mix(count).values()) == mix


def test_difficulty_is_the_domains_own_then_the_certifications_then_easy():
    domains = [
        DomainInput(SECURE, "Secure", 50, difficulty="hard"),
        DomainInput(CHEAP, "Cheap", 50),
    ]
    plan = plan_quiz(domains=domains, count=4, base_difficulty="medium")
    assert {slot.domain: slot.difficulty for slot in plan} == {"Secure": "hard", "Cheap": "medium"}
    assert {slot.difficulty for slot in plan_quiz(domains=domains[1:], count=2)} == {"easy"}


def test_an_asked_for_difficulty_applies_to_every_domain():
    domains = [DomainInput(SECURE, "Secure", 100, difficulty="hard")]
    assert {slot.difficulty for slot in plan_quiz(domains=domains, count=3, fixed_difficulty="easy")} == {
        "easy"
    }


def test_allocation_always_adds_up():
    assert sum(allocate(7, {"a": 1, "b": 1, "c": 1}).values()) == 7
    assert allocate(0, {"a": 1}) == {"a": 0}


def test_a_certification_without_domains_cannot_be_planned():
    with pytest.raises(ValueError, match="domains"):
        plan_quiz(domains=[], count=5)
