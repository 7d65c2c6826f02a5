"""Assembling a quiz: plan → bank → writer for the shortfall → least-recently-seen fallback → save."""

import logging
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from accounts.models import User
from certifications.models import Certification
from certifications.selectors import catalog
from mindquest.common.db import (
    Unbuilt,
    atomic_pipeline,
    column,
    db_value,
    fetch_models,
    insert_rows,
    select_list,
    table,
)
from mindquest.common.exceptions import ApplicationError, ServiceUnavailableError
from quizzes import selectors
from quizzes.llm import QuestionWriter, Wanted, get_question_writer
from quizzes.models import Difficulty, Question, QuestionStatus, QuestionType, Quiz, QuizQuestion
from quizzes.planning import DomainInput, Slot, plan_quiz
from quizzes.services.bank import questions_generate
from quizzes.services.topup import top_up_schedule

logger = logging.getLogger(__name__)

NO_QUESTIONS = (
    "No questions are available for this certification right now. Please try again in a few minutes."
)


class QuestionSourceProtocol(Protocol):
    """Where questions come from. Each source fills what it can of the open slots."""

    name: str

    def fill(
        self, *, learner: User, certification: Certification, slots: dict[int, Slot]
    ) -> dict[int, Question]:
        """Questions for some of `slots` (keyed by slot index); never one already in use."""


def _not_in_use(exclude: set) -> tuple[str, list]:
    """The condition (and its parameters) that keeps out the questions already in use for this
    quiz; nothing when there are none."""
    if not exclude:
        return "", []
    excluded = [db_value(Question, "id", pk) for pk in exclude]
    return f" AND {column(Question, 'id')} NOT IN ({', '.join(['%s'] * len(excluded))})", excluded


class BankSource:
    """Active bank questions this learner has not had in a quiz (`seen`), matching each slot's
    domain and difficulty (its question type when possible), at random. Every quiz starts here: the
    picking costs no query (this process's copy of the bank's cells, `selectors.bank_pool`), and
    the picked questions are read in one statement, which keeps only those still active."""

    name = "bank"

    def __init__(self, exclude: set | None = None, seen: set | None = None, rng: random.Random | None = None):
        self.exclude = exclude if exclude is not None else set()
        self.seen = seen if seen is not None else set()
        self.rng = rng or random.Random()

    def fill(
        self, *, learner: User, certification: Certification, slots: dict[int, Slot]
    ) -> dict[int, Question]:
        if not slots:
            return {}
        pool = selectors.bank_pool(certification_id=certification.pk)
        taken = self.exclude | self.seen

        def pick(slot: Slot, question_type: str) -> uuid.UUID | None:
            free = [
                pk for pk in pool.get((slot.domain_id, slot.difficulty, question_type), ()) if pk not in taken
            ]
            if not free:
                return None
            pk = self.rng.choice(free)
            taken.add(pk)
            return pk

        chosen: dict[int, uuid.UUID] = {}
        # The planned type first; then any type of the same domain and difficulty.
        for index, slot in slots.items():
            if pk := pick(slot, slot.question_type):
                chosen[index] = pk
        for index, slot in slots.items():
            if index in chosen:
                continue
            for question_type in QuestionType.values:
                if pk := pick(slot, question_type):
                    chosen[index] = pk
                    break
        if not chosen:
            return {}
        q = Question
        rows = fetch_models(
            f"SELECT {select_list(q)} FROM {table(q)} WHERE {column(q, 'status')} = %s"
            f" AND {column(q, 'id')} IN ({', '.join(['%s'] * len(chosen))})",
            [QuestionStatus.ACTIVE, *(db_value(q, "id", pk) for pk in chosen.values())],
            [q],
        )
        # One retired or deleted since this process's copy was read is left out: its slot stays open.
        found = {question.pk: question for (question,) in rows}
        return {index: found[pk] for index, pk in chosen.items() if pk in found}


class WriterSource:
    """New questions from the LLM for the slots the bank could not fill; they join the bank."""

    name = "llm"

    def __init__(self, writer: QuestionWriter):
        self.writer = writer
        self.tokens = 0

    def fill(
        self, *, learner: User, certification: Certification, slots: dict[int, Slot]
    ) -> dict[int, Question]:
        wanted = Counter((slot.domain, slot.difficulty, slot.question_type) for slot in slots.values())
        report = questions_generate(
            certification=certification,
            wanted=[
                Wanted(domain, difficulty, question_type, n)
                for (domain, difficulty, question_type), n in wanted.items()
            ],
            writer=self.writer,
        )
        self.tokens = report.tokens
        pools: dict[tuple, list[Question]] = defaultdict(list)
        for question in report.questions:
            pools[(question.domain.name, question.difficulty)].append(question)
        chosen: dict[int, Question] = {}
        for exact in (True, False):
            for index, slot in slots.items():
                if index in chosen:
                    continue
                pool = pools[(slot.domain, slot.difficulty)]
                match = next((q for q in pool if not exact or q.question_type == slot.question_type), None)
                if match:
                    pool.remove(match)
                    chosen[index] = match
        return chosen


