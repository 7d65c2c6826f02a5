"""A realistic load-test data set: learners across certifications, each with completed quizzes and
the state those quizzes imply (XP, levels, streaks, per-domain statistics, progress, achievements).

Everything is derived from the generated quizzes, so the data is as consistent as real use would
make it. Rows are written with PostgreSQL's COPY (bulk_create elsewhere), so 100k learners with 10
quizzes each (about 6.5 million rows) load in minutes."""

import json
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from accounts.models import Profile, User
from certifications.models import Certification
from mindquest.common.db import column, table
from mindquest.common.ids import uuid7
from progress.models import Achievement, UserProgress
from progress.services import level_for
from quizzes.models import (
    RECENT_WINDOW,
    XP_PER_CORRECT,
    Difficulty,
    LearnerCertificationState,
    LearnerDomainState,
    Question,
    QuestionType,
    Quiz,
    QuizQuestion,
    QuizStatus,
)
from quizzes.rules import next_difficulty

PASSWORD = "Load-Test-42"  # noqa: S105 - every seeded learner's, printed for load tests; hashed once
POPULARITY = {
    "SAA-C03": 30,
    "CLF-C02": 25,
    "AIF-C01": 12,
    "DVA-C02": 10,
    "SOA-C03": 7,
    "MLA-C01": 6,
    "SAP-C02": 5,
    "DOP-C02": 5,
}
QUESTIONS_PER_QUIZ = 5
HISTORY_DAYS = 60


@dataclass
class BankView:
    """The active bank of one certification, by difficulty, for drawing quiz questions."""

    certification: Certification
    by_difficulty: dict[str, list[Question]]
    everything: list[Question]


@dataclass
class Rows:
    """One batch of rows, per model, ready to be written."""

    tables: dict[type[models.Model], list[tuple]] = field(default_factory=lambda: defaultdict(list))

    def add(self, model: type[models.Model], row: tuple) -> None:
        self.tables[model].append(row)


# The columns written for each model, in order.
COLUMNS: dict[type[models.Model], list[str]] = {
    User: [
        "id",
        "password",
        "last_login",
        "is_superuser",
        "email",
        "username",
        "is_active",
        "is_staff",
        "created_at",
    ],
    Profile: [
        "id",
        "user",
        "selected_certification",
        "xp",
        "level",
        "current_streak",
        "longest_streak",
        "last_quiz_date",
        "created_at",
        "updated_at",
    ],
    Quiz: [
        "id",
        "created_at",
        "updated_at",
        "learner",
        "certification",
        "difficulty",
        "status",
        "score",
        "total_questions",
        "xp_earned",
        "completed_at",
        "result",
        "generation_source",
        "generation_model",
        "generation_ms",
    ],
    QuizQuestion: [
        "id",
        "quiz",
        "learner",
        "question",
        "position",
        "user_answer",
        "is_correct",
        "xp_earned",
        "created_at",
    ],
    UserProgress: [
        "id",
        "learner",
        "certification",
        "total_xp",
        "total_quizzes",
        "total_questions_answered",
        "correct_answers",
        "created_at",
        "updated_at",
    ],
    LearnerDomainState: [
        "learner",
        "certification",
        "domain",
        "answered",
        "correct",
        "recent",
        "difficulty",
        "updated_at",
    ],
    LearnerCertificationState: ["learner", "certification", "difficulty", "updated_at"],
    Achievement: ["id", "learner", "key", "earned_at"],
}
WRITE_ORDER = [
    User,
    Profile,
    Quiz,
    QuizQuestion,
    UserProgress,
    LearnerDomainState,
    LearnerCertificationState,
    Achievement,
]


def _write(rows: Rows) -> None:
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            for model in WRITE_ORDER:
                table_rows = rows.tables.get(model)
                if not table_rows:
                    continue
                columns = ", ".join(column(model, name, qualified=False) for name in COLUMNS[model])
                with cursor.copy(f"COPY {table(model)} ({columns}) FROM STDIN") as copy:
                    for row in table_rows:
                        copy.write_row(row)
        return
    for model in WRITE_ORDER:
        table_rows = rows.tables.get(model)
        if not table_rows:
            continue
        fields = [model._meta.get_field(name) for name in COLUMNS[model]]
        # COPY takes JSON as text; bulk_create wants the Python value back.
        decode = [isinstance(f, models.JSONField) for f in fields]
        model.objects.bulk_create(
            (
                model(
                    **{
                        f.attname: json.loads(value) if is_json else value
                        for f, value, is_json in zip(fields, row, decode, strict=True)
                    }
                )
                for row in table_rows
            ),
            batch_size=2000,
        )


