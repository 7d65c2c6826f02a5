"""Keeping the bank warm in the background."""

import threading
from collections import Counter

import pytest
from django.db import connections

from quizzes import budget
from quizzes.llm import get_question_writer
from quizzes.models import BankRefill, Question
from quizzes.services import quiz_generate
from quizzes.services.topup import bank_top_up
from quizzes.tests.factories import make_bank
from quizzes.tests.fake_openai import FakeOpenAI

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    """Tasks are recorded, not run, so a test can see what was enqueued and when."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    return default_task_backend.results


def cell_counts(certification) -> Counter:
    return Counter(
        Question.objects.active()
        .filter(certification=certification)
        .values_list("domain__name", "difficulty")
    )


def test_a_top_up_is_enqueued_after_commit_when_a_cell_falls_below_target(
    learner, certification, fake_openai, queued, settings, django_capture_on_commit_callbacks
):
    settings.BANK_TARGET_PER_CELL = 5
    make_bank(certification, per_cell=1, difficulties=["easy"])  # 3 per (domain, easy): below 5
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        quiz_generate(learner=learner, certification=certification, count=3)
        assert queued == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert [(r.task.name, r.kwargs) for r in queued] == [
        ("bank_top_up", {"certification_id": str(certification.pk)})
    ]
    assert fake_openai.requests == []  # the quiz itself came from the bank


def test_no_top_up_when_the_cells_are_full(
    learner, certification, fake_openai, queued, settings, django_capture_on_commit_callbacks
):
    settings.BANK_TARGET_PER_CELL = 3
    make_bank(certification, per_cell=1, difficulties=["easy"])  # exactly 3 per (domain, easy)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        quiz_generate(learner=learner, certification=certification, count=3)
    assert callbacks == []
    assert queued == []


def test_no_top_up_without_a_model_to_write_questions(
    learner, certification, queued, settings, django_capture_on_commit_callbacks
):
    settings.OPENAI_API_KEY = ""
    make_bank(certification, per_cell=1, difficulties=["easy"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        quiz_generate(learner=learner, certification=certification, count=3)
    assert callbacks == []


def test_one_top_up_per_certification_is_queued_at_a_time(
    learner, certification, fake_openai, queued, settings, django_capture_on_commit_callbacks
):
    settings.BANK_TARGET_PER_CELL = 10
    make_bank(certification, per_cell=2, difficulties=["easy"])
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            quiz_generate(learner=learner, certification=certification, count=2)
    assert len(queued) == 1


def test_the_top_up_fills_every_cell_below_target(certification, fake_openai, settings):
    settings.BANK_TARGET_PER_CELL = 4
    fake_openai.auto = True
    make_bank(certification, per_cell=1, difficulties=["easy"])  # 3 each at easy, 0 at medium and hard
    report = bank_top_up(certification_id=certification.pk)
    counts = cell_counts(certification)
    assert all(
        counts[(domain, difficulty)] == 4
        for domain in ("Design", "Operations")
        for difficulty in ("easy", "medium", "hard")
    )
    assert (report.cells_below, report.cells_filled, report.added) == (6, 6, 2 * 1 + 4 * 4)
    assert BankRefill.objects.filter(refilled_at__isnull=False).count() == 6


def test_the_top_up_stops_when_the_budget_is_spent(certification, fake_openai, settings):
    settings.BANK_TARGET_PER_CELL = 4
    settings.LLM_DAILY_TOKEN_BUDGET = 100
    budget.record_tokens(100)
    report = bank_top_up(certification_id=certification.pk)
    assert report.stopped == "daily_token_budget_spent"
    assert fake_openai.requests == []


def test_the_task_runs_the_top_up(certification, fake_openai, settings):
    from quizzes.tasks import bank_top_up as task

    settings.BANK_TARGET_PER_CELL = 1
    fake_openai.auto = True
    result = task.call(certification_id=str(certification.pk))
    assert result == {"added": 6, "cells_below": 6, "busy": 0, "stopped": ""}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_never_generate_the_same_cell_at_once(certification, settings):
    fake = FakeOpenAI(auto=True).start(latency=0.15)
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_BASE_URL = fake.base_url
    settings.OPENAI_MAX_RETRIES = 0
    settings.OPENAI_TIMEOUT = 5
    settings.BANK_TARGET_PER_CELL = 3
    writer = get_question_writer()
    reports, errors = [], []
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            reports.append(bank_top_up(certification_id=certification.pk, writer=writer))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        fake.stop()
    assert errors == []
    counts = cell_counts(certification)
    # Each of the 6 cells was filled exactly to target: no cell was generated twice.
    assert set(counts.values()) == {3}
    assert len(counts) == 6
    assert sum(report.cells_filled for report in reports) == 6
    asked = sum(
        int(line.split(" × ")[0].lstrip("- "))
        for request in fake.requests
        for line in request["messages"][1]["content"].splitlines()
        if " × " in line
    )
    assert asked == 6 * 3
