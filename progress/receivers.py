from django.dispatch import receiver

from accounts.models import User
from mindquest.common.db import Read
from progress import services
from quizzes.services import Evaluation
from quizzes.signals import grading_reads, quiz_evaluated


@receiver(grading_reads, dispatch_uid="progress.reads_for_grading")
def reads_for_grading(sender: type, *, learner: User, **kwargs) -> dict[str, Read]:
    """The progress rows and achievement keys, read with the quiz."""
    return services.reads_for_grading(learner=learner)


@receiver(quiz_evaluated, dispatch_uid="progress.on_quiz_evaluated")
def on_quiz_evaluated(sender: type, *, evaluation: Evaluation, **kwargs) -> dict:
    """Profile, then progress totals, then achievements, from the progress rows and achievement
    keys read with the quiz; what changed goes into the result."""
    quiz = evaluation.quiz
    rows, had = services.from_grading_reads(evaluation.read)
    profile = services.profile_record_quiz(
        learner=evaluation.learner, xp=quiz.xp_earned, now=evaluation.now, profile=evaluation.profile
    )
    progress = services.progress_record_quiz(
        learner=evaluation.learner,
        certification_id=quiz.certification_id,
        answered=evaluation.answered,
        correct=evaluation.correct,
        xp=quiz.xp_earned,
        rows=rows,
    )
    earned = services.achievements_award(
        learner=evaluation.learner,
        quiz_accuracy=quiz.accuracy,
        quiz_difficulty=quiz.difficulty,
        quiz_questions=quiz.total_questions,
        profile=profile,
        now=evaluation.now,
        progress=progress,
        # Mastery can only have come from this quiz's certification: the others did not change.
        domains=evaluation.state.domains,
        have=had,
    )
    return {
        "new_level": profile.level,
        "new_streak": profile.current_streak,
        "leveled_up": profile.level > profile.previous_level,
        "achievements": [rule.name for rule in earned],
    }
