from django.tasks import task

from quizzes.services.topup import bank_top_up as bank_top_up_service


@task()
def bank_top_up(certification_id: str, domain_id: str | None = None, difficulty: str | None = None) -> dict:
    """Top up one cell of the bank (or, without domain and difficulty, all of the certification's)."""
    cells = [(domain_id, difficulty)] if domain_id and difficulty else None
    report = bank_top_up_service(certification_id=certification_id, cells=cells)
    return {
        "added": report.added,
        "cells_below": report.cells_below,
        "busy": report.cells_busy,
        "stopped": report.stopped,
    }
