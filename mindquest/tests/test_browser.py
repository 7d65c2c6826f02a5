"""A new learner's journey in a real browser: Debian's chromium, driven by Playwright, against
Django's live server. Run with the rest of the suite (make test installs chromium if missing)."""

import os
import re
from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from accounts.models import Profile
from certifications.models import Certification
from quizzes.models import Quiz, QuizQuestion
from quizzes.services import quiz_evaluate, quiz_generate
from quizzes.tests.factories import make_bank

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags keep a sandboxed, offline chromium quiet: no background calls to Google's hosts.
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
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def chromium(live_server, monkeypatch) -> Iterator[Browser]:
    """A chromium per test, started after the database is ready and stopped before it is reset:
    Playwright's sync API gives this thread an event-loop context of its own, and Django's
    connections are context-local, so the test database must be set up outside it."""
    # The ORM calls in these tests happen between browser actions, never inside Playwright's loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
        connections.close_all()  # the ones this context opened, or the test database stays busy


class Visit:
    """A browser tab that records JavaScript errors, so a test can assert there were none."""

    def __init__(self, browser: Browser, base_url: str, *, viewport: dict, javascript: bool = True):
        self.context = browser.new_context(
            viewport=viewport, java_script_enabled=javascript, base_url=base_url
        )
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def saa_bank(transactional_db) -> Certification:
    saa = Certification.objects.get(code="SAA-C03")
    make_bank(saa, per_cell=2)
    return saa


def sign_up(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Start practising free").click()
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("Quiz-Master-42")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/certifications$"))


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def signed_in(browser: Browser, base_url: str, user, password: str, *, viewport: dict = DESKTOP) -> Visit:
    """A tab of `user`, signed in through the log-in page."""
    visit = Visit(browser, base_url, viewport=viewport)
    log_in(visit.page, user.username, password)
    return visit


def a_graded_quiz(learner, code: str) -> Quiz:
    """A quiz of five from a bank of the certification, which the learner has selected, graded unanswered."""
    certification = Certification.objects.get(code=code)
    make_bank(certification, per_cell=2)
    Profile.objects.filter(user=learner).update(selected_certification=certification)
    generated = quiz_generate(learner=learner, certification=certification, count=5)
    quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers={})
    return generated.quiz


def answer_every_question(page: Page) -> None:
    for question in page.locator("fieldset.question").all():
        question.locator("input").first.check()


def take_a_quiz(page: Page) -> str:
    page.get_by_role("link", name="Start a quiz").first.click()
    page.get_by_role("button", name="Start quiz").click()
    expect(page.get_by_role("heading", name="SAA-C03 practice quiz")).to_be_visible()
    quiz_url = page.url
    answer_every_question(page)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    return quiz_url


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_sign_up_choose_a_certification_take_a_quiz_read_the_results_see_the_xp(
    chromium, live_server, saa_bank, viewport
):
    visit = Visit(chromium, live_server.url, viewport=viewport)
    page = visit.page
    sign_up(page, "newcomer")
    page.get_by_role("button", name="Prepare for SAA-C03").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(
        page.get_by_text("Preparing for SAA-C03 · AWS Certified Solutions Architect – Associate")
    ).to_be_visible()

    quiz_url = take_a_quiz(page)
    expect(page.get_by_text("XP earned")).to_be_visible()
    expect(page.locator(".explanation").first).to_contain_text("S3 is durable object storage")
    expect(page.get_by_role("link", name=re.compile("Read the AWS documentation")).first).to_be_visible()
    quiz = Quiz.objects.get(pk=quiz_url.rstrip("/").rsplit("/", 1)[-1])
    assert quiz.xp_earned > 0

    page.get_by_role("link", name="Back to dashboard").click()
    expect(page.locator(".stat-xp .stat-value")).to_have_text(str(quiz.xp_earned))
    assert visit.errors == []
    visit.close()


def test_the_journey_works_without_javascript(chromium, live_server, saa_bank):
    visit = Visit(chromium, live_server.url, viewport=DESKTOP, javascript=False)
    page = visit.page
    sign_up(page, "nojs")
    page.get_by_role("button", name="Prepare for SAA-C03").click()
    page.get_by_role("link", name="Start a quiz").first.click()
    page.get_by_role("button", name="Start quiz").click()
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(5)
    for question in questions.all()[1:]:
        question.locator("input").first.check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("1 question unanswered.")).to_be_visible()
    expect(page.locator("#unanswered-warning")).to_be_focused()  # autofocus, no script needed
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    expect(page.get_by_text("Not answered")).to_be_visible()
    visit.close()


