"""Reads of the quiz engine: a learner's quizzes and their adaptive state."""

import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, F, Prefetch

from accounts.authentication import SessionCheck, fetch_with_session
from accounts.models import User
from certifications.models import Certification
from certifications.selectors import catalog
from mindquest.common.db import Read, column, db_value, fetch_models, fetch_together, select_list, table
from mindquest.common.exceptions import NotFoundError
from mindquest.common.snapshots import SharedSnapshot
from quizzes.models import (
    Difficulty,
    LearnerCertificationState,
    LearnerDomainState,
    Question,
    QuestionType,
    Quiz,
    QuizQuestion,
    QuizStatus,
)
from quizzes.rules import is_weak, recent_accuracy


@dataclass(frozen=True)
class WeakDomain:
    name: str
    accuracy: float  # percent, over the domain's recent answers


@dataclass(frozen=True)
class DomainStat:
    name: str
    answered: int
    correct: int
    difficulty: str
    recent_accuracy: float | None  # percent

    @property
    def accuracy(self) -> float:
        return round(100 * self.correct / self.answered, 1) if self.answered else 0.0


@dataclass(frozen=True)
class AdaptiveState:
    """What the planner reads and the progress views show for one learner and certification."""

    current_difficulty: str = Difficulty.EASY
    domain_difficulties: dict[str, str] = field(default_factory=dict)
    weak_domains: list[WeakDomain] = field(default_factory=list)
    domains: list[DomainStat] = field(default_factory=list)


def build_adaptive_state(
    *, current_difficulty: str, domain_states: Iterable[LearnerDomainState]
) -> AdaptiveState:
    """The adaptive state from a certification's difficulty and its domain states (the domains'
    names and order come from the catalog)."""
    domains = catalog().domains
    named = sorted(
        ((domains[s.domain_id], s) for s in domain_states), key=lambda pair: (pair[0].order, pair[0].name)
    )
    return AdaptiveState(
        current_difficulty=current_difficulty,
        domain_difficulties={domain.name: s.difficulty for domain, s in named},
        weak_domains=[
            WeakDomain(domain.name, round(100 * recent_accuracy(s.recent), 1))
            for domain, s in named
            if is_weak(s.recent)
        ],
        domains=[
            DomainStat(
                name=domain.name,
                answered=s.answered,
                correct=s.correct,
                difficulty=s.difficulty,
                recent_accuracy=round(100 * recent_accuracy(s.recent), 1) if s.recent else None,
            )
            for domain, s in named
        ],
    )


@dataclass
class LearnerStates:
    """A learner's stored adaptive state for some certifications, as rows."""

    difficulty: dict[uuid.UUID, str] = field(default_factory=dict)  # by certification
    domain_states: dict[uuid.UUID, list[LearnerDomainState]] = field(default_factory=dict)  # by certification


def learner_states_read(*, learner: User, certification_ids: list[uuid.UUID]) -> Read:
    """The read of the learner's domain states for these (at least one) certifications, each
    carrying its certification's difficulty: one statement, on every request that plans or shows a
    quiz, to send with other reads; `learner_states_from` makes its rows the states."""
    return _learner_states_read(
        learner,
        f" AND {column(LearnerDomainState, 'certification')} IN ({', '.join(['%s'] * len(certification_ids))})",
        [db_value(LearnerDomainState, "certification", pk) for pk in certification_ids],
    )


def every_learner_state_read(*, learner: User) -> Read:
    """`learner_states_read` for every certification the learner has a state in, to send with
    other reads; `learner_states_from` makes its rows the states."""
    return _learner_states_read(learner, "", [])


def learner_states_of_quiz_read(*, learner: User, quiz_id: uuid.UUID) -> Read:
    """`learner_states_read` for the certification of the learner's quiz `quiz_id`, for grading to
    send with the quiz's own read; `learner_states_from` makes its rows the states."""
    quiz = Quiz
    return _learner_states_read(
        learner,
        f" AND {column(LearnerDomainState, 'certification')} = (SELECT {column(quiz, 'certification')}"
        f" FROM {table(quiz)} WHERE {column(quiz, 'id')} = %s AND {column(quiz, 'learner')} = %s)",
        [db_value(quiz, "id", quiz_id), db_value(quiz, "learner", learner.pk)],
    )


def _learner_states_read(learner: User, condition: str, params: list) -> Read:
    """The learner's domain states (with their certification's difficulty) meeting `condition`."""
    domain, certification = LearnerDomainState, LearnerCertificationState
    return Read(
        f"SELECT {select_list(domain)}, (SELECT {column(certification, 'difficulty')} FROM {table(certification)}"
        f" WHERE {column(certification, 'learner')} = {column(domain, 'learner')}"
        f" AND {column(certification, 'certification')} = {column(domain, 'certification')})"
        f" FROM {table(domain)} WHERE {column(domain, 'learner')} = %s{condition}",
        [db_value(domain, "learner", learner.pk), *params],
        [domain],
        extra=1,
    )


