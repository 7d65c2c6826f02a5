"""The quiz engine's pure rules: what a valid question is, how an answer is graded, how difficulty
moves. No database here, so every rule can be tested (and property-tested) on its own."""

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from quizzes.models import RECENT_WINDOW, XP_PER_CORRECT, Difficulty, QuestionType

TRUE_FALSE_OPTIONS = ["True", "False"]
MIN_OPTIONS, MAX_OPTIONS = 2, 6


def normalize_text(text: str) -> str:
    """Case, spacing and trailing punctuation do not make a question new."""
    return re.sub(r"\s+", " ", text).strip().rstrip(".?!").strip().casefold()


def content_hash(question_text: str) -> str:
    return hashlib.sha256(normalize_text(question_text).encode()).hexdigest()


# --- Validation -----------------------------------------------------------------------------------


class Rule:
    """Why an item was rejected; each name is a check from DESIGN.md."""

    NOT_AN_OBJECT = "not_an_object"
    UNKNOWN_TYPE = "unknown_type"
    BAD_OPTIONS = "bad_options"
    TRUE_FALSE_OPTIONS = "true_false_options"
    CORRECT_COUNT = "correct_answer_count"
    ANSWER_NOT_AN_OPTION = "answer_not_an_option"
    UNKNOWN_DOMAIN = "unknown_domain"
    UNKNOWN_DIFFICULTY = "unknown_difficulty"
    EMPTY_TEXT = "empty_question_text"
    EMPTY_EXPLANATION = "empty_explanation"
    BAD_REFERENCE_URL = "bad_reference_url"
    DUPLICATE = "duplicate"
    MALFORMED_OUTPUT = "malformed_output"


class InvalidQuestion(ValueError):
    def __init__(self, rule: str, message: str):
        self.rule = rule
        self.message = message
        super().__init__(f"{rule}: {message}")


@dataclass(frozen=True)
class ValidQuestion:
    """A question that passed every rule but the duplicate check (which needs the bank)."""

    domain: str
    difficulty: str
    question_type: str
    question_text: str
    options: list[str]
    correct_answers: list[str]
    explanation: str
    reference_url: str

    @property
    def content_hash(self) -> str:
        return content_hash(self.question_text)


def _text(raw: Mapping, key: str) -> str:
    value = raw.get(key)
    return value.strip() if isinstance(value, str) else ""


def _type_label(question_type: str) -> str:
    """As the admin names it: "multiple response", not "multi_select"."""
    return QuestionType(question_type).label.lower()


def validate_question(raw: Any, *, domain_names: Iterable[str]) -> ValidQuestion:
    """Check one bank or generated item against every rule; raise InvalidQuestion on the first broken."""
    if not isinstance(raw, Mapping):
        raise InvalidQuestion(Rule.NOT_AN_OBJECT, "each question must be an object")

    question_type = raw.get("question_type")
    if question_type not in QuestionType.values:
        raise InvalidQuestion(
            Rule.UNKNOWN_TYPE, f"question_type {question_type!r} is not one of {QuestionType.values}"
        )

    options = raw.get("options")
    if not isinstance(options, list) or not all(isinstance(option, str) for option in options):
        raise InvalidQuestion(Rule.BAD_OPTIONS, "options must be a list of strings")
    options = [option.strip() for option in options]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise InvalidQuestion(
            Rule.BAD_OPTIONS, f"Needs {MIN_OPTIONS} to {MAX_OPTIONS} options; this has {len(options)}."
        )
    if not all(options):
        raise InvalidQuestion(Rule.BAD_OPTIONS, "options must not be empty")
    if len({option.casefold() for option in options}) != len(options):
        raise InvalidQuestion(
            Rule.BAD_OPTIONS, "Each option must differ from the others (letter case aside)."
        )
    if question_type == QuestionType.TRUE_FALSE:
        if [option.casefold() for option in options] != ["true", "false"]:
            raise InvalidQuestion(
                Rule.TRUE_FALSE_OPTIONS,
                f'A {_type_label(question_type)} question\'s options are "True" and "False", in that order.',
            )
        options = list(TRUE_FALSE_OPTIONS)

    answers = raw.get("correct_answers", raw.get("correct_answer"))
    if isinstance(answers, str):
        answers = [answers]
    if not isinstance(answers, list) or not all(isinstance(answer, str) for answer in answers):
        raise InvalidQuestion(Rule.CORRECT_COUNT, "correct_answer must be an option text or a list of them")
    answers = list(dict.fromkeys(answer.strip() for answer in answers))
    if question_type == QuestionType.MULTI_SELECT:
        if not 2 <= len(answers) < len(options):
            raise InvalidQuestion(
                Rule.CORRECT_COUNT,
                f"A {_type_label(question_type)} question needs at least two correct answers and at least"
                " one wrong option.",
            )
    elif len(answers) != 1:
        raise InvalidQuestion(
            Rule.CORRECT_COUNT, f"A {_type_label(question_type)} question needs exactly one correct answer."
        )
    by_key = {
        (option.casefold() if question_type == QuestionType.TRUE_FALSE else option): option
        for option in options
    }
    try:
        answers = [
            by_key[answer.casefold() if question_type == QuestionType.TRUE_FALSE else answer]
            for answer in answers
        ]
    except KeyError as missing:
        raise InvalidQuestion(
            Rule.ANSWER_NOT_AN_OPTION, f"The correct answer {missing} is not one of the options."
        ) from None

    domain = _text(raw, "domain")
    names = list(domain_names)
    if domain not in names:
        raise InvalidQuestion(Rule.UNKNOWN_DOMAIN, f"domain {domain!r} is not one of {names}")

    difficulty = raw.get("difficulty")
    if difficulty not in Difficulty.values:
        raise InvalidQuestion(
            Rule.UNKNOWN_DIFFICULTY, f"difficulty {difficulty!r} is not one of {Difficulty.values}"
        )

    question_text = _text(raw, "question_text")
    if not question_text:
        raise InvalidQuestion(Rule.EMPTY_TEXT, "The question text is empty.")
    explanation = _text(raw, "explanation")
    if not explanation:
        raise InvalidQuestion(Rule.EMPTY_EXPLANATION, "The explanation is empty.")

    reference_url = _text(raw, "reference_url")
    if reference_url and not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", reference_url):
        raise InvalidQuestion(Rule.BAD_REFERENCE_URL, f"reference_url {reference_url!r} is not a web address")

    return ValidQuestion(
        domain=domain,
        difficulty=difficulty,
        question_type=question_type,
        question_text=question_text,
        options=options,
        correct_answers=answers,
        explanation=explanation,
        reference_url=reference_url,
    )


