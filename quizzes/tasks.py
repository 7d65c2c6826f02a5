from django.tasks import task

from quizzes.services.topup import bank_top_up as bank_top_up_service


@task()
def bank_top_up(certification_id: str) -> dict:
    """Top up the certification's bank cells that quizzes drew below target."""
    report = bank_top_up_service(certification_id=certification_id)
    return {
        "added": report.added,
        "cells_below": report.cells_below,
        "busy": report.cells_busy,
        "stopped": report.stopped,
    }
