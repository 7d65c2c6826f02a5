from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certifications"

    def ready(self) -> None:
        from certifications import receivers  # noqa: F401  (keeps the cached catalog current)
