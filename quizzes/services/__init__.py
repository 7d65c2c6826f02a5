"""The quiz engine's write use cases."""

from quizzes.services.bank import (
    GenerationReport,
    LoadReport,
    bank_file_load,
    question_check,
    question_save,
    questions_generate,
    questions_save,
    questions_set_status,
)
from quizzes.services.evaluation import Evaluation, quiz_evaluate
from quizzes.services.generation import GeneratedQuiz, quiz_generate

__all__ = [
    "Evaluation",
    "GeneratedQuiz",
    "GenerationReport",
    "LoadReport",
    "bank_file_load",
    "question_check",
    "question_save",
    "questions_generate",
    "questions_save",
    "questions_set_status",
    "quiz_evaluate",
    "quiz_generate",
]
