import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from progress.seeding import PASSWORD, seed_load_data


class Command(BaseCommand):
    help = "Insert a realistic load-test data set: learners with completed quizzes and their progress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, required=True)
        parser.add_argument("--quizzes-per-learner", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument("--batch", type=int, default=2000, help="Learners written per transaction.")

    def handle(self, *args, **options) -> None:
        learners = options["learners"]
        if learners < 1 or options["quizzes_per_learner"] < 0:
            raise CommandError("--learners must be at least 1 and --quizzes-per-learner at least 0.")
        started = time.monotonic()

        def progress(done: int) -> None:
            elapsed = time.monotonic() - started
            rate = done / elapsed if elapsed else 0
            eta = (learners - done) / rate if rate else 0
            filled = int(30 * done / learners)
            self.stdout.write(
                f"\r[{'█' * filled}{'░' * (30 - filled)}] {done}/{learners} learners · {rate:,.0f}/s · {eta:,.0f}s left",
                ending="",
            )
            self.stdout.flush()

        try:
            report = seed_load_data(
                learners=learners,
                quizzes_per_learner=options["quizzes_per_learner"],
                seed=options["seed"],
                batch=options["batch"],
                on_batch=progress,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {report.learners:,} learners, {report.quizzes:,} quizzes, {report.quiz_questions:,} answers "
                f"in {time.monotonic() - started:,.0f}s (password for all: {PASSWORD})."
            )
        )
