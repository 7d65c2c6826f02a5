"""The deployment's daily LLM token budget (LLM_DAILY_TOKEN_BUDGET), counted per UTC day on the
shared cache so every web process and worker spends from the same purse."""

import logging
from datetime import UTC, date, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

TWO_DAYS = 2 * 86400


def _today(now: datetime | None) -> date:
    return (now or timezone.now()).astimezone(UTC).date()


def _key(day: date) -> str:
    return f"llm-tokens:{day.isoformat()}"


def tokens_spent(*, now: datetime | None = None) -> int:
    return cache.get(_key(_today(now))) or 0


def is_spent(*, now: datetime | None = None) -> bool:
    budget = settings.LLM_DAILY_TOKEN_BUDGET
    return bool(budget) and tokens_spent(now=now) >= budget


def record_tokens(tokens: int, *, now: datetime | None = None) -> None:
    if tokens <= 0:
        return
    key = _key(_today(now))
    cache.add(key, 0, timeout=TWO_DAYS)
    try:
        spent = cache.incr(key, tokens)
    except ValueError:
        cache.add(key, tokens, timeout=TWO_DAYS)
        spent = tokens
    budget = settings.LLM_DAILY_TOKEN_BUDGET
    if budget and spent >= budget > spent - tokens:
        logger.warning(
            "LLM daily token budget spent: %s of %s tokens; quizzes come from the bank until 00:00 UTC",
            spent,
            budget,
        )