def learner_states_from(
    rows: list[tuple], *, learner: User, certification_ids: Iterable[uuid.UUID]
) -> LearnerStates:
    """The states from the rows of a learner-states read for these certifications (reading, in a
    second statement, the difficulty of any that has no domain state, which grading never leaves
    behind)."""
    states = LearnerStates()
    for state, difficulty in rows:
        states.domain_states.setdefault(state.certification_id, []).append(state)
        states.difficulty[state.certification_id] = difficulty
    if missing := [pk for pk in certification_ids if pk not in states.domain_states]:
        certification = LearnerCertificationState
        found = fetch_models(
            f"SELECT {select_list(certification)} FROM {table(certification)}"
            f" WHERE {column(certification, 'learner')} = %s"
            f" AND {column(certification, 'certification')} IN ({', '.join(['%s'] * len(missing))})",
            [
                db_value(certification, "learner", learner.pk),
                *(db_value(certification, "certification", pk) for pk in missing),
            ],
            [certification],
        )
        states.difficulty.update((row.certification_id, row.difficulty) for (row,) in found)
    return states


def adaptive_states_from(states: LearnerStates) -> dict[uuid.UUID, AdaptiveState]:
    """The adaptive state of every certification in `states` (one the learner has not practised
    has none: AdaptiveState())."""
    return {
        certification_id: build_adaptive_state(
            current_difficulty=states.difficulty.get(certification_id) or Difficulty.EASY,
            domain_states=states.domain_states.get(certification_id, []),
        )
        for certification_id in set(states.difficulty) | set(states.domain_states)
    }


def adaptive_state(*, learner: User, certification: Certification) -> AdaptiveState:
    """The learner's adaptive state for one certification (AdaptiveState() if not practised)."""
    read = learner_states_read(learner=learner, certification_ids=[certification.pk])
    return _adaptive_state_from(fetch_together(read)[0], learner=learner, certification=certification)


def _adaptive_state_from(rows: list[tuple], *, learner: User, certification: Certification) -> AdaptiveState:
    """`adaptive_state` from the rows of its read."""
    states = learner_states_from(rows, learner=learner, certification_ids=[certification.pk])
    return adaptive_states_from(states).get(certification.pk, AdaptiveState())


def planning_reads(
    *, learner: User, certification: Certification, session: SessionCheck | None = None
) -> tuple[User, AdaptiveState, set[uuid.UUID]]:
    """What planning the learner's next quiz of the certification reads, in one wait: their
    adaptive state, and the ids of the questions they have had in a quiz; with the learner.

    With `session`, the check of an API request's token session (`learner` is then the token's
    user, by id), the check goes out first in the same wait, and the learner comes from it: an
    ended session raises AuthenticationFailed, before anything is planned."""
    reads = [
        learner_states_read(learner=learner, certification_ids=[certification.pk]),
        questions_seen_read(learner=learner),
    ]
    learner, (states, seen) = fetch_with_session(session, learner, *reads)
    state = _adaptive_state_from(states, learner=learner, certification=certification)
    question_id = Question._meta.pk.to_python  # a UUID from PostgreSQL, its hex from SQLite
    return learner, state, {question_id(pk) for (pk,) in seen}


def quiz_page_for_learner(
    *,
    learner: User,
    certification_id: uuid.UUID | None = None,
    status: str = QuizStatus.COMPLETED,
    limit: int,
    offset: int = 0,
) -> tuple[list[Quiz], int]:
    """A page of the learner's quizzes, newest first (`status`: completed, in_progress or all), and
    how many there are in all, in one written-out statement: each row carries the total (a
    window over the whole list), and not the stored evaluation (`result`), which a list never
    shows. Each quiz's certification comes from the catalog. A page past the end needs a second
    statement, for the total."""
    read, condition, params = _quiz_page_read(learner, certification_id, status, limit, offset)
    quizzes, total = quiz_page_from(fetch_together(read)[0])
    if quizzes or not offset:
        return quizzes, total
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table(Quiz)} WHERE {condition}", params)
        return [], cursor.fetchone()[0]


