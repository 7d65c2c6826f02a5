"""EXPLAIN the queries behind the benchmarked endpoints for one bench learner, and flag sequential
scans on large tables. Run by bench/run.py against the benchmark database."""

import os
import re
import sys
from datetime import timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mindquest.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import AuthSession, Profile  # noqa: E402
from progress.models import Achievement, UserProgress  # noqa: E402
from quizzes.models import LearnerCertificationState, LearnerDomainState, Quiz, QuizQuestion, QuizStatus  # noqa: E402
from quizzes.planning import plan_quiz  # noqa: E402
from quizzes.selectors import quiz_list_for_learner  # noqa: E402
from quizzes.services.generation import BankSource, _domain_inputs  # noqa: E402

LARGE = 10_000  # rows: a sequential scan on a table this big is a finding


def table_sizes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'")
        return dict(cursor.fetchall())


def main() -> None:
    session = (
        AuthSession.objects.select_related("user__profile__selected_certification")
        .filter(revoked_at=None)
        .last()
    )
    learner = session.user
    certification = learner.profile.selected_certification
    quiz = Quiz.objects.filter(learner=learner).first()
    domains, current = _domain_inputs(learner=learner, certification=certification, weak_domains=None)
    plan = plan_quiz(domains=domains, count=5, base_difficulty=current)
    queries = {
        "auth: session and user": AuthSession.objects.select_related("user").filter(
            pk=session.pk,
            user_id=learner.pk,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        ),
        "history: count": quiz_list_for_learner(learner=learner).values("pk"),
        "history: page": quiz_list_for_learner(learner=learner)[:20],
        "dashboard: profile": Profile.objects.select_related("user", "selected_certification").filter(
            user=learner
        ),
        "dashboard: progress": UserProgress.objects.filter(learner=learner).select_related("certification"),
        "dashboard: domain states": LearnerDomainState.objects.filter(learner=learner).select_related(
            "domain"
        ),
        "dashboard: certification states": LearnerCertificationState.objects.filter(learner=learner),
        "dashboard: recent achievements": Achievement.objects.filter(learner=learner).order_by(
            "-earned_at", "key"
        )[:5],
        "page: XP per day": Quiz.objects.filter(
            learner=learner,
            status=QuizStatus.COMPLETED,
            completed_at__gte=timezone.now() - timedelta(days=30),
        ),
        "generate: unseen bank questions": BankSource().candidates(
            learner=learner, certification=certification, slots=plan
        ),
        "evaluate: quiz row": Quiz.objects.filter(pk=quiz.pk, learner=learner),
        "evaluate: questions": QuizQuestion.objects.filter(quiz=quiz).select_related("question__domain"),
    }
    sizes = table_sizes()
    findings = []
    for name, queryset in queries.items():
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan_text = "\n".join(row[0] for row in cursor.fetchall())
        print(f"--- {name}\n{plan_text}\n")
        for table in re.findall(r"Seq Scan on (\w+)", plan_text):
            if sizes.get(table, 0) >= LARGE:
                findings.append(f"{name}: sequential scan on {table} ({sizes[table]:,} rows)")
    print("SEQ SCANS ON LARGE TABLES:", "; ".join(findings) if findings else "none")


if __name__ == "__main__":
    main()
