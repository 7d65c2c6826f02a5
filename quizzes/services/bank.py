"""Filling the question bank: from validated items (curated files, generated output)."""

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from certifications.models import Certification
from quizzes import budget, selectors
from quizzes.bank_files import read_bank_file
from quizzes.llm import QuestionRequest, QuestionWriter, Wanted, WriterUnavailable
from quizzes.models import Difficulty, Question, QuestionSource, QuizQuestion
from quizzes.planning import allocate, type_mix
from quizzes.rules import InvalidQuestion, Rule, ValidQuestion, validate_question

logger = logging.getLogger(__name__)

AVOID_EXAMPLES = 30  # existing question texts shown to the model so it does not repeat them


def existing_hashes(*, certification: Certification, hashes: Iterable[str]) -> set[str]:
    return set(
        Question.objects.filter(certification=certification, content_hash__in=list(hashes)).values_list(
            "content_hash", flat=True
        )
    )


@transaction.atomic
def questions_save(
    *,
    certification: Certification,
    items: list[ValidQuestion],
    source: str = QuestionSource.CURATED,
    model: str = "",
) -> list[Question]:
    """Add validated questions to the bank; ones already there (same normalised text) are skipped.
    Returns the saved rows, in the order given."""
    domains = {domain.name: domain for domain in certification.domains.all()}
    new = {}
    for item in items:
        new.setdefault(item.content_hash, item)
    rows = [
        Question(
            certification=certification,
            domain=domains[item.domain],
            difficulty=item.difficulty,
            question_type=item.question_type,
            question_text=item.question_text,
            options=item.options,
            correct_answers=item.correct_answers,
            explanation=item.explanation,
            reference_url=item.reference_url,
            source=source,
            model=model,
            content_hash=digest,
        )
        for digest, item in new.items()
    ]
    # A concurrent writer may have added the same text since it was checked: skip, then read back.
    Question.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        selectors.bank_changed(certification_id=certification.pk)
    saved = {
        q.content_hash: q
        for q in Question.objects.filter(
            certification=certification, content_hash__in=list(new)
        ).select_related("domain")
    }
    return [saved[digest] for digest in new if digest in saved]


@dataclass
class GenerationReport:
    """What a generation run asked for and got: the closing summary of generate_questions."""

    asked: int = 0
    accepted: int = 0
    rejected: Counter = field(default_factory=Counter)
    tokens: int = 0
    calls: int = 0
    unavailable: str = ""  # why the writer stopped answering, if it did
    questions: list[Question] = field(default_factory=list)


def _shortfall(wanted: list[Wanted], got: Counter) -> list[Wanted]:
    missing = []
    for spec in wanted:
        have = got[(spec.domain, spec.difficulty, spec.question_type)]
        used = min(have, spec.count)
        got[(spec.domain, spec.difficulty, spec.question_type)] -= used
        if spec.count - used:
            missing.append(Wanted(spec.domain, spec.difficulty, spec.question_type, spec.count - used))
    return missing


def questions_generate(
    *,
    certification: Certification,
    wanted: list[Wanted],
    writer: QuestionWriter,
    max_attempts: int | None = None,
) -> GenerationReport:
    """Ask the writer for `wanted`, keep the items that pass every rule and are new to the bank,
    save them, and ask again only for the shortfall, at most `max_attempts` times in all."""
    attempts = max_attempts or settings.LLM_MAX_ATTEMPTS
    domains = list(certification.domains.all())
    domain_names = [domain.name for domain in domains]
    report = GenerationReport()
    avoid = list(
        Question.objects.filter(certification=certification, domain__name__in={w.domain for w in wanted})
        .order_by("-created_at")
        .values_list("question_text", flat=True)[:AVOID_EXAMPLES]
    )
    accepted: dict[str, ValidQuestion] = {}
    remaining = [w for w in wanted if w.count > 0]
    for _ in range(attempts):
        if not remaining:
            break
        request = QuestionRequest(
            certification_code=certification.code,
            certification_name=certification.name,
            domains=[(domain.name, domain.weight) for domain in domains],
            wanted=remaining,
            avoid=avoid,
        )
        if budget.is_spent():
            report.unavailable = "daily_token_budget_spent"
            logger.warning("question writer not asked: the daily LLM token budget is spent")
            break
        report.asked += request.count
        try:
            reply = writer.write(request)
        except WriterUnavailable as error:
            report.unavailable = error.reason
            logger.warning("question writer unavailable: %s", error.reason)
            break
        report.calls += 1
        report.tokens += reply.tokens
        budget.record_tokens(reply.tokens)
        if reply.items is None:
            report.rejected[Rule.MALFORMED_OUTPUT] += request.count
            continue
        fresh = _validated_new(reply.items, domain_names, certification, accepted, report)
        accepted.update(fresh)
        got = Counter((item.domain, item.difficulty, item.question_type) for item in fresh.values())
        remaining = _shortfall(remaining, got)
        avoid = avoid + [item.question_text for item in fresh.values()]
    report.questions = questions_save(
        certification=certification,
        items=list(accepted.values()),
        source=QuestionSource.GENERATED,
        model=getattr(writer, "model", ""),
    )
    report.accepted = len(report.questions)
    return report


