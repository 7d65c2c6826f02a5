import factory

from certifications.tests.factories import CertificationFactory
from quizzes.models import Difficulty, Question, QuestionType
from quizzes.rules import content_hash

CONTENT = {
    QuestionType.MULTIPLE_CHOICE: (
        ["Amazon S3", "Amazon EBS", "Amazon EFS", "Instance store"],
        ["Amazon S3"],
    ),
    QuestionType.MULTI_SELECT: (
        ["Amazon S3", "Amazon DynamoDB", "Amazon EC2", "Amazon VPC", "AWS IAM"],
        ["Amazon S3", "Amazon DynamoDB"],
    ),
    QuestionType.TRUE_FALSE: (["True", "False"], ["True"]),
}


class QuestionFactory(factory.django.DjangoModelFactory):
    """A valid bank question; its options and answers follow its question_type."""

    class Meta:
        model = Question

    certification = factory.SubFactory(CertificationFactory)
    domain = factory.LazyAttribute(lambda q: q.certification.domains.order_by("order").first())
    difficulty = Difficulty.EASY
    question_type = QuestionType.MULTIPLE_CHOICE
    question_text = factory.Sequence(lambda n: f"Which storage fits scenario number {n}?")
    options = factory.LazyAttribute(lambda q: list(CONTENT[q.question_type][0]))
    correct_answers = factory.LazyAttribute(lambda q: list(CONTENT[q.question_type][1]))
    explanation = "S3 is durable object storage; the others are block or file storage."
    reference_url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html"
    content_hash = factory.LazyAttribute(lambda q: content_hash(q.question_text))


def make_bank(
    certification,
    *,
    per_cell: int = 3,
    difficulties=tuple(Difficulty.values),
    types=tuple(QuestionType.values),
):
    """`per_cell` questions for every domain × difficulty × type of the certification."""
    return [
        QuestionFactory(
            certification=certification, domain=domain, difficulty=difficulty, question_type=question_type
        )
        for domain in certification.domains.all()
        for difficulty in difficulties
        for question_type in types
        for _ in range(per_cell)
    ]


def valid_item(
    domain: str, difficulty: str = "easy", question_type: str = "multiple_choice", n: int = 0
) -> dict:
    """A generated item as the model returns it, valid unless a test breaks it."""
    options, answers = CONTENT[question_type]
    return {
        "domain": domain,
        "difficulty": difficulty,
        "question_type": question_type,
        "question_text": f"A generated {difficulty} question {n} about {domain}?",
        "options": list(options),
        "correct_answers": list(answers),
        "explanation": "Because the documentation says so, and the others do not apply.",
        "reference_url": "https://docs.aws.amazon.com/",
    }