class FallbackSource:
    """Whatever the bank has for the certification, the questions this learner saw least
    recently (or never) first, preferring each slot's domain."""

    name = "fallback"

    def __init__(self, exclude: set | None = None):
        self.exclude = exclude if exclude is not None else set()

    def fill(
        self, *, learner: User, certification: Certification, slots: dict[int, Slot]
    ) -> dict[int, Question]:
        if not slots:
            return {}
        q, item, quiz = Question, QuizQuestion, Quiz
        not_excluded, excluded = _not_in_use(self.exclude)
        # One statement: the certification's active questions, never seen first, then those seen
        # longest ago (when the learner last saw each: one pass over their own answers, not a
        # check per question over everyone's), at random among equals; a few per slot.
        candidates = [
            row
            for (row,) in fetch_models(
                f"SELECT {select_list(q)} FROM {table(q)}"
                f" LEFT JOIN (SELECT {column(item, 'question')} AS question_id,"
                f" MAX({column(item, 'created_at')}) AS seen_at FROM {table(item)}"
                f" INNER JOIN {table(quiz)} ON {column(quiz, 'id')} = {column(item, 'quiz')}"
                f" WHERE {column(quiz, 'learner')} = %s GROUP BY {column(item, 'question')}) seen"
                f" ON seen.question_id = {column(q, 'id')}"
                f" WHERE {column(q, 'certification')} = %s AND {column(q, 'status')} = %s{not_excluded}"
                " ORDER BY seen.seen_at IS NOT NULL, seen.seen_at, RANDOM() LIMIT %s",
                [
                    db_value(quiz, "learner", learner.pk),
                    db_value(q, "certification", certification.pk),
                    QuestionStatus.ACTIVE,
                    *excluded,
                    4 * len(slots),
                ],
                [q],
                unbuilt=True,
            )
        ]
        picked: dict[int, Unbuilt] = {}
        for same_domain in (True, False):
            for index, slot in slots.items():
                if index in picked:
                    continue
                match = next(
                    (
                        row
                        for row in candidates
                        if not same_domain or row.value("domain_id") == slot.domain_id
                    ),
                    None,
                )
                if match:
                    candidates.remove(match)
                    picked[index] = match
        return {index: row.build() for index, row in picked.items()}


@dataclass(frozen=True)
class GeneratedQuiz:
    quiz: Quiz
    items: list[QuizQuestion]


def _domain_inputs(
    *, learner: User, certification: Certification, weak_domains: Sequence[str] | None
) -> tuple[list[DomainInput], str, set]:
    """The plan's inputs, the learner's current difficulty, and the certification's questions they
    have had in a quiz."""
    state, seen = selectors.planning_reads(learner=learner, certification=certification)
    domains = list(certification.domains.all())
    if weak_domains is None:
        weak = {item.name for item in state.weak_domains}
    else:
        known = {domain.name for domain in domains}
        unknown = [name for name in weak_domains if name not in known]
        if unknown:
            raise ApplicationError(
                "Unknown exam domain",
                errors={"weak_domains": [f"Not a domain of {certification.code}: {', '.join(unknown)}."]},
            )
        weak = set(weak_domains)
    inputs = [
        DomainInput(
            id=domain.id,
            name=domain.name,
            weight=domain.weight,
            difficulty=state.domain_difficulties.get(domain.name),
            is_weak=domain.name in weak,
        )
        for domain in domains
    ]
    return inputs, state.current_difficulty, seen


def quiz_generate(
    *,
    learner: User,
    certification: Certification,
    difficulty: str | None = None,
    weak_domains: Sequence[str] | None = None,
    count: int = 5,
    writer: QuestionWriter | None = None,
    rng: random.Random | None = None,
) -> GeneratedQuiz:
    """Plan a quiz from the learner's state, fill it from the bank first, the writer for what the
    bank lacks and, if that fails, the least recently seen bank questions; then save it.
    Without any usable question for the certification: ServiceUnavailableError, nothing saved."""
    started = time.monotonic()
    writer = writer if writer is not None else get_question_writer()
    domains, current, seen = _domain_inputs(
        learner=learner, certification=certification, weak_domains=weak_domains
    )
    if not domains:
        raise ServiceUnavailableError(NO_QUESTIONS)
    plan = plan_quiz(domains=domains, count=count, base_difficulty=current, fixed_difficulty=difficulty)

    chosen: dict[int, Question] = {}
    used: set = set()
    sources_used: list[str] = []
    rng = rng or random.Random()
    sources = [BankSource(exclude=used, seen=seen, rng=rng)]
    if writer is not None:
        sources.append(WriterSource(writer))
    sources.append(FallbackSource(exclude=used))
    for source in sources:
        open_slots = {index: slot for index, slot in enumerate(plan) if index not in chosen}
        if not open_slots:
            break
        found = source.fill(learner=learner, certification=certification, slots=open_slots)
        if found:
            sources_used.append(source.name)
        chosen.update(found)
        used.update(question.pk for question in found.values())
    if not chosen:
        logger.warning("no question available for %s", certification.code)
        raise ServiceUnavailableError(NO_QUESTIONS)

    questions = [chosen[index] for index in sorted(chosen)]
    rng.shuffle(questions)
    domains = catalog().domains
    for question in questions:
        question.domain = domains[question.domain_id]  # for the response, without a join
    if "fallback" in sources_used:
        origin = "fallback"
    elif len(sources_used) > 1:
        origin = "mixed"
    else:
        origin = sources_used[0]
    quiz = Quiz(
        learner=learner,
        certification=certification,
        difficulty=difficulty or current or Difficulty.EASY,
        total_questions=len(questions),
        generation_source=origin,
        generation_model=writer.model if writer is not None and "llm" in sources_used else "",
        generation_ms=int((time.monotonic() - started) * 1000),
    )
    items = [
        QuizQuestion(quiz=quiz, question=question, position=position)
        for position, question in enumerate(questions, start=1)
    ]
    with atomic_pipeline():  # on PostgreSQL one round trip for both, BEGIN and COMMIT included
        insert_rows(Quiz, [quiz])
        insert_rows(QuizQuestion, items)
    if writer is not None:
        # Keep the bank warm for the next quizzes, in the background (once the caller's
        # transaction, if any, commits).
        top_up_schedule(
            certification=certification, drawn={(slot.domain_id, slot.difficulty) for slot in plan}
        )
    return GeneratedQuiz(quiz=quiz, items=items)
