from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.services import bank_file_load


class Command(BaseCommand):
    help = "Load curated question-bank files (default: every question_bank/*.json); safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="*", type=Path, help="Files or folders (default: the shipped bank)."
        )
        parser.add_argument(
            "--update", action="store_true", help="Refresh questions already in the bank from the files."
        )

    def handle(self, *args, **options) -> None:
        files = []
        for path in options["paths"] or [settings.QUESTION_BANK_DIR]:
            if path.is_dir():
                files += sorted(path.glob("*.json"))
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        if not files:
            raise CommandError("No question-bank files found.")

        failed = 0
        totals = {"added": 0, "updated": 0, "unchanged": 0}
        for path in files:
            report = bank_file_load(path=path, update=options["update"])
            if report.errors:
                failed += 1
                self.stderr.write(self.style.ERROR(f"{path}: rejected, nothing loaded from it:"))
                for error in report.errors:
                    self.stderr.write(f"  {error}")
                continue
            for key in totals:
                totals[key] += getattr(report, key)
            self.stdout.write(
                f"{report.certification:8} {report.added:4} added  {report.updated:4} updated"
                f"  {report.unchanged:4} already in the bank   ({path.name})"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Question bank: {totals['added']} added, {totals['updated']} updated, "
                f"{totals['unchanged']} already there, from {len(files) - failed} file(s)."
            )
        )
        if failed:
            raise CommandError(f"{failed} file(s) rejected; see above.")