def _validated_new(
    items: list,
    domain_names: list[str],
    certification: Certification,
    accepted: dict,
    report: GenerationReport,
) -> dict[str, ValidQuestion]:
    valid: dict[str, ValidQuestion] = {}
    for raw in items:
        try:
            item = validate_question(raw, domain_names=domain_names)
        except InvalidQuestion as error:
            report.rejected[error.rule] += 1
            continue
        if item.content_hash in accepted or item.content_hash in valid:
            report.rejected[Rule.DUPLICATE] += 1
            continue
        valid[item.content_hash] = item
    for digest in existing_hashes(certification=certification, hashes=valid):
        del valid[digest]
        report.rejected[Rule.DUPLICATE] += 1
    return valid


# --- Asking for many questions -------------------------------------------------------------------

BATCH = 5  # questions per request: small enough to validate and re-ask cheaply


def spread(
    *, certification: Certification, count: int, domain: str | None, difficulty: str | None
) -> list[Wanted]:
    """`count` questions over the chosen domains (by blueprint weight) and difficulties (evenly),
    each cell with the usual mix of question types."""
    domains = {d.name: d.weight for d in certification.domains.all() if domain in (None, d.name)}
    difficulties = [difficulty] if difficulty else list(Difficulty.values)
    wanted = []
    for name, per_domain in allocate(count, domains).items():
        for level, per_cell in allocate(per_domain, dict.fromkeys(difficulties, 1)).items():
            wanted += [Wanted(name, level, str(kind), n) for kind, n in type_mix(per_cell).items() if n]
    return wanted


def batches(wanted: list[Wanted], size: int) -> list[list[Wanted]]:
    """Split the wanted questions into requests of at most `size` questions."""
    out: list[list[Wanted]] = [[]]
    room = size
    for spec in wanted:
        left = spec.count
        while left:
            if not room:
                out.append([])
                room = size
            take = min(left, room)
            out[-1].append(Wanted(spec.domain, spec.difficulty, spec.question_type, take))
            left -= take
            room -= take
    return [batch for batch in out if batch]


# --- Curated files --------------------------------------------------------------------------------

UPDATABLE = [
    "domain",
    "difficulty",
    "question_type",
    "options",
    "correct_answers",
    "explanation",
    "reference_url",
]


