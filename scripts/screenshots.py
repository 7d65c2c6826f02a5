"""Screenshots of every page at phone and desktop widths, into docs/screenshots/.

Starts its own server on a scratch SQLite database (with the curated bank), gives a demo learner
a few weeks of history, and drives Debian's chromium through each page: `make screenshots`."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORT = int(os.environ.get("SCREENSHOT_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}
PASSWORD = "Quiz-Master-42"


def seed_history() -> None:
    """A learner with three weeks of quizzes on SAA-C03, some weak domains and achievements."""
    import django

    django.setup()
    from accounts.services import user_create
    from certifications.models import Certification
    from quizzes.models import Quiz
    from quizzes.services import quiz_evaluate, quiz_generate

    saa = Certification.objects.get(code="SAA-C03")
    maya = user_create(
        email="maya@example.com", username="maya", password=PASSWORD, selected_certification=saa
    )
    now = datetime.now(UTC)
    for days_ago in (20, 18, 17, 14, 12, 9, 8, 6, 5, 4, 3, 2, 1, 0):
        when = now - timedelta(days=days_ago, hours=2)
        generated = quiz_generate(learner=maya, certification=saa, count=5)
        # Mostly right, with one domain the learner keeps getting wrong.
        answers = {
            str(item.pk): item.question.correct_answer
            for n, item in enumerate(generated.items)
            if item.question.domain.name != "Design Cost-Optimized Architectures" and (n + days_ago) % 4
        }
        quiz_evaluate(learner=maya, quiz_id=generated.quiz.pk, answers=answers, now=when)
        Quiz.objects.filter(pk=generated.quiz.pk).update(created_at=when - timedelta(minutes=8))
    user_create(email="sam@example.com", username="sam", password=PASSWORD)


def wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/api/health", timeout=1)  # noqa: S310 - our own loopback server
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not start")


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    scratch = tempfile.mkdtemp()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{scratch}/screens.sqlite3",
        "DJANGO_SETTINGS_MODULE": "mindquest.settings",
    }
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "load_question_bank"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    sys.path.insert(0, str(ROOT))
    seed_history()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_server()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for size, viewport in SIZES.items():
                shoot(browser, size, viewport)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"screenshots in {OUT.relative_to(ROOT)}")


def shoot(browser, size: str, viewport: dict) -> None:
    from django.template.loader import render_to_string

    context = browser.new_context(viewport=viewport, base_url=BASE)
    page = context.new_page()

    def snap(name: str) -> None:
        page.screenshot(path=str(OUT / f"{name}-{size}.png"), full_page=True)

    for name, path in [
        ("landing", "/"),
        ("signup", "/signup"),
        ("login", "/login"),
        ("certifications", "/certifications"),
    ]:
        page.goto(path)
        snap(name)
    page.goto("/no/such/page")
    snap("404")
    page.goto("/")
    page.set_content(render_to_string("500.html"))
    snap("500")

    page.goto("/login")
    page.get_by_label("Email or username").fill("maya")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")
    snap("dashboard")
    for name, path in [
        ("history", "/history"),
        ("achievements", "/achievements"),
        ("profile", "/profile"),
        ("password", "/password"),
        ("certifications-signed-in", "/certifications"),
        ("quiz-new", "/quiz/new"),
    ]:
        page.goto(path)
        snap(name)
    page.get_by_role("button", name="Start quiz").click()
    page.wait_for_selector("form[data-quiz]")
    questions = page.locator("fieldset.question").all()
    for question in questions[:2]:
        question.locator("input").first.check()
    page.evaluate("window.scrollTo(0, 0)")
    snap("quiz")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_selector("#unanswered-warning")
    snap("quiz-unanswered-warning")
    for question in questions[2:]:
        question.locator("input").nth(1).check()
    page.locator("form[data-quiz] button[type=submit]").click()  # every question answered now
    page.get_by_role("heading", name="Results").wait_for()
    snap("results")
    context.close()


if __name__ == "__main__":
    main()
