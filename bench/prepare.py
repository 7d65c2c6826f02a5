"""Prepare a benchmark run against the database in DATABASE_URL: a warm bank, a pool of signed-in
bench learners with history, open quizzes to evaluate, and one request file per scenario.

Run by bench/run.py, not by hand: python bench/prepare.py OUT_DIR POOL OPEN_QUIZZES, or with
--open-quizzes-only to write a new evaluate request file for the pool an earlier run prepared
(BENCH_REUSE)."""

import json
import os
import random
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mindquest.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.services import auth_session_start  # noqa: E402
from progress.seeding import seed_load_data  # noqa: E402
from quizzes.services import quiz_generate  # noqa: E402


def write(out: Path, name: str, lines: list[tuple[str, str, str, str]]) -> None:
    """One request per line: method, path, auth header (or cookie), body; tab-separated."""
    (out / f"{name}.tsv").write_text("".join("\t".join(line) + "\n" for line in lines))


def main() -> None:
    out, pool_size, open_quizzes = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    if "--open-quizzes-only" in sys.argv:
        ids = (out / "pool.txt").read_text().split()
        by_id = {str(u.pk): u for u in User.objects.filter(pk__in=ids).select_related("profile")}
        auth = [line.split("\t")[2] for line in (out / "me.tsv").read_text().splitlines()]
        write_open_quizzes(out, [by_id[pk] for pk in ids], auth, open_quizzes)
        print(f"prepared {open_quizzes} open quizzes in {time.monotonic() - started:.0f}s")
        return

    # The bench learners: like any others, with ten completed quizzes each.
    seeded = seed_load_data(learners=pool_size, quizzes_per_learner=10, seed=7)
    pool = list(
        User.objects.filter(username__startswith=seeded.username_prefix).select_related(
            "profile__selected_certification"
        )
    )
    assert len(pool) == pool_size, "the bench learners are the ones just seeded"
    random.Random(7).shuffle(pool)

    auth, cookies, certifications = [], [], []
    for learner in pool:
        auth.append(f"Authorization: Bearer {auth_session_start(user=learner).access_token}")
        session = SessionStore()
        session[SESSION_KEY] = str(learner.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = learner.get_session_auth_hash()
        session.create()
        cookies.append(f"Cookie: {settings.SESSION_COOKIE_NAME}={session.session_key}")
        certifications.append(str(learner.profile.selected_certification_id))

    (out / "pool.txt").write_text("".join(f"{learner.pk}\n" for learner in pool))
    write(out, "me", [("GET", "/api/auth/me", a, "") for a in auth])
    write(out, "certifications", [("GET", "/api/certifications", a, "") for a in auth])
    write(out, "dashboard", [("GET", "/api/progress/dashboard", a, "") for a in auth])
    write(out, "history", [("GET", "/api/quizzes", a, "") for a in auth])
    write(out, "profile", [("GET", "/api/profile", a, "") for a in auth])
    write(out, "dashboard_page", [("GET", "/dashboard", c, "") for c in cookies])
    write(
        out,
        "generate",
        [
            ("POST", "/api/quizzes/generate", a, json.dumps({"certification_id": c}))
            for a, c in zip(auth, certifications, strict=True)
        ],
    )

    write_open_quizzes(out, pool, auth, open_quizzes)
    print(
        f"prepared {len(pool)} bench learners and {open_quizzes} open quizzes in {time.monotonic() - started:.0f}s"
    )


def write_open_quizzes(out: Path, pool: list[User], auth: list[str], open_quizzes: int) -> None:
    """Open quizzes for the evaluate scenario, each answered once, spread over the pool."""
    evaluate = []
    for n in range(open_quizzes):
        learner = pool[n % len(pool)]
        generated = quiz_generate(
            learner=learner, certification=learner.profile.selected_certification, count=5
        )
        answers = {str(item.pk): item.question.correct_answer for item in generated.items}
        evaluate.append(
            (
                "POST",
                f"/api/quizzes/{generated.quiz.pk}/evaluate",
                auth[n % len(pool)],
                json.dumps({"answers": answers}),
            )
        )
    write(out, "evaluate", evaluate)


if __name__ == "__main__":
    main()