def test_submitting_the_same_quiz_twice_awards_xp_once(chromium, live_server, saa_bank):
    visit = Visit(chromium, live_server.url, viewport=DESKTOP)
    first = visit.page
    sign_up(first, "twice")
    first.get_by_role("button", name="Prepare for SAA-C03").click()
    first.get_by_role("link", name="Start a quiz").first.click()
    first.get_by_role("button", name="Start quiz").click()
    expect(first.get_by_role("heading", name="SAA-C03 practice quiz")).to_be_visible()
    # The same open quiz in a second tab, as after a back button or a reload.
    second = visit.context.new_page()
    second.goto(first.url)
    for page in (first, second):
        answer_every_question(page)
    first.get_by_role("button", name="Submit answers").dblclick()
    expect(first.get_by_role("heading", name="Results")).to_be_visible()
    second.get_by_role("button", name="Submit answers").click()
    expect(second.get_by_role("heading", name="Results")).to_be_visible()
    expect(second.get_by_role("status")).to_contain_text("This quiz had already been graded")
    quiz = Quiz.objects.get(learner__username="twice")
    assert quiz.xp_earned > 0
    assert Profile.objects.get(user__username="twice").xp == quiz.xp_earned
    assert visit.errors == []
    visit.close()


def answered_so_far(page: Page) -> list:
    """What the progress label and bar say, and how many questions have a ticked answer."""
    return page.evaluate(
        """() => [
            document.querySelector("[data-quiz-progress-label]").textContent,
            document.querySelector("[data-quiz-progress]").value,
            [...document.querySelectorAll("fieldset.question")].filter(q => q.querySelector(":checked")).length,
        ]"""
    )


def test_answers_picked_before_leaving_are_ticked_again_on_resume(
    chromium, live_server, saa_bank, learner, password
):
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=5).quiz
    visit = signed_in(chromium, live_server.url, learner, password)
    page = visit.page
    page.goto(f"/quizzes/{quiz.pk}")
    questions = page.locator("fieldset.question").all()
    for question in questions[:3]:
        question.locator("input").last.check()

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Resume").click()
    expect(page.get_by_role("heading", name="SAA-C03 practice quiz")).to_be_visible()
    for question in questions[:3]:
        expect(question.locator("input").last).to_be_checked()
    assert answered_so_far(page) == ["3 of 5 answered", 3, 3]
    assert visit.errors == []
    visit.close()


def test_going_back_to_a_quiz_counts_the_answers_ticked(chromium, live_server, saa_bank, learner, password):
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=5).quiz
    visit = signed_in(chromium, live_server.url, learner, password)
    page = visit.page
    page.goto(f"/quizzes/{quiz.pk}")
    for question in page.locator("fieldset.question").all()[:2]:
        question.locator("input").first.check()

    page.get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.go_back()
    expect(page.get_by_role("heading", name="SAA-C03 practice quiz")).to_be_visible()
    assert answered_so_far(page) == ["2 of 5 answered", 2, 2]
    visit.close()


def test_a_graded_quiz_leaves_no_draft_in_the_browser(chromium, live_server, saa_bank, learner, password):
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=5).quiz
    visit = signed_in(chromium, live_server.url, learner, password)
    page = visit.page
    page.goto(f"/quizzes/{quiz.pk}")
    answer_every_question(page)
    assert page.evaluate("localStorage.length") == 1
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    # The draft goes when htmx settles the swapped-in results (htmx:load), just after they show.
    page.wait_for_function("localStorage.length === 0")
    visit.close()


def test_logging_out_leaves_no_draft_in_the_browser(chromium, live_server, saa_bank, learner, password):
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=5).quiz
    visit = signed_in(chromium, live_server.url, learner, password)
    page = visit.page
    page.evaluate("localStorage.setItem('unrelated', 'kept')")
    page.goto(f"/quizzes/{quiz.pk}")
    page.locator("fieldset.question").first.locator("input").first.check()
    assert page.evaluate("localStorage.length") == 2
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    assert page.evaluate("Object.keys(localStorage)") == ["unrelated"]
    assert visit.errors == []
    visit.close()


