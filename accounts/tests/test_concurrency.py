import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from accounts.models import Profile, User


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_registrations_with_one_email_give_one_201_and_409s(settings):
    settings.REGISTER_RATE_PER_ACCOUNT = "100/hour"  # the race is under test here, not the limit
    statuses: list[int] = []
    start = threading.Barrier(20)

    def register(n: int) -> None:
        try:
            start.wait()
            response = APIClient().post(
                "/api/auth/register",
                {"email": "Same@Example.com", "username": f"racer{n}", "password": "Quiz-Master-42"},
                format="json",
                REMOTE_ADDR=f"198.51.100.{n}",
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [409] * 19
    assert User.objects.filter(email="same@example.com").count() == 1
    assert Profile.objects.count() == 1
