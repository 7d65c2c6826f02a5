from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from accounts.models import AuthSession


class Command(BaseCommand):
    help = (
        "Delete what has expired: blacklisted and outstanding JWTs past their expiry, ended API "
        "sessions, web sessions, and finished background-task results. Safe to run from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=30, help="Keep ended sessions and task results this long."
        )

    def handle(self, *args, **options) -> None:
        cutoff = timezone.now() - timedelta(days=options["days"])
        call_command("flushexpiredtokens", verbosity=0)
        self.stdout.write("Expired outstanding and blacklisted tokens deleted.")
        deleted, _ = AuthSession.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()
        self.stdout.write(f"{deleted} ended API session(s) deleted.")
        call_command("clearsessions", verbosity=0)
        self.stdout.write("Expired web sessions deleted.")
        if settings.TASKS_BACKEND == "database":
            call_command("prune_db_task_results", min_age_days=options["days"], verbosity=0)
            self.stdout.write(f"Task results finished more than {options['days']} days ago deleted.")
        else:
            self.stdout.write("Task results: none kept (tasks run inline with TASKS_BACKEND=immediate).")