def _streaks(days: list[date]) -> tuple[int, int]:
    """(current streak as of the last quiz day, longest streak) over distinct UTC days."""
    longest = current = 0
    previous = None
    for day in sorted(set(days)):
        current = current + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, current)
        previous = day
    return current, longest


class LearnerGenerator:
    """Makes one learner's rows from a seeded random source."""

    def __init__(
        self, *, banks: dict[str, BankView], rng: random.Random, now: datetime, password_hash: str, tag: str
    ):
        self.banks = banks
        self.rng = rng
        self.now = now
        self.password_hash = password_hash
        self.tag = tag
        self.codes = [code for code in POPULARITY if code in banks] + [
            code for code in banks if code not in POPULARITY
        ]
        self.weights = [POPULARITY.get(code, 3) for code in self.codes]
        self.usage: Counter = Counter()  # question id → times answered
        self.usage_correct: Counter = Counter()

    def learner(self, index: int, quizzes: int, rows: Rows) -> None:
        rng = self.rng
        user_id = uuid.uuid4()
        joined = self.now - timedelta(days=HISTORY_DAYS + rng.randint(0, 120), minutes=rng.randint(0, 1440))
        name = f"lt{self.tag}{index}"
        rows.add(
            User,
            (user_id, self.password_hash, None, False, f"{name}@load.example.com", name, True, False, joined),
        )

        primary = rng.choices(self.codes, weights=self.weights)[0]
        practised = [primary]
        if rng.random() < 0.3:
            practised.append(rng.choices(self.codes, weights=self.weights)[0])
        skill = rng.uniform(0.35, 0.95)

        times = sorted(self.now - timedelta(days=rng.uniform(0, HISTORY_DAYS)) for _ in range(quizzes))
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # quizzes, answered, correct, xp
        domain_stats: dict[tuple[str, uuid.UUID], list] = {}
        cert_difficulty: dict[str, str] = defaultdict(lambda: Difficulty.EASY)
        xp_total = 0
        earned: dict[str, datetime] = {}
        for started in times:
            code = primary if len(practised) == 1 or rng.random() < 0.8 else practised[1]
            bank = self.banks[code]
            difficulty = cert_difficulty[code]
            pool = bank.by_difficulty.get(difficulty) or bank.everything
            picked = rng.sample(pool, min(QUESTIONS_PER_QUIZ, len(pool)))
            quiz_id = uuid7(started)
            completed = started + timedelta(minutes=rng.randint(3, 12))
            score = xp = 0
            for position, question in enumerate(picked, start=1):
                chance = skill + {"easy": 0.1, "medium": 0.0, "hard": -0.15}[question.difficulty]
                correct = rng.random() < chance
                answer = list(question.correct_answers) if correct else self._wrong(question)
                gained = XP_PER_CORRECT[Difficulty(question.difficulty)] if correct else 0
                score += correct
                xp += gained
                rows.add(
                    QuizQuestion,
                    (
                        uuid7(started),
                        quiz_id,
                        user_id,
                        question.pk,
                        position,
                        json.dumps(answer),
                        correct,
                        gained,
                        started,
                    ),
                )
                self.usage[question.pk] += 1
                self.usage_correct[question.pk] += correct
                stats = domain_stats.setdefault((code, question.domain_id), [0, 0, "", Difficulty.EASY])
                stats[0] += 1
                stats[1] += correct
                stats[2] = (stats[2] + ("1" if correct else "0"))[-RECENT_WINDOW:]
                if len(stats[2]) >= 3:
                    stats[3] = next_difficulty(stats[3], stats[2].count("1") / len(stats[2]))
            total = len(picked)
            accuracy = round(100 * score / total, 1)
            cert_difficulty[code] = next_difficulty(difficulty, score / total)
            xp_total += xp
            result = {
                "success": True,
                "score": score,
                "total_questions": total,
                "accuracy": accuracy,
                "xp_earned": xp,
                "new_level": level_for(xp_total),
                "weak_domains": [],
                "next_difficulty": cert_difficulty[code],
                "achievements": [],
                "leveled_up": False,
                "new_streak": 1,
            }
            rows.add(
                Quiz,
                (
                    quiz_id,
                    started,
                    completed,
                    user_id,
                    bank.certification.pk,
                    difficulty,
                    QuizStatus.COMPLETED,
                    score,
                    total,
                    xp,
                    completed,
                    json.dumps(result),
                    "bank",
                    "",
                    rng.randint(5, 40),
                ),
            )
            counts = totals[code]
            counts[0] += 1
            counts[1] += total
            counts[2] += score
            counts[3] += xp
            earned.setdefault("first_quiz", completed)
            if accuracy >= 90:
                earned.setdefault("perfect_score", completed)
            if difficulty == Difficulty.HARD and total >= 5 and score == total:
                earned.setdefault("hard_mode", completed)

        days = [t.astimezone(UTC).date() for t in times]
        current, longest = _streaks(days) if days else (0, 0)
        level = level_for(xp_total)
        answered = sum(c[1] for c in totals.values())
        last_time = times[-1] if times else None
        for key, reached in (
            ("streak_7", longest >= 7),
            ("streak_30", longest >= 30),
            ("level_5", level >= 5),
            ("level_10", level >= 10),
            ("questions_100", answered >= 100),
            ("questions_500", answered >= 500),
            ("quizzes_25", len(times) >= 25),
        ):
            if reached:
                earned.setdefault(key, last_time)
        for key, when in earned.items():
            rows.add(Achievement, (uuid.uuid4(), user_id, key, when))

        rows.add(
            Profile,
            (
                uuid.uuid4(),
                user_id,
                self.banks[primary].certification.pk,
                xp_total,
                level,
                current,
                longest,
                days[-1] if days else None,
                joined,
                last_time or joined,
            ),
        )
        for code, (n_quizzes, n_answered, n_correct, n_xp) in totals.items():
            certification_id = self.banks[code].certification.pk
            rows.add(
                UserProgress,
                (
                    uuid.uuid4(),
                    user_id,
                    certification_id,
                    n_xp,
                    n_quizzes,
                    n_answered,
                    n_correct,
                    joined,
                    last_time,
                ),
            )
            rows.add(LearnerCertificationState, (user_id, certification_id, cert_difficulty[code], last_time))
        for (code, domain_id), (n_answered, n_correct, recent, difficulty) in domain_stats.items():
            rows.add(
                LearnerDomainState,
                (
                    user_id,
                    self.banks[code].certification.pk,
                    domain_id,
                    n_answered,
                    n_correct,
                    recent,
                    difficulty,
                    last_time,
                ),
            )

    def _wrong(self, question: Question) -> list[str]:
        wrong = [option for option in question.options if option not in question.correct_answers]
        if question.question_type == QuestionType.MULTI_SELECT:
            return [self.rng.choice(wrong), question.correct_answers[0]]
        return [self.rng.choice(wrong)]


