import pytest

from quizzes.rules import (
    InvalidQuestion,
    Rule,
    content_hash,
    is_correct,
    is_weak,
    next_difficulty,
    normalize_answer,
    push_recent,
    validate_question,
    xp_for,
)
from quizzes.tests.factories import valid_item

DOMAINS = ["Design", "Operations"]


def broken(**changes) -> dict:
    item = valid_item("Design")
    for key, value in changes.items():
        if value is ...:
            del item[key]
        else:
            item[key] = value
    return item


# --- validation -----------------------------------------------------------------------------------


def test_a_valid_item_passes_and_is_normalised():
    question = validate_question(valid_item("Design", "hard", "multi_select"), domain_names=DOMAINS)
    assert question.domain == "Design"
    assert question.difficulty == "hard"
    assert question.correct_answers == ["Amazon S3", "Amazon DynamoDB"]


def test_bank_files_may_give_correct_answer_as_a_string():
    item = broken(correct_answers=...)
    item["correct_answer"] = "Amazon S3"
    assert validate_question(item, domain_names=DOMAINS).correct_answers == ["Amazon S3"]


def test_true_false_answers_are_matched_in_any_case():
    item = broken(question_type="true_false", options=["true", "FALSE"], correct_answers=["false"])
    question = validate_question(item, domain_names=DOMAINS)
    assert (question.options, question.correct_answers) == (["True", "False"], ["False"])


@pytest.mark.parametrize(
    ("item", "rule"),
    [
        ("not an object", Rule.NOT_AN_OBJECT),
        (broken(question_type="essay"), Rule.UNKNOWN_TYPE),
        (broken(question_type=...), Rule.UNKNOWN_TYPE),
        (broken(options=["Only one"], correct_answers=["Only one"]), Rule.BAD_OPTIONS),
        (broken(options=[f"Option {i}" for i in range(7)], correct_answers=["Option 1"]), Rule.BAD_OPTIONS),
        (broken(options=["Amazon S3", "amazon s3", "Amazon EBS"]), Rule.BAD_OPTIONS),
        (broken(options=["Amazon S3", " ", "Amazon EBS"]), Rule.BAD_OPTIONS),
        (broken(options="Amazon S3"), Rule.BAD_OPTIONS),
        (
            broken(question_type="true_false", options=["Yes", "No"], correct_answers=["Yes"]),
            Rule.TRUE_FALSE_OPTIONS,
        ),
        (
            broken(question_type="true_false", options=["True", "False", "Maybe"], correct_answers=["True"]),
            Rule.TRUE_FALSE_OPTIONS,
        ),
        (broken(correct_answers=["Amazon S3", "Amazon EBS"]), Rule.CORRECT_COUNT),
        (broken(correct_answers=[]), Rule.CORRECT_COUNT),
        (
            broken(question_type="true_false", options=["True", "False"], correct_answers=["True", "False"]),
            Rule.CORRECT_COUNT,
        ),
        (broken(question_type="multi_select", correct_answers=["Amazon S3"]), Rule.CORRECT_COUNT),
        (
            broken(
                question_type="multi_select",
                correct_answers=["Amazon S3", "Amazon EBS", "Amazon EFS", "Instance store"],
            ),
            Rule.CORRECT_COUNT,
        ),
        (broken(correct_answers=["Amazon Glacier"]), Rule.ANSWER_NOT_AN_OPTION),
        (
            broken(question_type="multi_select", correct_answers=["Amazon S3", "AWS Lambda"]),
            Rule.ANSWER_NOT_AN_OPTION,
        ),
        (broken(domain="Networking"), Rule.UNKNOWN_DOMAIN),
        (broken(difficulty="expert"), Rule.UNKNOWN_DIFFICULTY),
        (broken(question_text="   "), Rule.EMPTY_TEXT),
        (broken(explanation=""), Rule.EMPTY_EXPLANATION),
        (broken(reference_url="not a url"), Rule.BAD_REFERENCE_URL),
    ],
)
def test_each_rule_rejects_what_it_should(item, rule):
    with pytest.raises(InvalidQuestion) as rejected:
        validate_question(item, domain_names=DOMAINS)
    assert rejected.value.rule == rule


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (broken(options=["Only one"], correct_answers=["Only one"]), "Needs 2 to 6 options; this has 1."),
        (
            broken(correct_answers=["Amazon S3", "Amazon EBS"]),
            "A multiple choice question needs exactly one correct answer.",
        ),
        (
            broken(question_type="true_false", options=["True", "False"], correct_answers=["True", "False"]),
            "A true or false question needs exactly one correct answer.",
        ),
        (
            broken(question_type="multi_select", correct_answers=["Amazon S3"]),
            "A multiple response question needs at least two correct answers and at least one wrong option.",
        ),
    ],
)
def test_rejections_name_the_question_type_as_the_admin_labels_it(item, message):
    with pytest.raises(InvalidQuestion) as rejected:
        validate_question(item, domain_names=DOMAINS)
    assert rejected.value.message == message