# --- Grading --------------------------------------------------------------------------------------


def normalize_answer(question_type: str, options: list[str], answer: Any) -> list[str] | None:
    """The learner's answer as a list of option texts, None when unanswered.

    Raises ValueError with a message when the answer is not made of this question's options."""
    if answer is None or answer == "" or answer == []:
        return None
    chosen = [answer] if isinstance(answer, str) else answer
    if not isinstance(chosen, list) or not all(isinstance(item, str) for item in chosen):
        raise ValueError("An answer is an option text, or a list of option texts for multi-select.")
    if question_type != QuestionType.MULTI_SELECT and len(chosen) != 1:
        raise ValueError("This question takes exactly one answer.")
    if question_type == QuestionType.TRUE_FALSE:
        lookup = {option.casefold(): option for option in options}
        picked = [lookup.get(item.strip().casefold()) for item in chosen]
    else:
        picked = [item if item in options else None for item in chosen]
    if None in picked:
        raise ValueError("The answer is not one of this question's options.")
    return list(dict.fromkeys(picked))


def is_correct(question_type: str, correct_answers: list[str], answer: list[str] | None) -> bool:
    """Exact option for single-answer questions; multi-select as a set, all or nothing."""
    if not answer:
        return False
    if question_type == QuestionType.MULTI_SELECT:
        return set(answer) == set(correct_answers)
    if question_type == QuestionType.TRUE_FALSE:
        return answer[0].casefold() == correct_answers[0].casefold()
    return answer == correct_answers[:1]


def xp_for(difficulty: str, correct: bool) -> int:
    return XP_PER_CORRECT[Difficulty(difficulty)] if correct else 0


# --- Adaptive difficulty --------------------------------------------------------------------------

WEAK_BELOW = 0.6
WEAK_MIN_ANSWERS = 3
# The rule in words, for a learner who has answers and no weak domain yet.
WEAK_RULE = (
    f"a domain counts as weak below {WEAK_BELOW:.0%} right over its last {RECENT_WINDOW} answers,"
    f" once it has {WEAK_MIN_ANSWERS}"
)
STEP_UP_AT = 0.8
STEP_DOWN_BELOW = 0.5


def push_recent(recent: str, outcomes: Iterable[bool]) -> str:
    """Append outcomes to the recent-answers string, keeping only the last RECENT_WINDOW."""
    return (recent + "".join("1" if outcome else "0" for outcome in outcomes))[-RECENT_WINDOW:]


def recent_accuracy(recent: str) -> float | None:
    return recent.count("1") / len(recent) if recent else None


def has_evidence(recent: str) -> bool:
    """Enough recent answers in a domain to judge it (weak, or ready to step)."""
    return len(recent) >= WEAK_MIN_ANSWERS


def is_weak(recent: str) -> bool:
    """A domain is weak below 60 % over its recent answers, once there are at least three."""
    return has_evidence(recent) and recent.count("1") / len(recent) < WEAK_BELOW


def next_difficulty(current: str, accuracy: float | None) -> Difficulty:
    """Step up at 80 % or better, down below 50 %; no evidence (None) keeps the difficulty."""
    current = Difficulty(current)
    if accuracy is None:
        return current
    if accuracy >= STEP_UP_AT:
        return current.step(+1)
    if accuracy < STEP_DOWN_BELOW:
        return current.step(-1)
    return current
