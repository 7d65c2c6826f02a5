from collections.abc import Iterable

from django.core.exceptions import ValidationError


def validate_domain_weights(weights: Iterable[int]) -> None:
    """A blueprint's domain weights are percentages of one exam: together they make 100."""
    weights = list(weights)
    total = sum(weights)
    if weights and total != 100:
        raise ValidationError(
            "Domain weights must sum to 100%% (they sum to %(total)s%%).",
            code="weights_sum",
            params={"total": total},
        )
