from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes"

    def ready(self) -> None:
        from quizzes import receivers  # noqa: F401  (keeps each process's copy of the bank current)