def recent_quizzes_read(*, learner: User, limit: int) -> Read:
    """The read of the learner's `limit` newest quizzes for the dashboard: the completed ones and
    the newest unfinished one (the others are in the history, and a run of quizzes left open
    would push every graded one out of the list), to send with other reads; `recent_quizzes_from`
    makes its rows the quizzes. One statement on the history index: a learner's newest rows,
    read until `limit` match (PostgreSQL runs the subquery only when it meets an unfinished one),
    without the total a history page counts."""
    learner_value = db_value(Quiz, "learner", learner.pk)
    return Read(
        _recent_quizzes_sql(),
        [learner_value, QuizStatus.COMPLETED, learner_value, QuizStatus.IN_PROGRESS, limit],
        [(Quiz, ("result",))],
    )


@functools.cache
def _recent_quizzes_sql() -> str:
    learner, created_at = column(Quiz, "learner"), column(Quiz, "created_at")
    status, pk = column(Quiz, "status"), column(Quiz, "id")
    return (
        f"SELECT {select_list(Quiz, defer=('result',))} FROM {table(Quiz)}"
        f" WHERE {learner} = %s AND ({status} = %s OR {pk} = (SELECT {pk} FROM {table(Quiz)}"
        f" WHERE {learner} = %s AND {status} = %s ORDER BY {created_at} DESC LIMIT 1))"
        f" ORDER BY {created_at} DESC LIMIT %s"
    )


def recent_quizzes_from(rows: list[tuple]) -> list[Quiz]:
    """The quizzes of a `recent_quizzes_read`, with their certifications from the catalog."""
    return _with_certifications([quiz for (quiz,) in rows])


def _with_certifications(quizzes: list[Quiz]) -> list[Quiz]:
    """`quizzes`, each with its certification from the catalog (no query)."""
    certifications = catalog().certifications
    for quiz in quizzes:
        quiz.certification = certifications[quiz.certification_id]
    return quizzes


def _quiz_page_read(
    learner: User, certification_id: uuid.UUID | None, status: str, limit: int, offset: int
) -> tuple[Read, str, list]:
    where = [f"{column(Quiz, 'learner')} = %s"]
    params = [db_value(Quiz, "learner", learner.pk)]
    if status != "all":
        where.append(f"{column(Quiz, 'status')} = %s")
        params.append(status)
    if certification_id is not None:
        where.append(f"{column(Quiz, 'certification')} = %s")
        params.append(db_value(Quiz, "certification", certification_id))
    condition = " AND ".join(where)
    read = Read(
        f"SELECT {select_list(Quiz, defer=('result',))}, COUNT(*) OVER () FROM {table(Quiz)}"
        f" WHERE {condition} ORDER BY {column(Quiz, 'created_at')} DESC LIMIT %s OFFSET %s",
        [*params, limit, offset],
        [(Quiz, ("result",))],
        extra=1,
    )
    return read, condition, params


def quiz_page_from(rows: list[tuple]) -> tuple[list[Quiz], int]:
    """The quizzes of a quiz-page read, with their certifications from the catalog, and the total
    (0 when the page is empty)."""
    return _with_certifications([quiz for quiz, _ in rows]), rows[0][1] if rows else 0


def quiz_get_for_learner(*, learner: User, quiz_id: uuid.UUID | str) -> Quiz:
    """One of the learner's quizzes with its questions in order; another learner's is NotFoundError."""
    items = QuizQuestion.objects.select_related("question__domain").order_by("position")
    try:
        return (
            Quiz.objects.of_learner(learner)
            .select_related("certification")
            .prefetch_related(Prefetch("items", queryset=items))
            .get(pk=quiz_id)
        )
    except (Quiz.DoesNotExist, ValueError, ValidationError):
        raise NotFoundError("Quiz not found") from None


def question_is_used(*, question_id: uuid.UUID) -> bool:
    """Whether the question is in any quiz: learners' answers and adaptive state then refer to it."""
    return QuizQuestion.objects.filter(question_id=question_id).exists()


def has_mastered_a_domain(*, learner: User, min_answers: int, min_accuracy_percent: int) -> bool:
    """Whether any of the learner's exam domains reaches the accuracy over at least min_answers."""
    return (
        LearnerDomainState.objects.filter(learner=learner, answered__gte=min_answers)
        .alias(correct_percent=F("correct") * 100)
        .filter(correct_percent__gte=F("answered") * min_accuracy_percent)
        .exists()
    )


@dataclass(frozen=True)
class BankCell:
    certification_code: str
    domain: str
    domain_order: int
    difficulty: str
    by_type: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_type.values())


