import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from certifications.models import Certification
from certifications.tests.factories import CertificationFactory
from quizzes.models import Question, QuestionStatus
from quizzes.rules import content_hash
from quizzes.services import question_save, quiz_evaluate, quiz_generate
from quizzes.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(certification):
    return QuestionFactory(certification=certification, question_text="Which service stores objects?")


def form(question: Question, **changes) -> dict:
    data = {
        "certification": str(question.certification_id),
        "domain": str(question.domain_id),
        "difficulty": question.difficulty,
        "question_type": question.question_type,
        "question_text": question.question_text,
        "options_text": "\n".join(question.options),
        "correct_text": "\n".join(question.correct_answers),
        "explanation": question.explanation,
        "reference_url": question.reference_url,
        "status": question.status,
    }
    return {**data, **changes}


def history(question: Question) -> list[tuple[int, str, str]]:
    """The question's admin history, oldest first: (action, user, message)."""
    return [
        (entry.action_flag, entry.user.username, entry.get_change_message())
        for entry in LogEntry.objects.filter(object_id=str(question.pk)).order_by("action_time", "pk")
    ]


def test_changelist_lists_and_filters_the_bank(admin_browser, question, certification):
    other = QuestionFactory(
        certification=Certification.objects.get(code="SAA-C03"), question_text="SAA thing?"
    )
    response = admin_browser.get("/admin/quizzes/question/")
    assert response.status_code == 200
    assert question.question_text in response.text
    response = admin_browser.get(
        f"/admin/quizzes/question/?certification__id__exact={certification.pk}&difficulty=easy"
        "&question_type=multiple_choice&source=curated&status=active"
    )
    assert question.question_text in response.text
    assert other.question_text not in response.text
    domain = certification.domains.get(name="Design")
    assert admin_browser.get(f"/admin/quizzes/question/?domain={domain.pk}").status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["easy", "medium", "hard"]),  # the default order, within a domain
        ("?o=4", ["easy", "medium", "hard"]),  # the Difficulty column, ascending
        ("?o=-4", ["hard", "medium", "easy"]),
    ],
)
def test_the_question_list_sorts_difficulty_from_easy_to_hard(admin_browser, certification, query, expected):
    for difficulty in ("hard", "easy", "medium"):
        QuestionFactory(
            certification=certification, difficulty=difficulty, question_text=f"A {difficulty} one?"
        )
    response = admin_browser.get(f"/admin/quizzes/question/{query}")
    listed = [question.difficulty for question in response.context["cl"].result_list]
    assert listed == expected


@pytest.mark.parametrize("query", ["certification__id__exact=1", "domain=nope"])
def test_a_malformed_filter_in_the_address_is_reported_not_a_server_error(admin_browser, query):
    response = admin_browser.get(f"/admin/quizzes/question/?{query}")
    # Django admin's answer to filter values it cannot use: back to the list with ?e=1.
    assert response.status_code == 302
    assert response["Location"] == "/admin/quizzes/question/?e=1"


def test_changelist_search_finds_text(admin_browser, question):
    response = admin_browser.get("/admin/quizzes/question/?q=stores+objects")
    assert question.question_text in response.text


def test_changelist_search_finds_the_questions_of_an_exam_code(admin_browser, question):
    saa = QuestionFactory(certification=Certification.objects.get(code="SAA-C03"))
    response = admin_browser.get("/admin/quizzes/question/?q=saa-c03")
    assert list(response.context["cl"].result_list) == [saa]


@pytest.mark.parametrize("count", [1, 4])
def test_searching_an_exam_code_takes_the_same_queries_however_many_questions_match(
    admin_browser, django_assert_num_queries, count
):
    QuestionFactory.create_batch(count, certification=Certification.objects.get(code="SAA-C03"))
    admin_browser.get("/admin/quizzes/question/")  # the process caches content types on the first admin page
    # Session, admin, the two filters' choices, the two counts, and the page with exams and domains.
    with django_assert_num_queries(7):
        response = admin_browser.get("/admin/quizzes/question/?q=SAA-C03")
    assert len(response.context["cl"].result_list) == count


def test_usage_statistics_show_per_question(admin_browser, learner, question):
    generated = quiz_generate(learner=learner, certification=question.certification, count=1)
    quiz_evaluate(
        learner=learner, quiz_id=generated.quiz.pk, answers={str(generated.items[0].pk): "Amazon S3"}
    )
    response = admin_browser.get("/admin/quizzes/question/")
    assert "100% of 1" in response.text
    assert admin_browser.get(f"/admin/quizzes/question/{question.pk}/change/").status_code == 200


