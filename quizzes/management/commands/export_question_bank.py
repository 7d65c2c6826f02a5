from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from certifications.models import Certification
from quizzes.bank_files import bank_file_name, render_bank_file
from quizzes.models import Question


class Command(BaseCommand):
    help = "Write the active bank (curated and generated) as one JSON file per certification."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True, help="Folder to write the files into.")
        parser.add_argument("--certification", help="Only this exam code.")

    def handle(self, *args, **options) -> None:
        output: Path = options["output"]
        output.mkdir(parents=True, exist_ok=True)
        certifications = Certification.objects.order_by("code")
        if options["certification"]:
            certifications = certifications.filter(code=options["certification"].upper())
        for certification in certifications:
            questions = list(
                Question.objects.active().filter(certification=certification).select_related("domain")
            )
            if not questions:
                continue
            path = output / bank_file_name(certification)
            path.write_text(render_bank_file(certification, questions), encoding="utf-8")
            self.stdout.write(f"{certification.code:8} {len(questions):4} questions → {path}")