def test_content_hash_ignores_case_spacing_and_trailing_punctuation():
    assert content_hash("Which  service stores objects?") == content_hash("which service stores OBJECTS")
    assert content_hash("Which service stores objects?") != content_hash("Which service stores blocks?")


# --- grading --------------------------------------------------------------------------------------


def test_multiple_choice_is_graded_by_exact_option():
    assert is_correct("multiple_choice", ["Amazon S3"], ["Amazon S3"])
    assert not is_correct("multiple_choice", ["Amazon S3"], ["Amazon EBS"])


@pytest.mark.parametrize("answer", ["true", "TRUE", "True", " tRuE "])
def test_true_false_answer_is_accepted_in_any_case(answer):
    given = normalize_answer("true_false", ["True", "False"], answer)
    assert given == ["True"]
    assert is_correct("true_false", ["True"], given)


def test_multi_select_is_a_set_all_or_nothing():
    correct = ["Amazon S3", "Amazon DynamoDB"]
    assert is_correct("multi_select", correct, ["Amazon DynamoDB", "Amazon S3"])
    assert not is_correct("multi_select", correct, ["Amazon S3"])
    assert not is_correct("multi_select", correct, ["Amazon S3", "Amazon DynamoDB", "Amazon EC2"])


@pytest.mark.parametrize("missing", [None, "", []])
def test_missing_answers_are_wrong(missing):
    assert normalize_answer("multiple_choice", ["A", "B"], missing) is None
    assert not is_correct("multiple_choice", ["A"], None)


@pytest.mark.parametrize(
    ("question_type", "answer"),
    [
        ("multiple_choice", "Amazon Glacier"),
        ("multiple_choice", ["Amazon S3", "Amazon EBS"]),
        ("true_false", "yes"),
        ("multi_select", ["Amazon S3", "Not an option"]),
        ("multiple_choice", 42),
        ("multi_select", {"a": 1}),
    ],
)
def test_answers_that_are_not_the_questions_options_are_refused(question_type, answer):
    options = (
        ["True", "False"] if question_type == "true_false" else ["Amazon S3", "Amazon EBS", "Amazon EFS"]
    )
    with pytest.raises(ValueError, match="answer"):
        normalize_answer(question_type, options, answer)


@pytest.mark.parametrize(("difficulty", "xp"), [("easy", 5), ("medium", 10), ("hard", 20)])
def test_xp_per_correct_answer_follows_difficulty(difficulty, xp):
    assert xp_for(difficulty, True) == xp
    assert xp_for(difficulty, False) == 0


# --- adaptive rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "accuracy", "expected"),
    [
        ("easy", 0.8, "medium"),
        ("medium", 1.0, "hard"),
        ("hard", 1.0, "hard"),
        ("medium", 0.79, "medium"),
        ("medium", 0.5, "medium"),
        ("medium", 0.49, "easy"),
        ("easy", 0.0, "easy"),
        ("hard", None, "hard"),
    ],
)
def test_difficulty_steps_up_at_80_and_down_below_50(current, accuracy, expected):
    assert next_difficulty(current, accuracy) == expected


def test_recent_answers_keep_the_last_ten():
    assert push_recent("1" * 9, [False, False]) == "1" * 8 + "00"


@pytest.mark.parametrize(
    ("recent", "weak"),
    [
        ("", False),
        ("00", False),
        ("000", True),
        ("110", False),
        ("10100", True),
        ("11100", False),
        ("1110000000", True),
    ],
)
def test_a_domain_is_weak_below_60_percent_over_at_least_three_recent_answers(recent, weak):
    assert is_weak(recent) is weak
