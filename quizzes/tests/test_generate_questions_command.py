from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Question
from quizzes.tests.factories import valid_item

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("generate_questions", *args, stdout=out)
    return out.getvalue()


def test_fills_the_bank_and_summarises(certification, fake_openai):
    fake_openai.reply_items(
        [valid_item("Design", "medium", "multiple_choice", n) for n in range(2)]
        + [valid_item("Design", "medium", "multi_select", 2), {"question_type": "essay"}]
    )
    fake_openai.reply_items([valid_item("Design", "medium", "true_false", 3)])
    output = run("--certification", "tst-c01", "--domain", "Design", "--difficulty", "medium", "--count", "4")
    assert (
        Question.objects.filter(
            certification=certification, domain__name="Design", difficulty="medium"
        ).count()
        == 4
    )
    assert "4/4 asked" in output
    assert "Asked:     5 questions in 2 requests" in output
    assert "Accepted:  4 (added to the bank)" in output
    assert "unknown_type: 1" in output
    assert "Tokens:    600" in output


def test_spreads_over_the_blueprint_without_filters(certification, fake_openai, settings):
    settings.LLM_MAX_ATTEMPTS = 1
    for _ in range(2):
        fake_openai.reply_items([])
    output = run("--certification", "TST-C01", "--count", "10")
    prompts = [request["messages"][1]["content"] for request in fake_openai.requests]
    assert len(prompts) == 2
    assert "Operations" in "".join(prompts)
    assert "Design" in "".join(prompts)
    assert "Accepted:  0" in output


def test_stops_and_says_so_when_the_model_is_down(certification, fake_openai):
    fake_openai.reply_status(500)
    output = run("--certification", "TST-C01", "--count", "10")
    assert "Stopped early: the model was unavailable (http_500)." in output
    assert len(fake_openai.requests) == 1


def test_refuses_without_an_api_key(certification, settings):
    settings.OPENAI_API_KEY = ""
    with pytest.raises(CommandError, match="OPENAI_API_KEY"):
        run("--certification", "TST-C01", "--count", "1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--certification", "NOPE-C01", "--count", "1"], "No certification"),
        (["--certification", "TST-C01", "--domain", "Nope", "--count", "1"], "has no domain"),
        (["--certification", "TST-C01", "--count", "0"], "at least 1"),
    ],
)
def test_bad_arguments_are_explained(certification, fake_openai, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
