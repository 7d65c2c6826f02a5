import json
import logging
import time
from itertools import chain

import pytest
from django.core.cache import cache
from django.db import connection

from certifications.selectors import certification_get
from mindquest.common.exceptions import ApplicationError, ServiceUnavailableError
from quizzes.llm import Wanted, get_question_writer
from quizzes.models import Question, QuestionSource, QuestionStatus, Quiz, QuizQuestion
from quizzes.rules import Rule
from quizzes.selectors import BANK_VERSION_KEY, bank_pool
from quizzes.services import questions_generate, questions_set_status, quiz_evaluate, quiz_generate
from quizzes.tests.factories import QuestionFactory, make_bank, valid_item

pytestmark = pytest.mark.django_db


def question_ids(generated) -> set:
    return {item.question_id for item in generated.items}


# --- from the bank --------------------------------------------------------------------------------


def test_a_quiz_the_bank_can_fill_never_calls_the_llm(learner, certification, bank, fake_openai):
    generated = quiz_generate(learner=learner, certification=certification, count=5)
    assert generated.quiz.total_questions == 5
    assert generated.quiz.generation_source == "bank"
    assert fake_openai.requests == []


def test_without_an_api_key_the_bank_alone_serves(learner, certification, bank, settings):
    settings.OPENAI_API_KEY = ""
    assert get_question_writer() is None
    generated = quiz_generate(learner=learner, certification=certification, count=5)
    assert len(generated.items) == 5


def test_the_quiz_follows_the_plan(learner, certification, bank):
    generated = quiz_generate(learner=learner, certification=certification, count=5, difficulty="hard")
    questions = [item.question for item in generated.items]
    assert {q.difficulty for q in questions} == {"hard"}
    assert sorted(q.domain.name for q in questions) == [
        "Design",
        "Design",
        "Design",
        "Operations",
        "Operations",
    ]
    assert sorted(q.question_type for q in questions) == [
        "multi_select",
        "multiple_choice",
        "multiple_choice",
        "multiple_choice",
        "true_false",
    ]
    assert [item.position for item in generated.items] == [1, 2, 3, 4, 5]


def test_questions_the_learner_has_seen_are_not_served_again_while_others_remain(learner, certification):
    make_bank(certification, per_cell=1, difficulties=["easy"], types=["multiple_choice"])
    QuestionFactory.create_batch(4, certification=certification, difficulty="easy")  # Design has 5 in all
    first = quiz_generate(learner=learner, certification=certification, count=1)
    quiz_evaluate(learner=learner, quiz_id=first.quiz.pk, answers={})
    seen = question_ids(first)
    for _ in range(3):
        later = quiz_generate(learner=learner, certification=certification, count=1)
        assert not question_ids(later) & seen
        seen |= question_ids(later)


def test_questions_another_learner_has_had_are_served(learner, other_learner, certification):
    only = QuestionFactory(certification=certification)
    plan = {"count": 1, "difficulty": only.difficulty, "weak_domains": [only.domain.name]}
    theirs = quiz_generate(learner=other_learner, certification=certification, **plan)
    assert question_ids(theirs) == {only.pk}
    mine = quiz_generate(learner=learner, certification=certification, **plan)
    assert mine.quiz.generation_source == "bank"  # not seen by this learner: not the fallback's
    assert question_ids(mine) == {only.pk}


@pytest.mark.parametrize("source", ["bank", "fallback"])
def test_a_quizs_questions_carry_its_learner(learner, certification, source):
    make_bank(certification, per_cell=1, difficulties=["easy"])
    difficulty = "easy" if source == "bank" else "hard"  # no hard questions: the fallback fills it
    generated = quiz_generate(learner=learner, certification=certification, count=2, difficulty=difficulty)
    assert generated.quiz.generation_source == source
    assert [item.learner_id for item in generated.items] == [learner.pk] * 2
    saved = QuizQuestion.objects.filter(quiz=generated.quiz)
    assert list(saved.values_list("learner_id", flat=True)) == [learner.pk] * 2


def test_a_quiz_never_holds_the_same_question_twice(learner, certification):
    make_bank(certification, per_cell=2, difficulties=["easy"])
    generated = quiz_generate(learner=learner, certification=certification, count=12)
    assert len(question_ids(generated)) == 12


