import json
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from certifications.models import Certification
from quizzes.bank_files import read_bank_file
from quizzes.models import Question, QuestionSource, QuestionStatus
from quizzes.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

SHIPPED = sorted(settings.QUESTION_BANK_DIR.glob("*.json"))
FIELDS = [
    "domain_id",
    "difficulty",
    "question_type",
    "question_text",
    "options",
    "correct_answers",
    "explanation",
    "reference_url",
]


def load(*paths, update: bool = False) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    args = [str(p) for p in paths] + (["--update"] if update else [])
    call_command("load_question_bank", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> set[tuple]:
    return {
        tuple(json.dumps(value, sort_keys=True) if isinstance(value, list) else str(value) for value in row)
        for row in Question.objects.values_list("certification__code", *FIELDS)
    }


# --- the shipped bank -----------------------------------------------------------------------------


def test_there_is_one_file_for_each_seeded_certification():
    assert {path.stem.upper() for path in SHIPPED} == set(
        Certification.objects.values_list("code", flat=True)
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_question_passes_validation(path):
    bank = read_bank_file(path)
    assert bank.errors == []
    assert len(bank.questions) == len(json.loads(path.read_text())["questions"])


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_certification_meets_the_coverage_targets(path):
    bank = read_bank_file(path)
    questions = bank.questions
    assert len(questions) >= 40
    cells = Counter((q.domain, q.difficulty) for q in questions)
    for domain in bank.certification.domains.all():
        for difficulty in ("easy", "medium", "hard"):
            assert cells[(domain.name, difficulty)] >= 2, (domain.name, difficulty)
    types = Counter(q.question_type for q in questions)
    assert set(types) == {"multiple_choice", "multi_select", "true_false"}
    assert (types["multi_select"] + types["true_false"]) * 5 >= len(questions)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_question_cites_aws_documentation(path):
    for question in read_bank_file(path).questions:
        assert question.reference_url.startswith(
            ("https://docs.aws.amazon.com/", "https://aws.amazon.com/")
        ), question.question_text[:60]


def test_multi_select_questions_say_how_many_to_select():
    for path in SHIPPED:
        for q in read_bank_file(path).questions:
            if q.question_type == "multi_select":
                word = {2: "TWO", 3: "THREE", 4: "FOUR"}[len(q.correct_answers)]
                assert f"(Select {word}.)" in q.question_text, q.question_text[:60]


def test_loading_the_bank_loads_every_question_and_twice_adds_nothing():
    output, errors = load()
    expected = sum(len(json.loads(p.read_text())["questions"]) for p in SHIPPED)
    assert errors == ""
    assert Question.objects.count() == expected
    assert set(Question.objects.values_list("source", flat=True)) == {QuestionSource.CURATED}
    assert f"{expected} added" in output
    output, _ = load()
    assert Question.objects.count() == expected
    assert f"0 added, 0 updated, {expected} already there" in output


def test_export_then_load_into_an_empty_database_round_trips_every_field(tmp_path):
    load()
    QuestionFactory(certification=Certification.objects.get(code="SAA-C03"), source=QuestionSource.GENERATED)
    before = snapshot()
    call_command("export_question_bank", "--output", str(tmp_path), stdout=StringIO())
    Question.objects.all().delete()
    load(tmp_path)
    assert snapshot() == before


def test_an_export_of_the_shipped_bank_reproduces_its_files_byte_for_byte(tmp_path):
    load()
    call_command("export_question_bank", "--output", str(tmp_path), stdout=StringIO())
    for path in SHIPPED:
        assert (tmp_path / path.name).read_text() == path.read_text(), path.name


def test_export_leaves_retired_questions_out(tmp_path):
    saa = Certification.objects.get(code="SAA-C03")
    kept = QuestionFactory(certification=saa, question_text="Kept question?")
    QuestionFactory(certification=saa, question_text="Retired question?", status=QuestionStatus.RETIRED)
    call_command("export_question_bank", "--output", str(tmp_path), stdout=StringIO())
    exported = json.loads((tmp_path / "saa-c03.json").read_text())
    assert [q["question_text"] for q in exported["questions"]] == [kept.question_text]
    assert list(exported["questions"][0]) == [
        "domain",
        "difficulty",
        "question_type",
        "question_text",
        "options",
        "correct_answer",
        "explanation",
        "reference_url",
    ]


# --- rejected files -------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, questions: list, code: str = "CLF-C02") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"certification": code, "questions": questions}, indent=2))
    return path


def good(n: int) -> dict:
    return {
        "domain": "Cloud Concepts",
        "difficulty": "easy",
        "question_type": "true_false",
        "question_text": f"The AWS Cloud lets a company trade fixed expense for variable expense ({n}).",
        "options": ["True", "False"],
        "correct_answer": "True",
        "explanation": "Pay-as-you-go replaces up-front data-centre investment.",
        "reference_url": "https://docs.aws.amazon.com/whitepapers/latest/aws-overview/six-advantages-of-cloud-computing.html",
    }


def test_an_invalid_file_is_rejected_whole_naming_file_question_and_rule(tmp_path):
    bad = write(
        tmp_path, "bad.json", [good(1), {**good(2), "options": ["Yes", "No"]}, {**good(3), "domain": "Nope"}]
    )
    fine = write(tmp_path, "fine.json", [good(4)])
    with pytest.raises(CommandError, match="1 file"):
        load(bad, fine)
    assert not Question.objects.filter(question_text__contains="(1)").exists()
    assert Question.objects.filter(question_text__contains="(4)").count() == 1


def test_the_rejection_message_names_file_question_and_rule(tmp_path):
    bad = write(
        tmp_path, "bad.json", [good(1), {**good(2), "options": ["Yes", "No"]}, {**good(3), "domain": "Nope"}]
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_question_bank", str(bad), stdout=StringIO(), stderr=err)
    # Counted from 1: the second and third questions of the file.
    assert f"{bad}: question 2: true_false_options:" in err.getvalue()
    assert f"{bad}: question 3: unknown_domain:" in err.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"certification": "CLF-C02"}', "expected"),
        ('{"certification": "XYZ-C99", "questions": []}', "unknown certification 'XYZ-C99'"),
    ],
)
def test_unreadable_files_are_explained(tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_text(content)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_question_bank", str(path), stdout=StringIO(), stderr=err)
    assert message in err.getvalue()


def test_duplicates_within_a_file_are_rejected(tmp_path):
    path = write(tmp_path, "dupes.json", [good(1), {**good(1), "explanation": "Same question again."}])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_question_bank", str(path), stdout=StringIO(), stderr=err)
    assert "question 2: duplicate: same text as question 1" in err.getvalue()


def test_bank_files_need_a_reference_url(tmp_path):
    path = write(tmp_path, "nourl.json", [{**good(1), "reference_url": ""}])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_question_bank", str(path), stdout=StringIO(), stderr=err)
    assert "question 1: bad_reference_url" in err.getvalue()


def test_update_refreshes_questions_already_in_the_bank(tmp_path):
    load(write(tmp_path, "v1.json", [good(1)]))
    output, _ = load(
        write(tmp_path, "v2.json", [{**good(1), "explanation": "A better explanation."}]), update=True
    )
    assert Question.objects.get().explanation == "A better explanation."
    assert "1 updated" in output


def test_without_update_edits_made_in_admin_are_kept(tmp_path):
    path = write(tmp_path, "v1.json", [good(1)])
    load(path)
    Question.objects.update(explanation="Edited in admin.")
    load(path)
    assert Question.objects.get().explanation == "Edited in admin."


# --- bank_stats -----------------------------------------------------------------------------------


def test_bank_stats_shows_the_shipped_bank_at_target():
    load()
    out = StringIO()
    call_command("bank_stats", "--fail-below", stdout=out)
    text = out.getvalue()
    assert "0 cell(s) or certification(s) below target" in text
    for path in SHIPPED:
        assert f"{path.stem.upper()}: {len(json.loads(path.read_text())['questions'])} questions" in text
    assert "Design Secure Architectures" in text


def test_bank_stats_flags_cells_below_target():
    out = StringIO()
    with pytest.raises(CommandError, match="below target"):
        call_command("bank_stats", "--fail-below", stdout=out)
    assert "< 2" in out.getvalue()
    assert "fewer than 40 questions" in out.getvalue()