def submit_with_the_first_question_unanswered(page: Page, quiz: Quiz) -> None:
    page.goto(f"/quizzes/{quiz.pk}")
    for question in page.locator("fieldset.question").all()[1:]:
        question.locator("input").first.check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("1 question unanswered.")).to_be_visible()


def test_the_unanswered_warning_takes_the_focus_after_a_boosted_submission(
    chromium, live_server, saa_bank, learner, password
):
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=5).quiz
    visit = signed_in(chromium, live_server.url, learner, password)
    page = visit.page
    submit_with_the_first_question_unanswered(page, quiz)
    expect(page.locator("#unanswered-warning")).to_be_focused()
    assert answered_so_far(page) == ["4 of 5 answered", 4, 4]
    assert visit.errors == []
    visit.close()


def test_the_unanswered_warning_leads_to_the_question_and_its_mark_goes_once_answered(
    chromium, live_server, saa_bank, learner, password
):
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=5).quiz
    visit = signed_in(chromium, live_server.url, learner, password)
    page = visit.page
    submit_with_the_first_question_unanswered(page, quiz)
    marked = page.get_by_role("group", name=re.compile("Not answered yet"))
    expect(marked).to_have_count(1)
    expect(marked).to_have_id("question-1")

    page.locator("#unanswered-warning").get_by_role("link", name="question 1").click()
    expect(page).to_have_url(re.compile(r"#question-1$"))
    page.locator("#question-1 input").first.check()
    expect(marked).to_have_count(0)
    expect(page.get_by_text("Not answered yet", exact=True)).to_be_hidden()
    # With nothing left unanswered, the warning goes and the button no longer says "anyway".
    expect(page.locator("#unanswered-warning")).to_be_hidden()
    expect(page.get_by_role("button", name="Submit answers")).to_be_visible()
    visit.close()


def test_back_from_the_results_leaves_the_quiz_in_one_step(
    chromium, live_server, saa_bank, learner, password
):
    """The warning's round trip and the grading replace the quiz page at its own address; they add
    no history entries that Back would have to step through."""
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=5).quiz
    visit = signed_in(chromium, live_server.url, learner, password)
    page = visit.page
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    submit_with_the_first_question_unanswered(page, quiz)
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    assert visit.errors == []
    visit.close()


def test_the_results_of_a_boosted_submission_get_the_focus(
    chromium, live_server, saa_bank, learner, password
):
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=5).quiz
    visit = signed_in(chromium, live_server.url, learner, password)
    page = visit.page
    page.goto(f"/quizzes/{quiz.pk}")
    answer_every_question(page)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    # A screen reader reads on from the new page's content, not from a removed button.
    expect(page.locator("main")).to_be_focused()
    assert visit.errors == []
    visit.close()


def test_another_learner_opening_the_quiz_url_gets_404(
    chromium, live_server, saa_bank, learner, other_learner, password
):
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=3).quiz
    visit = signed_in(chromium, live_server.url, other_learner, password)
    page = visit.page
    response = page.goto(f"/quizzes/{quiz.pk}")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    visit.close()


def test_a_phone_cuts_long_domain_names_short_of_their_figures(chromium, live_server, learner, password):
    aif = a_graded_quiz(learner, "AIF-C01").certification
    visit = signed_in(chromium, live_server.url, learner, password, viewport=PHONE)
    page = visit.page
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    rows = page.locator(".domain-bar")
    expect(rows).to_have_count(aif.domains.count())
    for row in rows.all():
        name = row.locator(".domain-bar-name").bounding_box()
        value = row.locator(".domain-bar-value").bounding_box()
        assert name["x"] + name["width"] <= value["x"]
        assert value["x"] + value["width"] <= PHONE["width"]
    longest = page.locator(
        ".domain-bar-name", has_text="Security, Compliance, and Governance for AI Solutions"
    )
    # Longer than its box, and cut there with an ellipsis rather than drawn over the figure.
    assert longest.evaluate(
        """name => {
            const style = getComputedStyle(name);
            return name.scrollWidth > name.clientWidth && style.overflowX === "hidden"
                && style.textOverflow === "ellipsis";
        }"""
    )
    visit.close()