def test_add_page_renders(admin_browser):
    assert admin_browser.get("/admin/quizzes/question/add/").status_code == 200


def test_an_edit_is_saved_with_options_one_per_line(admin_browser, question):
    response = admin_browser.post(
        f"/admin/quizzes/question/{question.pk}/change/",
        form(
            question,
            options_text="Amazon S3\nAmazon EBS\nAmazon EFS",
            correct_text="Amazon S3",
            difficulty="hard",
        ),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.options == ["Amazon S3", "Amazon EBS", "Amazon EFS"]
    assert question.difficulty == "hard"


def test_saving_unchanged_options_as_the_browser_sends_them_records_no_change(admin_browser, question):
    # Browsers submit a textarea's line breaks as \r\n; a trailing line break or blank line is no edit.
    response = admin_browser.post(
        f"/admin/quizzes/question/{question.pk}/change/",
        form(question, options_text="\r\n".join(question.options) + "\r\n\r\n", correct_text="Amazon S3\r\n"),
    )
    assert response.status_code == 302
    assert history(question) == [(CHANGE, "admin", "No fields changed.")]


def test_an_edit_of_the_options_is_recorded_in_the_history(admin_browser, question):
    options = "\r\n".join(["Amazon S3", "Amazon EBS", "Amazon EFS"])
    admin_browser.post(f"/admin/quizzes/question/{question.pk}/change/", form(question, options_text=options))
    assert history(question) == [(CHANGE, "admin", "Changed Options.")]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"options_text": "Amazon S3"}, "options_text", "Needs 2 to 6 options; this has 1."),
        (
            {"correct_text": "Amazon Glacier"},
            "correct_text",
            "The correct answer 'Amazon Glacier' is not one of the options.",
        ),
        (
            {"question_type": "true_false"},
            "options_text",
            'A true or false question\'s options are "True" and "False", in that order.',
        ),
        (
            {"options_text": "Amazon S3\nAmazon EBS\namazon s3"},
            "options_text",
            "Each option must differ from the others (letter case aside).",
        ),
        ({"explanation": "   "}, "explanation", "This field is required."),
        (
            {"correct_text": "Amazon S3\nAmazon EBS"},
            "correct_text",
            "A multiple choice question needs exactly one correct answer.",
        ),
        (
            {"question_type": "multi_select"},
            "correct_text",
            "A multiple response question needs at least two correct answers and at least one wrong option.",
        ),
    ],
)
def test_edits_get_the_same_validation_as_generated_questions(
    admin_browser, question, changes, field, message
):
    response = admin_browser.post(f"/admin/quizzes/question/{question.pk}/change/", form(question, **changes))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]
    question.refresh_from_db()
    assert question.options == ["Amazon S3", "Amazon EBS", "Amazon EFS", "Instance store"]


def test_a_domain_of_another_certification_is_refused(admin_browser, question):
    saa_domain = Certification.objects.get(code="SAA-C03").domains.first()
    response = admin_browser.post(
        f"/admin/quizzes/question/{question.pk}/change/", form(question, domain=str(saa_domain.pk))
    )
    assert response.status_code == 200
    assert "Pick a domain of TST-C01" in str(response.context["adminform"].form.errors["domain"])


@pytest.fixture
def used_question(learner, question):
    """`question`, served to a learner in a quiz (the only question of its certification)."""
    quiz_generate(learner=learner, certification=question.certification, count=1)
    return question


def test_a_used_question_shows_its_exam_read_only(admin_browser, used_question):
    response = admin_browser.get(f"/admin/quizzes/question/{used_question.pk}/change/")
    assert response.status_code == 200
    assert "certification" not in response.context["adminform"].form.fields
    assert 'name="certification"' not in response.text
    assert "TST-C01" in response.text


def test_a_used_question_says_why_it_offers_no_delete_and_refuses_one(admin_browser, used_question):
    change = f"/admin/quizzes/question/{used_question.pk}/change/"
    page = admin_browser.get(change)
    assert "Yes: it keeps its exam and cannot be deleted. Retire it to stop serving it." in page.text
    assert f"/admin/quizzes/question/{used_question.pk}/delete/" not in page.text
    assert admin_browser.post(change.replace("change", "delete"), {"post": "yes"}).status_code == 403
    assert Question.objects.filter(pk=used_question.pk).exists()


