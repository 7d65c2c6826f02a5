"""EXPLAIN every statement the benchmarked endpoints run, and flag sequential scans on large tables.

Each endpoint is called in process, as one bench learner, inside a transaction that is rolled back;
the statements it ran are captured and explained as they were sent. Run by bench/run.py against
the benchmark database (production settings)."""

import os
import re
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mindquest.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.services import auth_session_start  # noqa: E402
from quizzes.models import Quiz, QuizStatus  # noqa: E402

LARGE = 10_000  # rows: a sequential scan on a table this big is a finding
EXPLAINABLE = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


def table_sizes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'")
        return dict(cursor.fetchall())


def captured(learner: User) -> dict[str, list[str]]:
    """The statements each scenario runs, in order (rolled back afterwards)."""
    scenarios: dict[str, list[str]] = {}
    with transaction.atomic():
        api = Client(HTTP_HOST="127.0.0.1")
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {auth_session_start(user=learner).access_token}"}
        page = Client(HTTP_HOST="127.0.0.1")
        page.force_login(learner)
        open_quizzes = iter(Quiz.objects.filter(learner=learner, status=QuizStatus.IN_PROGRESS)[:2])
        certification_id = str(learner.profile.selected_certification_id)
        calls = {
            "me (floor)": lambda: api.get("/api/auth/me", **bearer),
            "certifications": lambda: api.get("/api/certifications", **bearer),
            "dashboard": lambda: api.get("/api/progress/dashboard", **bearer),
            "quiz history": lambda: api.get("/api/quizzes", **bearer),
            "profile": lambda: api.get("/api/profile", **bearer),
            "generate": lambda: api.post(
                "/api/quizzes/generate",
                {"certification_id": certification_id},
                content_type="application/json",
                **bearer,
            ),
            "evaluate": lambda: api.post(
                f"/api/quizzes/{next(open_quizzes).pk}/evaluate",
                {"answers": {}},
                content_type="application/json",
                **bearer,
            ),
            "dashboard page (HTML)": lambda: page.get("/dashboard"),
        }
        for name, call in calls.items():
            call()  # once to warm this process's caches (the catalog), as the server's are
            with CaptureQueriesContext(connection) as queries:
                response = call()
            assert response.status_code < 400, (name, response.status_code)
            scenarios[name] = [
                query["sql"] for query in queries if query["sql"].lstrip().startswith(EXPLAINABLE)
            ]
        transaction.set_rollback(True)
    return scenarios


def main() -> None:
    learner = (  # a bench learner with a chosen certification and two open quizzes
        User.objects.filter(profile__selected_certification__isnull=False)
        .annotate(open_quizzes=Count("quizzes", filter=Q(quizzes__status=QuizStatus.IN_PROGRESS)))
        .filter(open_quizzes__gte=2)
        .select_related("profile")
        .order_by("-created_at")
        .first()
    )
    sizes = table_sizes()
    findings = []
    for name, statements in captured(learner).items():
        print(f"=== {name}: {len(statements)} statements\n")
        for sql in statements:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"{sql[:160]}{'…' if len(sql) > 160 else ''}\n{plan}\n")
            for table in re.findall(r"Seq Scan on (\w+)", plan):
                if sizes.get(table, 0) >= LARGE:
                    findings.append(f"{name}: sequential scan on {table} ({sizes[table]:,} rows)")
    print("SEQ SCANS ON LARGE TABLES:", "; ".join(sorted(set(findings))) if findings else "none")


if __name__ == "__main__":
    main()
