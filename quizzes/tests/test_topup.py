"""Keeping the bank warm in the background."""

import threading
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections

from quizzes import budget
from quizzes.llm import get_question_writer
from quizzes.models import BankRefill, Question
from quizzes.services import quiz_generate
from quizzes.services.topup import bank_top_up
from quizzes.tasks import bank_top_up as bank_top_up_task
from quizzes.tests.factories import make_bank
from quizzes.tests.fake_openai import FakeOpenAI

pytestmark = pytest.mark.django_db

EVERY_CELL = [
    (domain, difficulty) for domain in ("Design", "Operations") for difficulty in ("easy", "medium", "hard")
]


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


def test_top_ups_are_enqueued_after_commit_one_per_cell_below_target_drawn_cells_first(
    learner, certification, fake_openai, queued, settings, django_capture_on_commit_callbacks
):
    settings.BANK_TARGET_PER_CELL = 5
    make_bank(certification, per_cell=1, difficulties=["easy"])  # 3 per (domain, easy); none harder
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        quiz_generate(learner=learner, certification=certification, count=3)
        assert queued == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    names = {str(d.pk): d.name for d in certification.domains.all()}
    priorities = {(names[r.kwargs["domain_id"]], r.kwargs["difficulty"]): r.task.priority for r in queued}
    assert priorities == {cell: 10 if cell[1] == "easy" else 0 for cell in EVERY_CELL}
    assert {(r.task.name, r.kwargs["certification_id"]) for r in queued} == {
        ("bank_top_up", str(certification.pk))
    }
    assert fake_openai.requests == []  # the quiz itself came from the bank


def test_no_top_up_when_the_cells_are_full(
    learner, certification, fake_openai, queued, settings, django_capture_on_commit_callbacks
):
    settings.BANK_TARGET_PER_CELL = 3
    make_bank(certification, per_cell=1)  # exactly 3 in every cell
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


def test_one_top_up_per_cell_is_queued_at_a_time(
    learner, certification, fake_openai, queued, settings, django_capture_on_commit_callbacks
):
    settings.BANK_TARGET_PER_CELL = 10
    make_bank(certification, per_cell=2, difficulties=["easy"])
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            quiz_generate(learner=learner, certification=certification, count=2)
    assert len(queued) == 6  # the six cells, once each


def test_the_top_up_fills_every_cell_below_target(certification, fake_openai, settings):
    settings.BANK_TARGET_PER_CELL = 4
    fake_openai.auto = True
    make_bank(certification, per_cell=1, difficulties=["easy"])  # 3 each at easy, 0 at medium and hard
    report = bank_top_up(certification_id=certification.pk)
    assert cell_counts(certification) == dict.fromkeys(EVERY_CELL, 4)
    assert (report.cells_below, report.cells_filled, report.added) == (6, 6, 2 * 1 + 4 * 4)
    assert BankRefill.objects.filter(refilled_at__isnull=False).count() == 6


def test_the_top_up_stops_when_the_budget_is_spent(certification, fake_openai, settings):
    settings.BANK_TARGET_PER_CELL = 4
    settings.LLM_DAILY_TOKEN_BUDGET = 100
    budget.record_tokens(100)
    report = bank_top_up(certification_id=certification.pk)
    assert report.stopped == "daily_token_budget_spent"
    assert fake_openai.requests == []


def test_a_cells_task_fills_that_cell_only(certification, fake_openai, settings):
    settings.BANK_TARGET_PER_CELL = 2
    fake_openai.auto = True
    design = certification.domains.get(name="Design")
    result = bank_top_up_task.call(
        certification_id=str(certification.pk), domain_id=str(design.pk), difficulty="medium"
    )
    assert result == {"added": 2, "cells_below": 1, "busy": 0, "stopped": ""}
    assert cell_counts(certification) == {("Design", "medium"): 2}


def test_the_task_without_a_cell_tops_up_the_whole_certification(certification, fake_openai, settings):
    settings.BANK_TARGET_PER_CELL = 1
    fake_openai.auto = True
    result = bank_top_up_task.call(certification_id=str(certification.pk))
    assert result == {"added": 6, "cells_below": 6, "busy": 0, "stopped": ""}


def test_top_up_bank_fills_every_cell_with_a_progress_bar(certification, fake_openai, settings):
    settings.BANK_TARGET_PER_CELL = 2
    fake_openai.auto = True
    out = StringIO()
    call_command("top_up_bank", "--certification", "tst-c01", stdout=out)
    assert "6 cell(s) below 2 questions." in out.getvalue()
    assert "6/6 cells" in out.getvalue()
    assert "Added 12 questions to the bank" in out.getvalue()
    assert set(cell_counts(certification).values()) == {2}


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
    # Each of the 6 cells was filled exactly to target: no cell was generated twice.
    assert cell_counts(certification) == dict.fromkeys(EVERY_CELL, 3)
    assert sum(report.cells_filled for report in reports) == 6
    prompts = [request["messages"][1]["content"] for request in fake.requests]
    asked = sum(
        int(line.split(" × ")[0].lstrip("- "))
        for prompt in prompts
        for line in prompt.splitlines()
        if " × " in line
    )
    assert asked == 6 * 3
