from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from quizzes.models import Question
from quizzes.selectors import bank_changed


@receiver([post_save, post_delete], sender=Question, dispatch_uid="quizzes.bank.question")
def on_question_change(sender: type, instance: Question, **kwargs) -> None:
    """A question saved or deleted one by one (admin, tests): every process draws from the change
    (the bulk writes in quizzes.services.bank say so themselves)."""
    bank_changed(certification_id=instance.certification_id)