def test_unknown_weak_domains_are_refused(learner, certification, bank):
    with pytest.raises(ApplicationError) as refused:
        quiz_generate(learner=learner, certification=certification, weak_domains=["Networking"])
    assert refused.value.errors == {"weak_domains": ["Not a domain of TST-C01: Networking."]}


def test_weak_domains_asked_for_get_at_least_half(learner, certification, bank):
    generated = quiz_generate(
        learner=learner, certification=certification, count=6, weak_domains=["Operations"]
    )
    assert sum(item.question.domain.name == "Operations" for item in generated.items) >= 3


@pytest.mark.parametrize("count", [5, 30])
def test_generation_query_count_does_not_grow_with_the_number_of_questions(
    learner, certification, count, django_assert_num_queries
):
    make_bank(certification, per_cell=12, difficulties=["easy"])
    certification = certification_get(certification_id=certification.pk)  # from the catalog, as the API
    bank_pool(certification_id=certification.pk)  # this process's copy of the bank's cells, read once
    # the adaptive state (two queries for a new learner: no domain state yet) and the questions
    # they have had; then, on PostgreSQL, one statement that reads the picked questions and saves
    # the quiz and its items; elsewhere the read and the two inserts, between a savepoint pair (in
    # the test's transaction)
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 8):
        generated = quiz_generate(learner=learner, certification=certification, count=count)
    assert len(generated.items) == count


# --- each process's copy of the bank ----------------------------------------------------------------


def test_questions_retired_in_bulk_are_not_drawn_again(learner, certification):
    make_bank(certification, per_cell=2, difficulties=["easy"])
    quiz_generate(learner=learner, certification=certification, count=1)  # this process reads its copy
    retired = set(Question.objects.filter(domain__order=1).values_list("pk", flat=True))
    questions_set_status(question_ids=retired, status=QuestionStatus.RETIRED)
    assert not retired & set(chain.from_iterable(bank_pool(certification_id=certification.pk).values()))
    for _ in range(3):
        generated = quiz_generate(learner=learner, certification=certification, count=5)
        assert not question_ids(generated) & retired


def test_a_question_retired_elsewhere_is_not_served_from_this_process_copy(learner, certification):
    kept, retired = QuestionFactory.create_batch(2, certification=certification)
    cell = (kept.domain_id, kept.difficulty, kept.question_type)
    assert set(bank_pool(certification_id=certification.pk)[cell]) == {kept.pk, retired.pk}
    # Another process retires it: this copy, checked less than a second ago, still holds it.
    Question.objects.filter(pk=retired.pk).update(status=QuestionStatus.RETIRED)
    for _ in range(4):
        generated = quiz_generate(learner=learner, certification=certification, count=1)
        assert [item.question_id for item in generated.items] == [kept.pk]
    assert retired.pk in bank_pool(certification_id=certification.pk)[cell]
    # Nothing was saved by an attempt that met the retired question: four quizzes, one item each.
    assert (
        list(QuizQuestion.objects.filter(quiz__learner=learner).values_list("question", flat=True))
        == [kept.pk] * 4
    )
    assert Quiz.objects.filter(learner=learner).count() == 4


def test_a_question_added_elsewhere_is_drawn_within_a_second(learner, certification, monkeypatch):
    had = QuestionFactory(certification=certification)
    weak = [had.domain.name]  # the one slot goes to its domain
    first = quiz_generate(learner=learner, certification=certification, count=1, weak_domains=weak)
    assert [item.question_id for item in first.items] == [had.pk]
    # Another process adds one to the same cell and moves the shared version (no signal reaches this one).
    Question.objects.bulk_create([QuestionFactory.build(certification=certification, domain=had.domain)])
    added = Question.objects.exclude(pk=had.pk).get()
    cache.set(BANK_VERSION_KEY.format(certification.pk), "moved elsewhere")
    cell = (had.domain_id, had.difficulty, had.question_type)
    assert bank_pool(certification_id=certification.pk)[cell] == (had.pk,)  # checked less than a second ago
    later = time.monotonic() + 1.0
    monkeypatch.setattr(time, "monotonic", lambda: later)
    generated = quiz_generate(learner=learner, certification=certification, count=1, weak_domains=weak)
    assert (generated.quiz.generation_source, [item.question_id for item in generated.items]) == (
        "bank",
        [added.pk],
    )


