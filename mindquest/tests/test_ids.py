"""Time-ordered primary keys (mindquest.common.ids)."""

import uuid
from datetime import UTC, datetime, timedelta

from mindquest.common.ids import uuid7
from quizzes.models import Quiz, QuizQuestion


def test_uuid7_is_a_version_7_uuid_of_the_rfc_variant():
    made = uuid7()
    assert made.version == 7
    assert made.variant == uuid.RFC_4122


def test_uuid7_starts_with_its_time_in_milliseconds():
    at = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert uuid7(at).int >> 80 == 1_767_323_045_678


def test_uuid7_sorts_by_time_and_is_otherwise_random():
    start = datetime(2026, 12, 6, tzinfo=UTC)
    made = [uuid7(start + timedelta(milliseconds=n)) for n in range(50)]
    assert made == sorted(made)
    assert str(made[0]) < str(made[1])  # as text too, as PostgreSQL compares them
    same_moment = {uuid7(start) for _ in range(1000)}
    assert len(same_moment) == 1000


def test_quizzes_and_their_items_get_time_ordered_ids():
    assert Quiz._meta.pk.default is uuid7
    assert QuizQuestion._meta.pk.default is uuid7
