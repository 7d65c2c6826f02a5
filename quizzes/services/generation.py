"""Assembling a quiz: plan → bank → writer for the shortfall → least-recently-seen fallback → save."""

import functools
import logging
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import connection, transaction

from accounts.authentication import SessionCheck
from accounts.models import User
from certifications.models import Certification
from certifications.selectors import catalog
from mindquest.common.db import (
    Unbuilt,
    atomic_pipeline,
    cast_type,
    column,
    db_value,
    fetch_models,
    insert_fields,
    insert_rows,
    insert_values,
    mark_saved,
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


def _bank_pick(
    *, certification: Certification, slots: dict[int, Slot], seen: set, rng: random.Random
) -> dict[int, uuid.UUID]:
    """Every quiz starts here: for each slot it can fill (keyed by slot index), an active bank
    question this learner has not had in a quiz (`seen`), of the slot's domain and difficulty (its
    question type when possible), at random, no two the same. Picking costs no query: it draws
    from this process's copy of the bank's cells (`selectors.bank_pool`), so what is picked is
    then read, or read and saved at once (`_quiz_save_from_bank`), keeping only the questions
    still active."""
    pool = selectors.bank_pool(certification_id=certification.pk)
    taken = set(seen)

    def pick(slot: Slot, question_type: str) -> uuid.UUID | None:
        free = [
            pk for pk in pool.get((slot.domain_id, slot.difficulty, question_type), ()) if pk not in taken
        ]
        if not free:
            return None
        pk = rng.choice(free)
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
    return chosen


_LEVEL = {difficulty: level for level, difficulty in enumerate(Difficulty.values)}


def _unseen_pick(
    *, certification: Certification, slots: dict[int, Slot], taken: set, rng: random.Random
) -> dict[int, uuid.UUID]:
    """The fallback's first choice for the slots the bank's matching cells could not fill: for
    each, an active question of the certification this learner has never had (nor is already in
    the quiz: not in `taken`, which gains each pick), of the slot's domain if that has one left,
    else of any, at the difficulty nearest the slot's, at random among equals. From this
    process's copy of the bank, like `_bank_pick`: no query."""
    pool = selectors.bank_pool(certification_id=certification.pk)
    chosen: dict[int, uuid.UUID] = {}
    for same_domain in (True, False):
        for index, slot in slots.items():
            if index in chosen:
                continue
            nearest, best = None, []
            for (domain_id, difficulty, _), ids in pool.items():
                if same_domain and domain_id != slot.domain_id:
                    continue
                distance = abs(_LEVEL[difficulty] - _LEVEL[slot.difficulty])
                if nearest is not None and distance > nearest:
                    continue
                free = [pk for pk in ids if pk not in taken]
                if not free:
                    continue
                if nearest is None or distance < nearest:
                    nearest, best = distance, free
                else:
                    best += free
            if best:
                pk = rng.choice(best)
                taken.add(pk)
                chosen[index] = pk
    return chosen


def _active_questions(ids: list[uuid.UUID]) -> dict[uuid.UUID, Question]:
    """These questions, by id, but those retired or deleted (since this process's copy of the bank
    was read)."""
    if not ids:
        return {}
    rows = fetch_models(_active_questions_sql(len(ids)), _active_questions_params(ids), [Question])
    return {question.pk: question for (question,) in rows}


@functools.cache
def _active_questions_sql(count: int) -> str:
    """`count` questions by id, those still active (parameters: `_active_questions_params`). The
    ids are listed, not an array, so that PostgreSQL settles on one plan for a prepared statement
    that holds this instead of planning it on every call."""
    q = Question
    return (
        f"SELECT {select_list(q)} FROM {table(q)} WHERE {column(q, 'status')} = %s"
        f" AND {column(q, 'id')} IN ({', '.join(['%s'] * count)})"
    )


def _active_questions_params(ids: list[uuid.UUID]) -> list:
    return [QuestionStatus.ACTIVE, *(db_value(Question, "id", pk) for pk in ids)]


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
    """Whatever the bank has for the certification: questions this learner has never had first
    (`_unseen_pick`), then those they had least recently, each slot's domain first."""

    name = "fallback"

    def __init__(self, *, seen: set, rng: random.Random, exclude: set | None = None):
        self.seen = seen
        self.rng = rng
        self.exclude = exclude if exclude is not None else set()

    def fill(
        self, *, learner: User, certification: Certification, slots: dict[int, Slot]
    ) -> dict[int, Question]:
        picked = _unseen_pick(
            certification=certification, slots=slots, taken=self.seen | self.exclude, rng=self.rng
        )
        found = _active_questions(list(picked.values()))
        chosen = {index: found[pk] for index, pk in picked.items() if pk in found}
        rest = {index: slot for index, slot in slots.items() if index not in chosen}
        used = self.exclude | {question.pk for question in chosen.values()}
        return {**chosen, **self._least_recently_seen(learner, certification, rest, used)}

    def _least_recently_seen(
        self, learner: User, certification: Certification, slots: dict[int, Slot], exclude: set
    ) -> dict[int, Question]:
        if not slots:
            return {}
        q, item = Question, QuizQuestion
        not_excluded, excluded = _not_in_use(exclude)
        # One statement: the certification's active questions, never seen first, then those seen
        # longest ago (when the learner last saw each: one pass over their own questions, not a
        # check per question over everyone's), at random among equals; a few per slot.
        candidates = [
            row
            for (row,) in fetch_models(
                f"SELECT {select_list(q)} FROM {table(q)}"
                f" LEFT JOIN (SELECT {column(item, 'question')} AS question_id,"
                f" MAX({column(item, 'created_at')}) AS seen_at FROM {table(item)}"
                f" WHERE {column(item, 'learner')} = %s GROUP BY {column(item, 'question')}) seen"
                f" ON seen.question_id = {column(q, 'id')}"
                f" WHERE {column(q, 'certification')} = %s AND {column(q, 'status')} = %s{not_excluded}"
                " ORDER BY seen.seen_at IS NOT NULL, seen.seen_at, RANDOM() LIMIT %s",
                [
                    db_value(item, "learner", learner.pk),
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
    *,
    learner: User,
    certification: Certification,
    weak_domains: Sequence[str] | None,
    session: SessionCheck | None,
) -> tuple[User, list[DomainInput], str, set]:
    """The learner (checked with `session` if there is one), the plan's inputs, the learner's
    current difficulty, and the questions they have had in a quiz."""
    learner, state, seen = selectors.planning_reads(
        learner=learner, certification=certification, session=session
    )
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
    return learner, inputs, state.current_difficulty, seen


def quiz_generate(
    *,
    learner: User,
    certification: Certification,
    difficulty: str | None = None,
    weak_domains: Sequence[str] | None = None,
    count: int = 5,
    writer: QuestionWriter | None = None,
    rng: random.Random | None = None,
    session: SessionCheck | None = None,
    allowed: Callable[..., None] | None = None,
) -> GeneratedQuiz:
    """Plan a quiz from the learner's state, fill it from the bank first, the writer for what the
    bank lacks and, if that fails, the least recently seen bank questions; then save it.
    Without any usable question for the certification: ServiceUnavailableError, nothing saved.

    With `session`, the check of an API request's token session (`learner` is then the token's
    user, by id), the check goes out with the planning reads, so the request waits once for both:
    an ended session raises AuthenticationFailed there. `allowed(learner=...)` (the rate limit)
    runs after it, so an ended session spends none of the learner's quota, and before anything
    is planned, asked of a model or saved: it raises to refuse."""
    started = time.monotonic()
    writer = writer if writer is not None else get_question_writer()
    learner, domains, current, seen = _domain_inputs(
        learner=learner, certification=certification, weak_domains=weak_domains, session=session
    )
    if allowed is not None:
        allowed(learner=learner)
    if not domains:
        raise ServiceUnavailableError(NO_QUESTIONS)
    plan = plan_quiz(domains=domains, count=count, base_difficulty=current, fixed_difficulty=difficulty)
    rng = rng or random.Random()

    def new_quiz(questions: Sequence[uuid.UUID], source: str, model: str = "") -> GeneratedQuiz:
        quiz = Quiz(
            learner=learner,
            certification=certification,
            difficulty=difficulty or current or Difficulty.EASY,
            total_questions=len(questions),
            generation_source=source,
            generation_model=model,
            generation_ms=int((time.monotonic() - started) * 1000),
        )
        items = [
            QuizQuestion(quiz=quiz, learner=learner, question_id=pk, position=position)
            for position, pk in enumerate(questions, start=1)
        ]
        return GeneratedQuiz(quiz=quiz, items=items)

    slots = dict(enumerate(plan))
    picked = _bank_pick(certification=certification, slots=slots, seen=seen, rng=rng)
    unseen: dict[int, uuid.UUID] = {}
    if len(picked) < len(plan) and writer is None:
        # No writer to ask for the rest: the fallback's first choice, a question this learner
        # has never had, is in this process's copy of the bank too.
        open_slots = {index: slot for index, slot in slots.items() if index not in picked}
        unseen = _unseen_pick(
            certification=certification, slots=open_slots, taken=seen | set(picked.values()), rng=rng
        )
    if len(picked) + len(unseen) == len(plan):
        # The bank has the whole quiz (the common case): read and saved in one go, unless one of
        # the picked questions was retired meanwhile.
        ids = [*picked.values(), *unseen.values()]
        rng.shuffle(ids)
        generated = new_quiz(ids, "fallback" if unseen else "bank")
        found = _quiz_save_from_bank(generated)
        if len(found) == len(ids):
            return _served(generated, found, certification=certification, plan=plan, writer=writer)
    else:
        found = _active_questions(list(picked.values()))
    # The matching questions still active are kept; the sources below fill the rest.
    chosen = {index: found[pk] for index, pk in picked.items() if pk in found}

    # The rest: the writer for what the bank lacks, then the least recently seen questions.
    sources_used = ["bank"] if chosen else []
    used = {question.pk for question in chosen.values()}
    sources: list[QuestionSourceProtocol] = [WriterSource(writer)] if writer is not None else []
    sources.append(FallbackSource(seen=seen, rng=rng, exclude=used))
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
    if "fallback" in sources_used:
        origin = "fallback"
    elif len(sources_used) > 1:
        origin = "mixed"
    else:
        origin = sources_used[0]
    generated = new_quiz(
        [question.pk for question in questions],
        origin,
        writer.model if writer is not None and "llm" in sources_used else "",
    )
    with atomic_pipeline():  # on PostgreSQL one round trip for both, BEGIN and COMMIT included
        insert_rows(Quiz, [generated.quiz])
        insert_rows(QuizQuestion, generated.items)
    found = {question.pk: question for question in questions}
    return _served(generated, found, certification=certification, plan=plan, writer=writer)


def _served(
    generated: GeneratedQuiz,
    questions: dict[uuid.UUID, Question],
    *,
    certification: Certification,
    plan: list[Slot],
    writer: QuestionWriter | None,
) -> GeneratedQuiz:
    """The saved quiz, its items holding their questions (each with its domain, for the
    response, from the catalog rather than a join)."""
    domains = catalog().domains
    for item in generated.items:
        item.question = question = questions[item.question_id]
        question.domain = domains[question.domain_id]
    if writer is not None:
        # Keep the bank warm for the next quizzes, in the background (once the caller's
        # transaction, if any, commits).
        top_up_schedule(
            certification=certification, drawn={(slot.domain_id, slot.difficulty) for slot in plan}
        )
    return generated


def _quiz_save_from_bank(generated: GeneratedQuiz) -> dict[uuid.UUID, Question]:
    """The quiz's questions that are still active (a question retired in another process since
    this one's copy of the bank was read is not), and, if every one is, the quiz and its items
    saved; if one is not, nothing is saved. On PostgreSQL in one statement (one wait, its own
    transaction); elsewhere (SQLite, in development) a read and two inserts in a transaction."""
    quiz, items = generated.quiz, generated.items
    ids = [item.question_id for item in items]
    if connection.vendor != "postgresql":
        with transaction.atomic():
            found = _active_questions(ids)
            if len(found) == len(ids):
                insert_rows(Quiz, [quiz])
                insert_rows(QuizQuestion, items)
        return found
    (quiz_values,) = insert_values(Quiz, [quiz])
    # The items' values column by column, but the quiz's id (the statement takes it from the quiz).
    by_column = zip(*insert_values(QuizQuestion, items), strict=True)
    columns = [
        list(values)
        for field, values in zip(insert_fields(QuizQuestion), by_column, strict=True)
        if field.name != "quiz"
    ]
    rows = fetch_models(
        _bank_quiz_sql(len(ids)),
        [*_active_questions_params(ids), *quiz_values, len(ids), *columns],
        [Question],
    )
    found = {question.pk: question for (question,) in rows}
    if len(found) == len(ids):
        mark_saved([quiz, *items])
    return found


@functools.cache
def _bank_quiz_sql(count: int) -> str:
    """One statement (PostgreSQL): the `count` picked questions that are active
    (`_active_questions_sql`); the quiz, only if all of them are; its items, only if the quiz was.
    Its parameters: those of the picked questions' read, the quiz's insert values, `count`, then an
    array per item column but the quiz's."""
    quiz, item = Quiz, QuizQuestion
    quote = connection.ops.quote_name

    def names(fields: list) -> str:
        return ", ".join(quote(field.column) for field in fields)

    quiz_fields = insert_fields(quiz)
    item_fields = [field for field in insert_fields(item) if field.name != "quiz"]
    aliases = ", ".join(f"c{i}" for i in range(len(item_fields)))
    return (
        f"WITH picked AS ({_active_questions_sql(count)}),"
        f" new_quiz AS (INSERT INTO {table(quiz)} ({names(quiz_fields)})"
        f" SELECT {', '.join(f'%s::{cast_type(field)}' for field in quiz_fields)}"
        f" WHERE (SELECT COUNT(*) FROM picked) = %s RETURNING {quote(quiz._meta.pk.column)} AS id),"
        f" new_items AS (INSERT INTO {table(item)} ({column(item, 'quiz', qualified=False)},"
        f" {names(item_fields)}) SELECT new_quiz.id, v.* FROM new_quiz,"
        f" unnest({', '.join(f'%s::{cast_type(field)}[]' for field in item_fields)})"
        f" AS v({aliases}))"
        " SELECT picked.* FROM picked"
    )