# --- from the LLM ---------------------------------------------------------------------------------


def test_what_the_bank_lacks_is_generated_and_joins_the_bank(learner, certification, fake_openai):
    fake_openai.reply_items(
        [
            valid_item("Design", "easy", t, n)
            for n, t in enumerate(["multiple_choice", "multi_select", "true_false"])
        ]
        + [valid_item("Operations", "easy", "multiple_choice", n) for n in (3, 4)]
    )
    generated = quiz_generate(learner=learner, certification=certification, count=5)
    assert generated.quiz.generation_source == "llm"
    assert generated.quiz.generation_model == "gpt-4o-mini"
    assert len(generated.items) == 5
    saved = Question.objects.filter(certification=certification)
    assert saved.count() == 5
    assert set(saved.values_list("source", "model").distinct()) == {(QuestionSource.GENERATED, "gpt-4o-mini")}


def test_only_the_shortfall_goes_to_the_llm(learner, certification, fake_openai):
    # The bank covers Design (3 of the 5 questions) but has nothing in Operations.
    for question_type in ("multiple_choice", "multi_select", "true_false"):
        QuestionFactory(certification=certification, question_type=question_type)
    fake_openai.reply_items([valid_item("Operations", "easy", "multiple_choice", n) for n in (1, 2)])
    generated = quiz_generate(learner=learner, certification=certification, count=5)
    assert generated.quiz.generation_source == "mixed"
    assert len(generated.items) == 5
    prompt = fake_openai.requests[0]["messages"][1]["content"]
    assert "Write exactly these 2 questions" in prompt
    assert "2 × easy multiple_choice in domain “Operations”" in prompt


def test_a_missing_type_is_served_from_the_same_cell_rather_than_asking_the_llm(
    learner, certification, fake_openai
):
    make_bank(certification, per_cell=3, difficulties=["easy"], types=["multiple_choice"])
    generated = quiz_generate(learner=learner, certification=certification, count=5)
    assert generated.quiz.generation_source == "bank"
    assert fake_openai.requests == []


def test_the_prompt_uses_the_certifications_domains_and_the_planned_difficulty(
    learner, certification, fake_openai
):
    fake_openai.reply_items([])
    with pytest.raises(ServiceUnavailableError):  # the bank is empty and the model wrote nothing
        quiz_generate(learner=learner, certification=certification, count=5, difficulty="medium")
    request = fake_openai.requests[0]
    prompt = request["messages"][1]["content"]
    assert "TST-C01 Test Architect" in prompt
    assert "- Design (60%)" in prompt
    assert "- Operations (40%)" in prompt
    assert "medium multiple_choice in domain “Design”" in prompt
    schema = request["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["questions"]["items"]["properties"]["domain"]["enum"] == [
        "Design",
        "Operations",
    ]
    assert request["model"] == "gpt-4o-mini"


def test_invalid_items_are_dropped_and_only_the_shortfall_is_asked_again(certification, fake_openai):
    bad = valid_item("Design", n=99) | {"options": ["Only one"], "correct_answers": ["Only one"]}
    fake_openai.reply_items([valid_item("Design", n=1), bad, valid_item("Nowhere", n=2)])
    fake_openai.reply_items([valid_item("Design", n=3), valid_item("Design", n=4)])
    report = questions_generate(
        certification=certification,
        wanted=[Wanted("Design", "easy", "multiple_choice", 3)],
        writer=get_question_writer(),
    )
    assert len(fake_openai.requests) == 2
    assert "Write exactly these 2 questions" in fake_openai.requests[1]["messages"][1]["content"]
    assert report.accepted == 3
    assert report.rejected == {Rule.BAD_OPTIONS: 1, Rule.UNKNOWN_DOMAIN: 1}
    assert report.tokens == 600


