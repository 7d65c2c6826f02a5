from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from certifications.models import Certification, ExamDomain
from quizzes.llm import get_question_writer
from quizzes.services.topup import bank_top_up, cells_below_target


class Command(BaseCommand):
    help = "Fill every (certification, domain, difficulty) cell of the bank up to its target, now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--certification", help="Only this exam code (default: all active ones).")
        parser.add_argument("--target", type=int, help="Questions per cell (default BANK_TARGET_PER_CELL).")

    def handle(self, *args, **options) -> None:
        if get_question_writer() is None:
            raise CommandError("OPENAI_API_KEY is not set: there is no model to generate questions with.")
        target = options["target"] or settings.BANK_TARGET_PER_CELL
        certifications = Certification.objects.active().prefetch_related("domains").order_by("code")
        if options["certification"]:
            certifications = certifications.filter(code=options["certification"].upper())
            if not certifications:
                raise CommandError(f"No active certification with code {options['certification']}.")
        todo = sum(len(cells_below_target(certification=c, target=target)) for c in certifications)
        self.stdout.write(f"{todo} cell(s) below {target} questions.")
        done = 0

        def progress(domain: ExamDomain, difficulty: str, added: int) -> None:
            nonlocal done
            done += 1
            filled = int(30 * done / max(todo, 1))
            self.stdout.write(
                f"\r[{'█' * filled}{'░' * (30 - filled)}] {done}/{todo} cells · +{added} in {domain.name[:40]} ({difficulty})",
                ending="",
            )
            self.stdout.flush()

        total = tokens = 0
        for certification in certifications:
            report = bank_top_up(certification_id=certification.pk, target=target, on_cell=progress)
            total += report.added
            tokens += report.tokens
            if report.stopped:
                self.stdout.write("")
                self.stdout.write(self.style.WARNING(f"Stopped: {report.stopped}."))
                break
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Added {total} questions to the bank ({tokens} tokens)."))