def test_no_page_scrolls_sideways_on_a_phone(chromium, live_server, learner, password):
    quiz = a_graded_quiz(learner, "SAA-C03")
    visit = signed_in(chromium, live_server.url, learner, password, viewport=PHONE)
    page = visit.page
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    paths = ["/dashboard", "/quiz/new", f"/quizzes/{quiz.pk}", "/history", "/achievements", "/certifications"]
    paths += ["/profile", "/password"]
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"
    visit.close()


# What AWS questions are made of: exception names and ARNs, with nowhere for a line to break.
EXCEPTION = "ProvisionedThroughputExceededException"
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/OrdersTableWithAVeryLongNameForThisTest"


def with_long_words(quiz: Quiz) -> QuizQuestion:
    """The quiz's first multiple-choice question, its text, options and explanation rewritten around
    long unbreakable words."""
    item = quiz.items.select_related("question").filter(question__question_type="multiple_choice").first()
    question = item.question
    renamed = {text: f"{ARN}/{index}" for index, text in enumerate(question.options)}
    question.question_text = f"Which table returns {EXCEPTION} under load?"
    question.options = [renamed[text] for text in question.options]
    question.correct_answers = [renamed[text] for text in question.correct_answers]
    question.explanation = f"{EXCEPTION} means {ARN} is throttled."
    question.save()
    return item


def test_long_unbreakable_words_wrap_on_a_phone_while_taking_and_reviewing_a_quiz(
    chromium, live_server, saa_bank, learner, password
):
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=5).quiz
    item = with_long_words(quiz)
    visit = signed_in(chromium, live_server.url, learner, password, viewport=PHONE)
    page = visit.page
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.goto(f"/quizzes/{quiz.pk}")
    expect(page.locator("fieldset.question").filter(has_text=EXCEPTION)).to_contain_text(f"{ARN}/0")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the quiz is {width} px wide"

    quiz_evaluate(learner=learner, quiz_id=quiz.pk, answers={str(item.pk): f"{ARN}/0"})
    page.goto(f"/quizzes/{quiz.pk}")
    expect(page.locator("article.result").filter(has_text=EXCEPTION)).to_contain_text(f"{EXCEPTION} means")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the results are {width} px wide"
    visit.close()


DANGLING_SEPARATORS = """() => [...document.querySelectorAll(".question-meta")].filter(meta => {
    const dot = meta.querySelector("[aria-hidden=true]");
    if (!dot || getComputedStyle(dot).display === "none") return false;
    return dot.getBoundingClientRect().top !== dot.nextElementSibling.getBoundingClientRect().top;
}).map(meta => meta.textContent)"""


def test_a_question_s_number_and_domain_are_never_split_by_a_dangling_dot_on_a_phone(
    chromium, live_server, saa_bank, learner, password
):
    quiz = quiz_generate(learner=learner, certification=saa_bank, count=5).quiz
    visit = signed_in(chromium, live_server.url, learner, password, viewport=PHONE)
    page = visit.page
    page.goto(f"/quizzes/{quiz.pk}")
    expect(page.locator(".question-meta")).to_have_count(5)
    assert page.evaluate(DANGLING_SEPARATORS) == []

    quiz_evaluate(learner=learner, quiz_id=quiz.pk, answers={})
    page.goto(f"/quizzes/{quiz.pk}")
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    expect(page.locator(".question-meta")).to_have_count(5)
    assert page.evaluate(DANGLING_SEPARATORS) == []
    visit.close()


def test_history_on_a_phone_fits_the_date_exam_score_and_review_without_scrolling(
    chromium, live_server, learner, password
):
    a_graded_quiz(learner, "AIF-C01")
    visit = signed_in(chromium, live_server.url, learner, password, viewport=PHONE)
    page = visit.page
    page.goto("/history")
    table = page.locator(".table-wrap")
    assert table.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth")
    expect(page.get_by_role("columnheader", name="Difficulty")).to_be_hidden()
    row = page.locator("tbody tr").first
    expect(row.get_by_role("cell", name="AIF-C01", exact=True)).to_be_visible()
    expect(row.get_by_role("cell", name="0/5", exact=True)).to_be_visible()
    review = row.get_by_role("link", name=re.compile("^Review"))
    box = review.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    visit.close()