def load_banks() -> dict[str, BankView]:
    banks = {}
    for certification in Certification.objects.active():
        questions = list(Question.objects.active().filter(certification=certification))
        if not questions:
            continue
        by_difficulty: dict[str, list[Question]] = defaultdict(list)
        for question in questions:
            by_difficulty[question.difficulty].append(question)
        banks[certification.code] = BankView(certification, dict(by_difficulty), questions)
    return banks


@dataclass(frozen=True)
class SeedReport:
    learners: int
    quizzes: int
    quiz_questions: int
    username_prefix: str  # every learner of this run has a username starting with it


def seed_load_data(
    *,
    learners: int,
    quizzes_per_learner: int,
    seed: int = 1,
    batch: int = 2000,
    on_batch: Callable[[int], None] | None = None,
) -> SeedReport:
    """Insert `learners` learners with `quizzes_per_learner` completed quizzes each."""
    banks = load_banks()
    if not banks:
        raise ValueError("The question bank is empty: run load_question_bank first.")
    rng = random.Random(seed)
    tag = f"{rng.getrandbits(24):06x}"
    if User.objects.filter(username__startswith=f"lt{tag}").exists():
        raise ValueError(f"The learners of seed {seed} are already loaded: pass another --seed to add more.")
    generator = LearnerGenerator(
        banks=banks, rng=rng, now=timezone.now(), password_hash=make_password(PASSWORD), tag=tag
    )
    done = 0
    while done < learners:
        size = min(batch, learners - done)
        rows = Rows()
        for index in range(done, done + size):
            generator.learner(index, quizzes_per_learner, rows)
        with transaction.atomic():
            _write(rows)
        done += size
        if on_batch:
            on_batch(done)
    _record_usage(generator.usage, generator.usage_correct)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (*WRITE_ORDER, Question):  # the bank's usage counts changed too
                cursor.execute(f"ANALYZE {table(model)}")
    return SeedReport(
        learners=learners,
        quizzes=learners * quizzes_per_learner,
        quiz_questions=sum(generator.usage.values()),
        username_prefix=f"lt{tag}",
    )


def _record_usage(usage: Counter, correct: Counter) -> None:
    """Add the seeded answers to each bank question's usage counters."""
    ids = list(usage)
    for start in range(0, len(ids), 500):
        chunk: Iterable = ids[start : start + 500]
        Question.objects.filter(pk__in=chunk).update(
            times_answered=F("times_answered") + Case(*(When(pk=pk, then=Value(usage[pk])) for pk in chunk)),
            times_correct=F("times_correct") + Case(*(When(pk=pk, then=Value(correct[pk])) for pk in chunk)),
        )
