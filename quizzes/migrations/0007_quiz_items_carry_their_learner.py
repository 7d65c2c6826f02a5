from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_learners(apps, schema_editor):
    """Each existing quiz question gets its quiz's learner."""
    Quiz = apps.get_model("quizzes", "Quiz")
    QuizQuestion = apps.get_model("quizzes", "QuizQuestion")
    QuizQuestion.objects.update(
        learner=Subquery(Quiz.objects.filter(pk=OuterRef("quiz")).values("learner")[:1])
    )
    if schema_editor.connection.vendor == "postgresql":
        # Check the new foreign keys now: PostgreSQL refuses to alter a table (next, NOT NULL)
        # while checks deferred to the commit are pending on it.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0006_quiz_xp_labels_and_generation_source_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="quizquestion",
            name="learner",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(copy_learners, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="quizquestion",
            name="learner",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RemoveConstraint(
            model_name="quizquestion",
            name="quiz_question_unique_question",
        ),
        migrations.AddConstraint(
            model_name="quizquestion",
            constraint=models.UniqueConstraint(
                fields=("learner", "question", "quiz"), name="quiz_question_once_per_quiz"
            ),
        ),
    ]