def bank_cells(*, certification_ids: Iterable[uuid.UUID] | None = None) -> list[BankCell]:
    """Active questions per certification × domain × difficulty (with the split by type),
    every cell of each blueprint included, empty ones too. Two queries."""
    certifications = Certification.objects.prefetch_related("domains").order_by("code")
    if certification_ids is not None:
        certifications = certifications.filter(pk__in=list(certification_ids))
    counts = (
        Question.objects.active()
        .values("domain_id", "difficulty", "question_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_key: dict[tuple, int] = {(c["domain_id"], c["difficulty"], c["question_type"]): c["n"] for c in counts}
    return [
        BankCell(
            certification_code=certification.code,
            domain=domain.name,
            domain_order=domain.order,
            difficulty=difficulty,
            by_type={t: by_key.get((domain.pk, difficulty, t), 0) for t in QuestionType.values},
        )
        for certification in certifications
        for domain in sorted(certification.domains.all(), key=lambda d: (d.order, d.name))
        for difficulty in Difficulty.values
    ]


# What a quiz is drawn from: each certification's active question ids by cell, in each process's
# memory (see `bank_pool`), with a shared version per certification.
BANK_VERSION_KEY = "quizzes:bank-version:{}"
_bank_pools: dict[uuid.UUID, SharedSnapshot] = {}

BankPool = dict[tuple[uuid.UUID, str, str], tuple[uuid.UUID, ...]]


def _bank_snapshot(certification_id: uuid.UUID) -> SharedSnapshot:
    snapshot = _bank_pools.get(certification_id)
    if snapshot is None:

        def load() -> BankPool:
            pool: dict[tuple, list] = {}
            rows = Question.objects.active().filter(certification_id=certification_id).order_by()
            for pk, domain_id, difficulty, question_type in rows.values_list(
                "id", "domain_id", "difficulty", "question_type"
            ):
                pool.setdefault((domain_id, difficulty, question_type), []).append(pk)
            return {cell: tuple(ids) for cell, ids in pool.items()}

        snapshot = _bank_pools[certification_id] = SharedSnapshot(
            BANK_VERSION_KEY.format(certification_id), load
        )
    return snapshot


def bank_pool(*, certification_id: uuid.UUID) -> BankPool:
    """The certification's active question ids by (domain id, difficulty, question type): this
    process's copy, read in one query and checked against the shared version at most once a
    second (a change made elsewhere is drawn from within a second). Every new quiz starts here,
    so picking its questions costs no query; read-only."""
    return _bank_snapshot(certification_id).get()


def bank_changed(*, certification_id: uuid.UUID) -> None:
    """The certification's bank is changing (a question added, edited, retired or deleted): every
    process draws from the change once it commits (`SharedSnapshot.changed`)."""
    _bank_snapshot(certification_id).changed()


def forget_bank_pools() -> None:
    """Drop this process's copies of every certification's bank (tests: an earlier test's
    rolled-back questions may be in them)."""
    _bank_pools.clear()


def questions_seen_read(*, learner: User) -> Read:
    """The read of the ids of the questions the learner has had in a quiz, of every certification
    (a question is of one, so another's never matches this one's), to send with other reads; each
    row is one id as the database returns it. One range of the index that keeps a question once
    per quiz, which starts with the learner: a few pages however long their history."""
    item = QuizQuestion
    return Read(
        f"SELECT DISTINCT {column(item, 'question')} FROM {table(item)} WHERE {column(item, 'learner')} = %s",
        [db_value(item, "learner", learner.pk)],
        extra=1,
    )


@functools.cache
def _xp_by_day_sql() -> tuple[str, tuple]:
    day, day_params = connection.ops.datetime_cast_date_sql(column(Quiz, "completed_at"), (), "UTC")
    return (
        f"SELECT {day}, SUM({column(Quiz, 'xp_earned')}) FROM {table(Quiz)}"
        f" WHERE {column(Quiz, 'learner')} = %s AND {column(Quiz, 'status')} = %s"
        f" AND {column(Quiz, 'completed_at')} >= %s GROUP BY 1 ORDER BY 1",
        tuple(day_params),
    )


def xp_by_day(*, learner: User, since: date) -> list[tuple[date, int]]:
    """XP the learner earned per UTC day from `since` on (days without quizzes left out), in one
    written-out statement (every dashboard page draws it)."""
    return xp_by_day_from(fetch_together(xp_by_day_read(learner=learner, since=since))[0])


def xp_by_day_read(*, learner: User, since: date) -> Read:
    """The read of `xp_by_day`, to send with other reads; `xp_by_day_from` makes its rows the days."""
    sql, day_params = _xp_by_day_sql()
    params = [
        *day_params,
        db_value(Quiz, "learner", learner.pk),
        QuizStatus.COMPLETED,
        db_value(Quiz, "completed_at", datetime.combine(since, time.min, tzinfo=UTC)),
    ]
    return Read(sql, params, extra=2)


def xp_by_day_from(rows: list[tuple]) -> list[tuple[date, int]]:
    # SQLite returns the day as text.
    return [(day if isinstance(day, date) else date.fromisoformat(day), xp) for day, xp in rows]
