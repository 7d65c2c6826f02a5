from collections import defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.models import QuestionType
from quizzes.selectors import BankCell, bank_cells

MIN_PER_CERTIFICATION = 40
MIN_OTHER_TYPES_SHARE = 0.2  # multi-select plus true/false, of the certification's questions
SHORT = {QuestionType.MULTIPLE_CHOICE: "MC", QuestionType.MULTI_SELECT: "MS", QuestionType.TRUE_FALSE: "TF"}


class Command(BaseCommand):
    help = "Active questions per certification × domain × difficulty × type, flagging cells below target."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--target",
            type=int,
            default=None,
            help="Questions wanted per domain × difficulty (default BANK_MIN_PER_CELL).",
        )
        parser.add_argument(
            "--fail-below", action="store_true", help="Exit with an error if anything is flagged."
        )

    def handle(self, *args, **options) -> None:
        target = options["target"] or settings.BANK_MIN_PER_CELL
        cells: dict[str, list[BankCell]] = defaultdict(list)
        for cell in bank_cells():
            cells[cell.certification_code].append(cell)
        flagged = 0
        width = max((len(c.domain) for group in cells.values() for c in group), default=10)
        for code, group in cells.items():
            types = {t: sum(c.by_type[t] for c in group) for t in QuestionType.values}
            total = sum(types.values())
            others = types[QuestionType.MULTI_SELECT] + types[QuestionType.TRUE_FALSE]
            problems = []
            if total < MIN_PER_CERTIFICATION:
                problems.append(f"fewer than {MIN_PER_CERTIFICATION} questions")
            if any(n == 0 for n in types.values()):
                problems.append("a question type is missing")
            if total and others / total < MIN_OTHER_TYPES_SHARE:
                problems.append("multi-select + true/false below a fifth")
            share = f"{100 * others / total:.0f}%" if total else "-"
            mix = ", ".join(f"{SHORT[t]} {n}" for t, n in types.items())
            status = (
                self.style.ERROR("BELOW TARGET: " + "; ".join(problems))
                if problems
                else self.style.SUCCESS("ok")
            )
            self.stdout.write(f"\n{code}: {total} questions ({mix}; MS+TF {share})  {status}")
            self.stdout.write(f"  {'domain':{width}}  {'difficulty':10}   MC   MS   TF  total")
            for cell in group:
                low = cell.total < target
                mark = self.style.ERROR(f"  < {target}") if low else ""
                counts = "".join(f"{cell.by_type[t]:5}" for t in QuestionType.values)
                self.stdout.write(
                    f"  {cell.domain:{width}}  {cell.difficulty:10}{counts}  {cell.total:5}{mark}"
                )
                flagged += low
            flagged += bool(problems)
        summary = (
            f"\nTarget {target} per domain × difficulty: {flagged} cell(s) or certification(s) below target."
        )
        self.stdout.write(self.style.ERROR(summary) if flagged else self.style.SUCCESS(summary))
        if flagged and options["fail_below"]:
            raise CommandError("The bank is below target.")
