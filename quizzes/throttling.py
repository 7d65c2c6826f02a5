from django.conf import settings

from accounts.models import User
from mindquest.common import ratelimit


def quiz_generation_allowed(*, learner: User) -> None:
    """Each learner may start QUIZ_GENERATE_RATE quizzes (default 30 an hour)."""
    ratelimit.hit("quiz-generate", str(learner.pk), settings.QUIZ_GENERATE_RATE)
