from collections import Counter

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certifications.models import Certification
from quizzes.llm import get_question_writer
from quizzes.models import Difficulty
from quizzes.services import questions_generate
from quizzes.services.bank import BATCH, batches, spread


class Command(BaseCommand):
    help = "Fill the question bank from the configured LLM (OPENAI_API_KEY, OPENAI_BASE_URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--certification", required=True, help="Exam code, e.g. SAA-C03.")
        parser.add_argument("--domain", help="Only this exam domain (its exact name).")
        parser.add_argument("--difficulty", choices=Difficulty.values, help="Only this difficulty.")
        parser.add_argument("--count", type=int, required=True, help="How many questions to add.")

    def handle(self, *args, **options) -> None:
        certification = Certification.objects.filter(code=options["certification"].upper()).first()
        if certification is None:
            raise CommandError(f"No certification with code {options['certification']}.")
        names = [d.name for d in certification.domains.all()]
        if options["domain"] and options["domain"] not in names:
            raise CommandError(
                f"{certification.code} has no domain {options['domain']!r}; it has: {', '.join(names)}."
            )
        if options["count"] < 1:
            raise CommandError("--count must be at least 1.")
        writer = get_question_writer()
        if writer is None:
            raise CommandError("OPENAI_API_KEY is not set: there is no model to generate questions with.")

        wanted = spread(
            certification=certification,
            count=options["count"],
            domain=options["domain"],
            difficulty=options["difficulty"],
        )
        total = sum(w.count for w in wanted)
        asked = accepted = tokens = calls = 0
        rejected: Counter = Counter()
        unavailable = ""
        done = 0
        for batch in batches(wanted, BATCH):
            report = questions_generate(certification=certification, wanted=batch, writer=writer)
            asked += report.asked
            accepted += report.accepted
            tokens += report.tokens
            calls += report.calls
            rejected += report.rejected
            done += sum(w.count for w in batch)
            self._progress(done, total, accepted)
            if report.unavailable:
                unavailable = report.unavailable
                break
        self.stdout.write("")
        self.stdout.write(f"Certification: {certification.code} {certification.name}")
        self.stdout.write(f"Asked:     {asked} questions in {calls} requests")
        self.stdout.write(self.style.SUCCESS(f"Accepted:  {accepted} (added to the bank)"))
        self.stdout.write(f"Rejected:  {sum(rejected.values())}")
        for reason, n in rejected.most_common():
            self.stdout.write(f"  {reason}: {n}")
        self.stdout.write(f"Tokens:    {tokens}")
        if unavailable:
            self.stdout.write(
                self.style.WARNING(f"Stopped early: the model was unavailable ({unavailable}).")
            )

    def _progress(self, done: int, total: int, accepted: int) -> None:
        width = 30
        filled = int(width * done / total)
        bar = "█" * filled + "░" * (width - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total} asked, {accepted} accepted", ending="")
        self.stdout.flush()