def test_re_asking_is_bounded(certification, fake_openai, settings):
    settings.LLM_MAX_ATTEMPTS = 3
    for _ in range(5):
        fake_openai.reply_content("this is not json")
    report = questions_generate(
        certification=certification,
        wanted=[Wanted("Design", "easy", "multiple_choice", 2)],
        writer=get_question_writer(),
    )
    assert len(fake_openai.requests) == 3
    assert report.accepted == 0
    assert report.rejected == {Rule.MALFORMED_OUTPUT: 6}


def test_too_few_items_are_topped_up_by_asking_again(certification, fake_openai):
    fake_openai.reply_items([valid_item("Design", n=1)])
    fake_openai.reply_items([valid_item("Design", n=2), valid_item("Design", n=3)])
    report = questions_generate(
        certification=certification,
        wanted=[Wanted("Design", "easy", "multiple_choice", 3)],
        writer=get_question_writer(),
    )
    assert report.accepted == 3
    assert len(fake_openai.requests) == 2


def test_a_duplicate_of_a_bank_question_is_rejected(certification, fake_openai):
    existing = QuestionFactory(certification=certification, question_text="Which storage is durable?")
    fake_openai.reply_items([valid_item("Design") | {"question_text": "which storage is   DURABLE"}])
    report = questions_generate(
        certification=certification,
        wanted=[Wanted("Design", "easy", "multiple_choice", 1)],
        writer=get_question_writer(),
        max_attempts=1,
    )
    assert report.rejected == {Rule.DUPLICATE: 1}
    assert list(Question.objects.filter(certification=certification)) == [existing]


@pytest.mark.parametrize(
    ("item", "rule"),
    [
        (valid_item("Design") | {"question_type": "essay"}, Rule.UNKNOWN_TYPE),
        (valid_item("Design") | {"options": ["A"], "correct_answers": ["A"]}, Rule.BAD_OPTIONS),
        (
            valid_item("Design", question_type="true_false")
            | {"options": ["Yes", "No"], "correct_answers": ["Yes"]},
            Rule.TRUE_FALSE_OPTIONS,
        ),
        (valid_item("Design") | {"correct_answers": ["Amazon S3", "Amazon EBS"]}, Rule.CORRECT_COUNT),
        (
            valid_item("Design", question_type="multi_select") | {"correct_answers": ["Amazon S3"]},
            Rule.CORRECT_COUNT,
        ),
        (valid_item("Design") | {"correct_answers": ["AWS Lambda"]}, Rule.ANSWER_NOT_AN_OPTION),
        (valid_item("Design") | {"domain": "Marketing"}, Rule.UNKNOWN_DOMAIN),
        (valid_item("Design") | {"difficulty": "impossible"}, Rule.UNKNOWN_DIFFICULTY),
        (valid_item("Design") | {"question_text": ""}, Rule.EMPTY_TEXT),
        (valid_item("Design") | {"explanation": " "}, Rule.EMPTY_EXPLANATION),
        ("just a string", Rule.NOT_AN_OBJECT),
    ],
)
def test_generated_items_breaking_each_rule_are_rejected_by_it(certification, fake_openai, item, rule):
    fake_openai.reply_items([item])
    report = questions_generate(
        certification=certification,
        wanted=[Wanted("Design", "easy", "multiple_choice", 1)],
        writer=get_question_writer(),
        max_attempts=1,
    )
    assert report.rejected == {rule: 1}
    assert not Question.objects.filter(certification=certification).exists()


# --- when the LLM fails ---------------------------------------------------------------------------


def script_failure(fake, failure: str) -> None:
    for _ in range(3):
        {
            "rate_limited": lambda: fake.reply_status(429, "Rate limit reached"),
            "server_error": lambda: fake.reply_status(500, "The server had an error"),
            "malformed": lambda: fake.reply_content("{'questions': oops"),
            "hang": lambda: fake.hang(30),
        }[failure]()


@pytest.mark.parametrize("failure", ["rate_limited", "server_error", "malformed", "hang"])
def test_a_failing_llm_falls_back_to_the_bank(learner, certification, fake_openai, failure):
    make_bank(certification, per_cell=3, difficulties=["easy"])
    script_failure(fake_openai, failure)
    generated = quiz_generate(learner=learner, certification=certification, count=5, difficulty="hard")
    assert generated.quiz.generation_source == "fallback"
    assert len(generated.items) == 5
    assert fake_openai.requests, "the LLM was asked first"


