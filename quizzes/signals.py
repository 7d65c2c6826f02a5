from django.dispatch import Signal

# Sent once per graded quiz by quiz_evaluate, inside its transaction, with `evaluation`
# (a quizzes.services.evaluation.Evaluation). A receiver may return a dict that is merged into
# the evaluation result; a receiver that raises rolls the whole evaluation back.
quiz_evaluated = Signal()
