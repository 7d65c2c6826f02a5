from django.apps import AppConfig


class ProgressConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "progress"

    def ready(self) -> None:
        from progress import receivers  # noqa: F401  (connects the grading receivers)