def test_earned_and_locked_achievements_are_cards_of_one_width(chromium, live_server, learner, password):
    a_graded_quiz(learner, "SAA-C03")  # a first quiz earns one: one earned card, the rest locked
    visit = signed_in(chromium, live_server.url, learner, password)
    page = visit.page
    page.goto("/achievements")
    earned = page.locator(".achievement:not(.locked)")
    expect(earned).to_have_count(1)
    locked = page.locator(".achievement.locked").first.bounding_box()
    assert abs(earned.bounding_box()["width"] - locked["width"]) <= 1, (earned.bounding_box(), locked)
    visit.close()


def test_results_on_a_phone_pair_the_scores_and_keep_each_domain_figure_on_one_line(
    chromium, live_server, learner, password
):
    saa = Certification.objects.get(code="SAA-C03")
    make_bank(saa, per_cell=2)
    generated = quiz_generate(learner=learner, certification=saa, count=10)
    quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers={})  # every domain weak
    visit = signed_in(chromium, live_server.url, learner, password, viewport=PHONE)
    page = visit.page
    page.goto(f"/quizzes/{generated.quiz.pk}")
    score, accuracy, xp, difficulty = (stat.bounding_box() for stat in page.locator(".stat").all())
    assert score["y"] == accuracy["y"]
    assert xp["y"] == difficulty["y"] > score["y"]
    figures = page.locator(".domain-list li > :last-child")
    expect(figures.first).to_contain_text("recently")
    lines = "figure => { const text = document.createRange(); text.selectNodeContents(figure); return text.getClientRects().length; }"
    for figure in figures.all():
        assert figure.evaluate(lines) == 1, figure.inner_text()
    visit.close()


def test_history_on_a_phone_fits_an_unfinished_quiz_and_its_resume_link(
    chromium, live_server, learner, password
):
    certification = a_graded_quiz(learner, "AIF-C01").certification
    quiz_generate(learner=learner, certification=certification, count=5)  # left unfinished
    visit = signed_in(chromium, live_server.url, learner, password, viewport=PHONE)
    page = visit.page
    page.goto("/history?status=all")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    table = page.locator(".table-wrap")
    assert table.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth")
    expect(page.locator("tbody tr")).to_have_count(2)
    unfinished = page.locator("tbody tr").first
    expect(unfinished.get_by_role("cell", name="AIF-C01", exact=True)).to_be_visible()
    resume = unfinished.get_by_role("link", name=re.compile("^Resume"))
    box = resume.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    assert visit.errors == []
    visit.close()


def test_the_history_filters_line_up_with_their_button(chromium, live_server, learner, password):
    visit = signed_in(chromium, live_server.url, learner, password)
    page = visit.page
    page.goto("/history")
    button = page.get_by_role("button", name="Filter").bounding_box()
    for select in page.locator(".page-head select").all():
        box = select.bounding_box()
        assert abs((box["y"] + box["height"] / 2) - (button["y"] + button["height"] / 2)) <= 1.5, (
            box,
            button,
        )
    visit.close()


def test_the_quiz_length_choices_line_up_their_radios_with_their_labels(chromium, live_server, saa_bank):
    visit = Visit(chromium, live_server.url, viewport=DESKTOP)
    page = visit.page
    sign_up(page, "lengths")
    page.goto("/quiz/new")
    choices = page.locator(".choice")
    expect(choices).to_have_count(4)
    for choice in choices.all():
        radio = choice.locator("input").bounding_box()
        text = choice.locator("span").bounding_box()
        assert abs((radio["y"] + radio["height"] / 2) - (text["y"] + text["height"] / 2)) <= 1.5, (
            radio,
            text,
        )
        assert radio["x"] + radio["width"] < text["x"]
    visit.close()


def test_logged_out_visitors_are_sent_to_login(chromium, live_server):
    visit = Visit(chromium, live_server.url, viewport=PHONE)
    visit.page.goto("/dashboard")
    expect(visit.page).to_have_url(re.compile(r"/login\?next=/dashboard$"))
    expect(visit.page.get_by_role("heading", name="Log in")).to_be_visible()
    visit.close()


def test_api_docs_render_from_local_files(chromium, live_server):
    visit = Visit(chromium, live_server.url, viewport=DESKTOP)
    outside = []
    visit.page.on("request", lambda r: not r.url.startswith(live_server.url) and outside.append(r.url))
    visit.page.goto("/api/docs")
    expect(visit.page.get_by_text("Mind Quest API").first).to_be_visible()
    expect(visit.page.get_by_text("/api/auth/login").first).to_be_visible()
    assert outside == []
    visit.close()
