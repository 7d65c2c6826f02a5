"""The quiz planner: which domains, at which difficulty, with which question types. Pure: it
takes the learner's state as values and returns slots, one per question to serve."""

import math
import uuid
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from quizzes.models import Difficulty, QuestionType


@dataclass(frozen=True)
class DomainInput:
    id: uuid.UUID
    name: str
    weight: int
    difficulty: str | None = None  # the learner's own difficulty here, if they have one
    is_weak: bool = False


@dataclass(frozen=True)
class Slot:
    domain_id: uuid.UUID
    domain: str
    difficulty: str
    question_type: str


def type_mix(count: int) -> dict[str, int]:
    """3 multiple choice, 1 multi-select, 1 true/false for 5 questions; scaled for other counts."""
    others = (count + 2) // 5
    return {
        QuestionType.MULTIPLE_CHOICE: count - 2 * others,
        QuestionType.MULTI_SELECT: others,
        QuestionType.TRUE_FALSE: others,
    }


def allocate(count: int, weights: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """Split `count` in proportion to `weights` (largest remainder; ties go to the heavier, then
    the earlier key), so the parts always add up to `count`."""
    if count <= 0 or not weights:
        return dict.fromkeys(weights, 0)
    total = sum(weights.values()) or len(weights)
    exact = {key: count * (weight or (total / len(weights))) / total for key, weight in weights.items()}
    parts = {key: math.floor(share) for key, share in exact.items()}
    order = list(weights)
    by_remainder = sorted(
        order, key=lambda key: (-(exact[key] - parts[key]), -weights[key], order.index(key))
    )
    for key in by_remainder[: count - sum(parts.values())]:
        parts[key] += 1
    return parts


def _spread(counts: Mapping[str, int]) -> list[str]:
    """Interleave the types so the minority types do not bunch at the end."""
    remaining = dict(counts)
    sequence: list[str] = []
    while any(remaining.values()):
        for question_type in sorted(remaining, key=lambda t: -remaining[t]):
            if remaining[question_type]:
                sequence.append(question_type)
                remaining[question_type] -= 1
    return sequence


def plan_quiz(
    *,
    domains: Sequence[DomainInput],
    count: int,
    base_difficulty: str | None = None,
    fixed_difficulty: str | None = None,
) -> list[Slot]:
    """One slot per question. Domains follow the blueprint weights, and weak domains get at least
    half of the quiz when there are any. Difficulty: `fixed_difficulty` if asked for, else the
    domain's own, else the certification's (`base_difficulty`), else easy."""
    if not domains:
        raise ValueError("a certification needs exam domains to plan a quiz")
    if count < 1:
        raise ValueError("a quiz has at least one question")

    weights = {domain.id: domain.weight for domain in domains}
    weak = {domain.id: domain.weight for domain in domains if domain.is_weak}
    per_domain = dict.fromkeys(weights, 0)
    weak_share = math.ceil(count / 2) if weak else 0
    for domain_id, part in allocate(weak_share, weak).items():
        per_domain[domain_id] += part
    for domain_id, part in allocate(count - weak_share, weights).items():
        per_domain[domain_id] += part

    fallback = base_difficulty or Difficulty.EASY
    types = iter(_spread(type_mix(count)))
    slots = []
    for domain in sorted(domains, key=lambda d: -per_domain[d.id]):
        difficulty = str(fixed_difficulty or domain.difficulty or fallback)
        for _ in range(per_domain[domain.id]):
            slots.append(Slot(domain.id, domain.name, difficulty, str(next(types))))
    return slots