@dataclass
class LoadReport:
    path: str
    certification: str = ""
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def bank_file_load(*, path: Path, update: bool = False) -> LoadReport:
    """Load one bank file. Every item is validated first: a file with any invalid item loads
    nothing. Questions already in the bank (same normalised text) are left alone, or refreshed
    from the file with `update`. Running it twice adds nothing."""
    bank = read_bank_file(path)
    report = LoadReport(path=str(path), certification=bank.certification.code if bank.certification else "")
    if bank.errors:
        report.errors = bank.errors
        return report
    certification = bank.certification
    with transaction.atomic():
        existing = {
            q.content_hash: q
            for q in Question.objects.filter(
                certification=certification, content_hash__in=[item.content_hash for item in bank.questions]
            )
        }
        new = [item for item in bank.questions if item.content_hash not in existing]
        report.added = len(
            questions_save(certification=certification, items=new, source=QuestionSource.CURATED)
        )
        domains = {domain.name: domain for domain in certification.domains.all()}
        changed = []
        for item in bank.questions:
            question = existing.get(item.content_hash)
            if question is None:
                continue
            wanted = {
                "domain": domains[item.domain],
                "difficulty": item.difficulty,
                "question_type": item.question_type,
                "options": item.options,
                "correct_answers": item.correct_answers,
                "explanation": item.explanation,
                "reference_url": item.reference_url,
            }
            if update and any(getattr(question, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(question, name, value)
                changed.append(question)
            else:
                report.unchanged += 1
        Question.objects.bulk_update(changed, [*UPDATABLE, "updated_at"])
        if changed:
            selectors.bank_changed(certification_id=certification.pk)
        report.updated = len(changed)
    return report


@transaction.atomic
def questions_set_status(*, question_ids: Iterable, status: str) -> list[Question]:
    """Retire questions (they stop being served; quizzes that used them keep them) or bring them
    back. Returns the questions whose status changed."""
    changing = list(
        Question.objects.select_for_update().filter(pk__in=list(question_ids)).exclude(status=status)
    )
    for certification_id in {question.certification_id for question in changing}:
        selectors.bank_changed(certification_id=certification_id)
    now = timezone.now()
    Question.objects.filter(pk__in=[question.pk for question in changing]).update(
        status=status, updated_at=now
    )
    for question in changing:
        question.status, question.updated_at = status, now
    return changing


# Which form field each rule is about, to put an error next to it.
RULE_FIELDS = {
    Rule.UNKNOWN_TYPE: "question_type",
    Rule.BAD_OPTIONS: "options",
    Rule.TRUE_FALSE_OPTIONS: "options",
    Rule.CORRECT_COUNT: "correct_answers",
    Rule.ANSWER_NOT_AN_OPTION: "correct_answers",
    Rule.UNKNOWN_DOMAIN: "domain",
    Rule.UNKNOWN_DIFFICULTY: "difficulty",
    Rule.EMPTY_TEXT: "question_text",
    Rule.EMPTY_EXPLANATION: "explanation",
    Rule.BAD_REFERENCE_URL: "reference_url",
    Rule.DUPLICATE: "question_text",
}


USED_QUESTION_MOVED = (
    "This question is in learners' quizzes: its exam can't change. Retire it and add a new one instead."
)


def question_check(question: Question) -> ValidQuestion:
    """Apply the generation rules to a question edited by hand; errors name the field."""
    # A quiz holds questions of its own certification only, and grading files the learner's
    # answers under the question's domain: a used question moved to another exam would mix them.
    moved_while_used = (
        QuizQuestion.objects.filter(question_id=question.pk)
        .exclude(question__certification_id=question.certification_id)
        .exists()
    )
    if moved_while_used:
        raise ValidationError({"certification": USED_QUESTION_MOVED})
    if question.domain_id and question.domain.certification_id != question.certification_id:
        # Domains are checked by name below, and two exams may both have one of that name.
        raise ValidationError({"domain": "The domain must be one of the question's exam."})
    domains = list(question.certification.domains.all()) if question.certification_id else []
    try:
        item = validate_question(
            {
                "domain": question.domain.name if question.domain_id else "",
                "difficulty": question.difficulty,
                "question_type": question.question_type,
                "question_text": question.question_text,
                "options": question.options,
                "correct_answers": question.correct_answers,
                "explanation": question.explanation,
                "reference_url": question.reference_url,
            },
            domain_names=[domain.name for domain in domains],
        )
    except InvalidQuestion as error:
        raise ValidationError({RULE_FIELDS.get(error.rule, NON_FIELD_ERRORS): error.message}) from None
    duplicate = (
        Question.objects.filter(certification_id=question.certification_id, content_hash=item.content_hash)
        .exclude(pk=question.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError({"question_text": "The bank already has this question for this certification."})
    return item


@transaction.atomic
def question_save(*, question: Question) -> Question:
    """Save a question edited by hand (admin) after the same checks as generated questions."""
    item = question_check(question)
    question.options = item.options
    question.correct_answers = item.correct_answers
    question.question_text = item.question_text
    question.explanation = item.explanation
    question.reference_url = item.reference_url
    question.content_hash = item.content_hash
    question.save()
    return question