def test_a_used_question_s_page_asks_once_whether_it_is_in_quizzes(admin_browser, used_question):
    with CaptureQueriesContext(connection) as queries:
        page = admin_browser.get(f"/admin/quizzes/question/{used_question.pk}/change/")
    assert "Yes: it keeps its exam" in page.text
    item_reads = [
        query["sql"] for query in queries.captured_queries if "quizzes_quizquestion" in query["sql"]
    ]
    assert len(item_reads) == 1, item_reads


def test_an_unused_question_can_be_deleted(admin_browser, question):
    page = admin_browser.get(f"/admin/quizzes/question/{question.pk}/change/")
    assert "Not yet." in page.text
    assert f"/admin/quizzes/question/{question.pk}/delete/" in page.text
    response = admin_browser.post(f"/admin/quizzes/question/{question.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def move_to_saa(admin_browser, question):
    """The question's change form posted with SAA-C03 and its first domain as the exam."""
    saa = Certification.objects.get(code="SAA-C03")
    return admin_browser.post(
        f"/admin/quizzes/question/{question.pk}/change/",
        form(question, certification=str(saa.pk), domain=str(saa.domains.first().pk)),
    )


def test_an_unused_question_may_still_change_exam(admin_browser, question):
    response = move_to_saa(admin_browser, question)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.certification.code == "SAA-C03"


def test_a_crafted_post_does_not_move_a_used_question_to_another_exam(admin_browser, used_question):
    response = move_to_saa(admin_browser, used_question)
    assert response.status_code == 200
    assert "domain" in response.context["adminform"].form.errors
    used_question.refresh_from_db()
    assert used_question.certification.code == "TST-C01"


def test_a_used_question_may_change_domain_within_its_exam(admin_browser, used_question, certification):
    operations = certification.domains.get(name="Operations")
    response = admin_browser.post(
        f"/admin/quizzes/question/{used_question.pk}/change/",
        form(used_question, domain=str(operations.pk)),
    )
    assert response.status_code == 302
    used_question.refresh_from_db()
    assert used_question.domain == operations


def test_saving_a_used_question_under_another_exam_is_refused(used_question):
    saa = Certification.objects.get(code="SAA-C03")
    used_question.certification = saa
    used_question.domain = saa.domains.first()
    with pytest.raises(ValidationError) as refused:
        question_save(question=used_question)
    assert refused.value.message_dict == {
        "certification": [
            "This question is in learners' quizzes: its exam can't change. Retire it and add a new one instead."
        ]
    }
    assert Question.objects.get(pk=used_question.pk).certification.code == "TST-C01"


def test_a_domain_of_another_exam_with_the_same_name_is_refused_on_save(question):
    twin = CertificationFactory(code="TWN-C01", domains=[("Design", 100)])
    question.domain = twin.domains.get()
    with pytest.raises(ValidationError) as refused:
        question_save(question=question)
    assert list(refused.value.message_dict) == ["domain"]
    question.refresh_from_db()
    assert question.domain.certification.code == "TST-C01"


def test_a_duplicate_text_is_refused(admin_browser, question, certification):
    QuestionFactory(certification=certification, question_text="Which service stores blocks?")
    response = admin_browser.post(
        f"/admin/quizzes/question/{question.pk}/change/",
        form(question, question_text="which service stores BLOCKS"),
    )
    assert response.status_code == 200
    assert "already has this question" in str(response.context["adminform"].form.errors["question_text"])


def test_adding_a_question_computes_its_hash(admin_browser, question):
    response = admin_browser.post(
        "/admin/quizzes/question/add/", form(question, question_text="A brand new question?")
    )
    assert response.status_code == 302
    added = Question.objects.get(question_text="A brand new question?")
    assert added.content_hash == content_hash("A brand new question?")


def test_questions_are_retired_and_reactivated_in_bulk(admin_browser, certification):
    questions = QuestionFactory.create_batch(3, certification=certification)
    ids = [str(q.pk) for q in questions[:2]]
    response = admin_browser.post("/admin/quizzes/question/", {"action": "retire", "_selected_action": ids})
    assert response.status_code == 302
    assert Question.objects.filter(status=QuestionStatus.RETIRED).count() == 2
    retired = Question.objects.filter(status=QuestionStatus.RETIRED)
    assert all(question.updated_at > questions[0].updated_at for question in retired)  # when, for the list
    admin_browser.post("/admin/quizzes/question/", {"action": "reactivate", "_selected_action": ids})
    assert not Question.objects.filter(status=QuestionStatus.RETIRED).exists()


def test_retiring_and_reactivating_is_recorded_in_each_changed_question_history(admin_browser, certification):
    active, already_retired = QuestionFactory.create_batch(2, certification=certification)
    already_retired.status = QuestionStatus.RETIRED
    already_retired.save()
    ids = [str(active.pk), str(already_retired.pk)]
    admin_browser.post("/admin/quizzes/question/", {"action": "retire", "_selected_action": ids})
    admin_browser.post("/admin/quizzes/question/", {"action": "reactivate", "_selected_action": ids})
    assert history(active) == [(CHANGE, "admin", "Retired."), (CHANGE, "admin", "Reactivated.")]
    assert history(already_retired) == [(CHANGE, "admin", "Reactivated.")]


def test_retired_questions_are_not_served(learner, certification):
    active, retired = QuestionFactory.create_batch(2, certification=certification)
    retired.status = QuestionStatus.RETIRED
    retired.save()
    for _ in range(3):
        generated = quiz_generate(learner=learner, certification=certification, count=1)
        assert generated.items[0].question_id == active.pk


def test_quiz_and_progress_admin_pages_render(admin_browser, learner, certification, bank):
    generated = quiz_generate(learner=learner, certification=certification, count=2)
    quiz_evaluate(learner=learner, quiz_id=generated.quiz.pk, answers={})
    for url in (
        "/admin/quizzes/quiz/",
        f"/admin/quizzes/quiz/{generated.quiz.pk}/change/",
        "/admin/progress/userprogress/",
        "/admin/progress/achievement/",
    ):
        assert admin_browser.get(url).status_code == 200, url


def wrong_option(question: Question) -> str:
    return next(option for option in question.options if option not in question.correct_answers)


@pytest.fixture
def graded_quiz(learner, certification, bank):
    """Makes a completed quiz: its first question answered right, its second wrong, the rest not."""

    def make(count: int):
        generated = quiz_generate(learner=learner, certification=certification, count=count)
        first, second = generated.items[:2]
        quiz_evaluate(
            learner=learner,
            quiz_id=generated.quiz.pk,
            answers={
                str(first.pk): first.question.correct_answer,
                str(second.pk): wrong_option(second.question),
            },
        )
        return generated

    return make


def test_the_quiz_page_shows_each_answer_next_to_the_correct_one(admin_browser, graded_quiz):
    generated = graded_quiz(3)
    wrongly_answered = generated.items[1].question
    response = admin_browser.get(f"/admin/quizzes/quiz/{generated.quiz.pk}/change/")
    for cell in (
        f'<td class="field-learner_answer"><p>{wrong_option(wrongly_answered)}</p></td>',
        f'<td class="field-correct_answer"><p>{", ".join(wrongly_answered.correct_answers)}</p></td>',
        '<td class="field-answered_correctly"><p><img src="/static/admin/img/icon-no.svg" alt="False"></p></td>',
        '<td class="field-xp_earned"><p>0</p></td>',
    ):
        assertContains(response, cell, html=True)
    # Rows are labelled by position, not by the quiz's id.
    assert "Question 2" in response.text
    assert f"{generated.quiz.pk} #" not in response.text


@pytest.mark.parametrize("count", [2, 6])
def test_the_quiz_page_reads_its_questions_in_a_constant_number_of_queries(
    admin_browser, graded_quiz, django_assert_num_queries, count
):
    url = f"/admin/quizzes/quiz/{graded_quiz(count).quiz.pk}/change/"
    admin_browser.get(url)  # the process caches content types on the first admin page it shows
    # Session, admin, quiz, its questions with theirs, and the quiz's learner and certification.
    with django_assert_num_queries(6):
        response = admin_browser.get(url)
    assert response.status_code == 200


def test_the_quiz_list_shows_generation_sources_and_xp_by_their_labels(
    admin_browser, learner, certification, bank
):
    quiz_generate(learner=learner, certification=certification, count=1)
    response = admin_browser.get("/admin/quizzes/quiz/")
    assertContains(response, '<td class="field-generation_source">Bank</td>', html=True)
    for source, label in [("llm", "LLM"), ("mixed", "Mixed"), ("fallback", "Fallback")]:
        assertContains(response, f'<a href="?generation_source__exact={source}">{label}</a>', html=True)
    assertContains(response, "XP earned")
    assertNotContains(response, "Xp earned")


def test_the_quiz_page_labels_xp_earned(admin_browser, graded_quiz):
    response = admin_browser.get(f"/admin/quizzes/quiz/{graded_quiz(2).quiz.pk}/change/")
    assertContains(response, "XP earned")
    assertNotContains(response, "Xp earned")
