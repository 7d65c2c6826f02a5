"""The quiz engine's write use cases."""

from quizzes.services.bank import GenerationReport, questions_generate, questions_save
from quizzes.services.evaluation import Evaluation, quiz_evaluate
from quizzes.services.generation import GeneratedQuiz, quiz_generate

__all__ = [
    "Evaluation",
    "GeneratedQuiz",
    "GenerationReport",
    "questions_generate",
    "questions_save",
    "quiz_evaluate",
    "quiz_generate",
]
