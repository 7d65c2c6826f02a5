"""The dashboard and achievements pages."""

from datetime import UTC, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from progress import selectors
from progress.charts import domain_accuracy_chart, xp_over_time_chart
from quizzes.models import RECENT_WINDOW
from quizzes.rules import WEAK_RULE
from quizzes.selectors import recent_quizzes_from, recent_quizzes_read, xp_by_day_from, xp_by_day_read

CHART_DAYS = 30
RECENT_QUIZZES = 5


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    learner = request.user
    today = timezone.now().astimezone(UTC).date()
    data, (xp_rows, recent_rows) = selectors.dashboard_and(
        learner=learner,
        reads=[
            xp_by_day_read(learner=learner, since=today - timedelta(days=CHART_DAYS - 1)),
            recent_quizzes_read(learner=learner, limit=RECENT_QUIZZES),
        ],
    )
    selected = data.profile.selected_certification
    domain_chart = None
    if selected is not None:
        stats = {stat.name: stat for stat in data.selected.state.domains}
        weak = {w.name for w in data.selected.state.weak_domains}
        rows = []
        for domain in selected.domains.all():
            stat = stats.get(domain.name)
            rows.append(
                (
                    domain.name,
                    stat.accuracy if stat else None,
                    stat.answered if stat else 0,
                    domain.name in weak,
                )
            )
        domain_chart = domain_accuracy_chart(rows)
    xp_chart = xp_over_time_chart(
        xp_by_day=xp_by_day_from(xp_rows),
        xp_total=data.profile.profile.xp,
        today=today,
        days=CHART_DAYS,
    )
    recent_quizzes = recent_quizzes_from(recent_rows)
    return render(
        request,
        "progress/dashboard.html",
        {
            "data": data,
            "selected": selected,
            "recent_quizzes": recent_quizzes,
            # The list shows only the newest unfinished quiz: then its history link shows them all.
            "history_status": "all" if any(not quiz.is_completed for quiz in recent_quizzes) else None,
            "domain_chart": domain_chart,
            "xp_chart": xp_chart,
            "weak_rule": WEAK_RULE,
            "recent_window": RECENT_WINDOW,
        },
    )


@login_required
def achievements(request: HttpRequest) -> HttpResponse:
    earned, locked = selectors.achievement_board(learner=request.user)
    return render(
        request,
        "progress/achievements.html",
        {"earned": earned, "locked": locked, "total": len(earned) + len(locked)},
    )
