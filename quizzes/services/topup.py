"""Keeping the bank warm: cells that quizzes drew below their target are topped up in the
background, so that learners' quizzes do not wait for the LLM."""

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from certifications.models import Certification, ExamDomain
from quizzes.llm import QuestionWriter, get_question_writer
from quizzes.models import BankRefill, Question
from quizzes.services.bank import BATCH, batches, questions_generate, spread

logger = logging.getLogger(__name__)

PENDING_TTL = 15 * 60  # one queued top-up per cell at a time, for at most this long
# Cells the quiz just drew are likely needed first: their tasks go ahead of the rest.
DRAWN_PRIORITY = 10


@dataclass
class TopUpReport:
    cells_below: int = 0
    cells_filled: int = 0
    cells_busy: int = 0  # being filled by another worker
    added: int = 0
    tokens: int = 0
    stopped: str = ""


def cells_below_target(
    *, certification: Certification, target: int, cells: Iterable[tuple[uuid.UUID, str]] | None = None
) -> list[tuple[ExamDomain, str, int]]:
    """(domain, difficulty, active questions) for each cell under `target`, in one query."""
    domains = {domain.pk: domain for domain in certification.domains.all()}
    wanted = (
        set(cells) if cells is not None else {(d, f) for d in domains for f in ("easy", "medium", "hard")}
    )
    counts = {
        (row["domain_id"], row["difficulty"]): row["n"]
        for row in Question.objects.active()
        .filter(certification=certification)
        .values("domain_id", "difficulty")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [
        (domains[domain_id], difficulty, counts.get((domain_id, difficulty), 0))
        for domain_id, difficulty in sorted(wanted, key=lambda cell: (domains[cell[0]].order, cell[1]))
        if domain_id in domains and counts.get((domain_id, difficulty), 0) < target
    ]


def _pending_key(domain_id: uuid.UUID | str, difficulty: str) -> str:
    return f"bank-top-up-pending:{domain_id}:{difficulty}"


def top_up_schedule(*, certification: Certification, drawn: Iterable[tuple[uuid.UUID, str]]) -> int:
    """After a quiz: when the transaction commits, queue a top-up task for each of the
    certification's cells below target that has none queued yet, the cells the quiz drew first.
    One task per cell lets several workers warm the bank side by side. Returns how many."""
    below = cells_below_target(certification=certification, target=settings.BANK_TARGET_PER_CELL)
    if not below:
        return 0
    drawn = set(drawn)

    def enqueue() -> None:
        from quizzes.tasks import bank_top_up

        for domain, difficulty, _ in below:
            if cache.add(_pending_key(domain.pk, difficulty), 1, timeout=PENDING_TTL):
                priority = DRAWN_PRIORITY if (domain.pk, difficulty) in drawn else 0
                bank_top_up.using(priority=priority).enqueue(
                    certification_id=str(certification.pk), domain_id=str(domain.pk), difficulty=difficulty
                )

    transaction.on_commit(enqueue)
    return len(below)


@contextlib.contextmanager
def _cell_claimed(domain: ExamDomain, difficulty: str) -> Iterator[bool]:
    """Hold the cell's row lock (PostgreSQL) for the block; False when another worker holds it."""
    with contextlib.suppress(IntegrityError), transaction.atomic():
        BankRefill.objects.get_or_create(domain=domain, difficulty=difficulty)
    if not connection.features.has_select_for_update_skip_locked:
        # SQLite: the immediate task backend runs one top-up at a time; no lock to take.
        yield True
        return
    with transaction.atomic():
        row = (
            BankRefill.objects.select_for_update(skip_locked=True)
            .filter(domain=domain, difficulty=difficulty)
            .first()
        )
        yield row is not None


def _fill_cell(
    certification: Certification,
    domain: ExamDomain,
    difficulty: str,
    count: int,
    writer: QuestionWriter,
    report: TopUpReport,
) -> int:
    """Ask for `count` questions in the cell, a batch at a time; stop at the first refusal."""
    added = 0
    wanted = spread(certification=certification, count=count, domain=domain.name, difficulty=difficulty)
    for batch in batches(wanted, BATCH):
        generated = questions_generate(certification=certification, wanted=batch, writer=writer)
        added += generated.accepted
        report.tokens += generated.tokens
        if generated.unavailable:
            report.stopped = generated.unavailable
            break
    return added


def bank_top_up(
    *,
    certification_id: uuid.UUID | str,
    cells: Iterable[tuple[uuid.UUID | str, str]] | None = None,
    target: int | None = None,
    writer: QuestionWriter | None = None,
    on_cell: Callable[[ExamDomain, str, int], None] | None = None,
) -> TopUpReport:
    """Generate questions for the certification's cells below target (all, or those given),
    each cell by one worker at a time. `on_cell` hears of each cell done, with what it added."""
    target = target or settings.BANK_TARGET_PER_CELL
    writer = writer or get_question_writer()
    report = TopUpReport()
    cells = (
        [(uuid.UUID(str(domain_id)), difficulty) for domain_id, difficulty in cells]
        if cells is not None
        else None
    )
    certification = Certification.objects.prefetch_related("domains").filter(pk=certification_id).first()
    try:
        if writer is None or certification is None:
            return report
        below = cells_below_target(certification=certification, target=target, cells=cells)
        report.cells_below = len(below)
        for domain, difficulty, _ in below:
            with _cell_claimed(domain, difficulty) as claimed:
                if not claimed:
                    report.cells_busy += 1
                    continue
                # Recount under the lock: another worker may have filled it meanwhile.
                have = Question.objects.active().filter(domain=domain, difficulty=difficulty).count()
                if have >= target:
                    continue
                added = _fill_cell(certification, domain, difficulty, target - have, writer, report)
                BankRefill.objects.filter(domain=domain, difficulty=difficulty).update(
                    refilled_at=timezone.now(), last_added=added
                )
                report.added += added
                report.cells_filled += 1
                if on_cell:
                    on_cell(domain, difficulty, added)
            if report.stopped:
                break
        logger.info(
            "bank top-up of %s: %s added in %s of %s cells (%s busy)%s",
            certification.code,
            report.added,
            report.cells_filled,
            report.cells_below,
            report.cells_busy,
            f"; stopped: {report.stopped}" if report.stopped else "",
        )
        return report
    finally:
        for domain_id, difficulty in cells or []:
            cache.delete(_pending_key(domain_id, difficulty))
