from django.dispatch import Signal

# Sent by quiz_evaluate before it reads the quiz, with `learner`. A receiver may return a dict of
# mindquest.common.db.Read by name: they are sent with the grading's own first reads (after the
# quiz's and the profile's rows are locked) and their rows reach quiz_evaluated's receivers as
# `evaluation.read[name]`, so a receiver's reads cost no wait of their own. Names are the
# receiver's app label, a dot, and its own name.
grading_reads = Signal()

# Sent once per graded quiz by quiz_evaluate, inside its transaction, with `evaluation`
# (a quizzes.services.evaluation.Evaluation). A receiver may return a dict that is merged into
# the evaluation result; a receiver that raises rolls the whole evaluation back.
quiz_evaluated = Signal()