def test_a_hanging_llm_is_cut_at_the_timeout(learner, certification, fake_openai, caplog):
    make_bank(certification, per_cell=3, difficulties=["easy"])
    fake_openai.hang(30)
    with caplog.at_level(logging.WARNING):
        generated = quiz_generate(learner=learner, certification=certification, count=2, difficulty="hard")
    assert "question writer unavailable: timeout" in caplog.text
    assert len(generated.items) == 2


def test_an_unreachable_llm_falls_back_to_the_bank(learner, certification, fake_openai):
    make_bank(certification, per_cell=3, difficulties=["easy"])
    fake_openai.stop()
    generated = quiz_generate(learner=learner, certification=certification, count=3, difficulty="medium")
    assert generated.quiz.generation_source == "fallback"


def test_fallback_prefers_questions_seen_least_recently(learner, certification):
    old, recent = QuestionFactory.create_batch(2, certification=certification)
    first = quiz_generate(learner=learner, certification=certification, count=1).items[0].question_id
    second = quiz_generate(learner=learner, certification=certification, count=1).items[0].question_id
    assert {first, second} == {old.pk, recent.pk}  # unseen questions first
    again = quiz_generate(learner=learner, certification=certification, count=1)
    assert again.quiz.generation_source == "fallback"
    assert again.items[0].question_id == first


def test_without_a_writer_questions_never_had_come_first_same_domain_then_nearest_difficulty(
    learner, certification, settings
):
    settings.OPENAI_API_KEY = ""  # nothing to ask for what the matching cell lacks
    design, operations = certification.domains.order_by("order")
    medium, hard = (
        QuestionFactory(certification=certification, domain=design, difficulty=d) for d in ("medium", "hard")
    )
    easy_elsewhere = QuestionFactory(certification=certification, domain=operations, difficulty="easy")
    served = []
    for _ in range(4):  # each an easy Design question, which the bank does not have
        generated = quiz_generate(
            learner=learner, certification=certification, count=1, difficulty="easy", weak_domains=["Design"]
        )
        assert generated.quiz.generation_source == "fallback"
        served.append(generated.items[0].question_id)
    # Never had: Design's nearest difficulty, then its next, then another domain's; then, every
    # question had, the one had longest ago.
    assert served == [medium.pk, hard.pk, easy_elsewhere.pk, medium.pk]


def test_without_a_writer_a_quiz_the_matching_cells_cannot_fill_costs_no_more_statements(
    learner, certification, settings, django_assert_num_queries
):
    settings.OPENAI_API_KEY = ""
    make_bank(certification, per_cell=3, difficulties=["easy"])
    certification = certification_get(certification_id=certification.pk)
    bank_pool(certification_id=certification.pk)
    # as test_generation_query_count_does_not_grow_with_the_number_of_questions: the fallback's
    # questions never had are picked from this process's copy of the bank, like the bank's own
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 8) as captured:
        generated = quiz_generate(learner=learner, certification=certification, count=5, difficulty="hard")
    assert not [query for query in captured if "RANDOM()" in query["sql"]]  # not the least recently seen
    assert generated.quiz.generation_source == "fallback"
    assert {item.question.difficulty for item in generated.items} == {"easy"}


def test_with_both_sources_failing_it_is_503_and_nothing_is_saved(learner, certification, fake_openai):
    script_failure(fake_openai, "server_error")
    with pytest.raises(ServiceUnavailableError):
        quiz_generate(learner=learner, certification=certification, count=5)
    assert not Quiz.objects.exists()
    assert not Question.objects.exists()


def test_structured_output_is_requested(learner, certification, fake_openai):
    fake_openai.reply_items([])
    with pytest.raises(ServiceUnavailableError):
        quiz_generate(learner=learner, certification=certification, count=1)
    response_format = fake_openai.requests[0]["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    assert json.dumps(response_format["json_schema"]["schema"])


def test_the_fake_servers_auto_mode_writes_what_the_prompt_asks(learner, certification, fake_openai):
    fake_openai.auto = True
    generated = quiz_generate(learner=learner, certification=certification, count=5, difficulty="medium")
    assert generated.quiz.generation_source == "llm"
    assert len(generated.items) == 5
