"""The curated bank's file format: one JSON file per certification, human-diffable.

    {"certification": "SAA-C03", "questions": [{"domain", "difficulty", "question_type",
     "question_text", "options", "correct_answer", "explanation", "reference_url"}, ...]}

`correct_answer` is the option text, or a list of them for multi_select. Files are written with
one field per line in a stable order, so an export after an edit in admin is a readable diff."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from certifications.models import Certification
from quizzes.models import Difficulty, Question, QuestionType
from quizzes.rules import InvalidQuestion, Rule, ValidQuestion, validate_question

FIELDS = [
    "domain",
    "difficulty",
    "question_type",
    "question_text",
    "options",
    "correct_answer",
    "explanation",
    "reference_url",
]


@dataclass
class BankFile:
    path: Path
    certification: Certification | None = None
    questions: list[ValidQuestion] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_bank_file(path: Path) -> BankFile:
    """Parse and validate a whole file; every failure is reported as file, question and rule."""
    bank = BankFile(path=path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        bank.errors.append(f"{path}: cannot be read ({error})")
        return bank
    except json.JSONDecodeError as error:
        bank.errors.append(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})")
        return bank
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        bank.errors.append(f'{path}: expected {{"certification": "<code>", "questions": [...]}}')
        return bank
    code = data.get("certification")
    bank.certification = Certification.objects.prefetch_related("domains").filter(code=code).first()
    if bank.certification is None:
        bank.errors.append(f"{path}: unknown certification {code!r}")
        return bank
    domain_names = [domain.name for domain in bank.certification.domains.all()]
    seen: dict[str, int] = {}
    for number, raw in enumerate(data["questions"], start=1):  # counted as an editor counts them
        where = f"{path}: question {number}"
        try:
            if isinstance(raw, dict) and not str(raw.get("reference_url") or "").strip():
                raise InvalidQuestion(
                    Rule.BAD_REFERENCE_URL, "bank questions need the AWS documentation page they rest on"
                )
            question = validate_question(raw, domain_names=domain_names)
        except InvalidQuestion as error:
            bank.errors.append(f"{where}: {error.rule}: {error.message}")
            continue
        if question.content_hash in seen:
            bank.errors.append(
                f"{where}: {Rule.DUPLICATE}: same text as question {seen[question.content_hash]}"
            )
            continue
        seen[question.content_hash] = number
        bank.questions.append(question)
    return bank


DIFFICULTY_RANK = {value: rank for rank, value in enumerate(Difficulty.values)}
TYPE_RANK = {value: rank for rank, value in enumerate(QuestionType.values)}


def export_order(question: Question) -> tuple:
    """Blueprint order, then easy → hard, then type, then text: stable across exports."""
    return (
        question.domain.order,
        question.domain.name,
        DIFFICULTY_RANK[question.difficulty],
        TYPE_RANK[question.question_type],
        question.question_text.casefold(),
    )


def as_file_item(question: Question) -> dict:
    return {
        "domain": question.domain.name,
        "difficulty": question.difficulty,
        "question_type": question.question_type,
        "question_text": question.question_text,
        "options": list(question.options),
        "correct_answer": question.correct_answer,
        "explanation": question.explanation,
        "reference_url": question.reference_url,
    }


def render_bank_file(certification: Certification, questions: Iterable[Question]) -> str:
    data = {
        "certification": certification.code,
        "questions": [as_file_item(q) for q in sorted(questions, key=export_order)],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def bank_file_name(certification: Certification) -> str:
    return f"{certification.code.lower()}.json"
