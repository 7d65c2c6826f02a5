"""Property tests: grading and planning hold for any input, not just the examples."""

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.models import XP_PER_CORRECT, Difficulty, QuestionType
from quizzes.planning import DomainInput, plan_quiz, type_mix
from quizzes.rules import is_correct, next_difficulty, normalize_answer, xp_for

option_texts = st.lists(
    st.text(min_size=1, max_size=12).filter(str.strip), min_size=2, max_size=6, unique_by=str.casefold
)


@st.composite
def multi_select(draw):
    options = draw(option_texts.filter(lambda o: len(o) >= 3))
    correct = draw(st.lists(st.sampled_from(options), min_size=2, max_size=len(options) - 1, unique=True))
    chosen = draw(st.lists(st.sampled_from(options), max_size=len(options), unique=True))
    return options, correct, chosen


@given(multi_select())
def test_multi_select_is_right_exactly_when_the_sets_match(case):
    options, correct, chosen = case
    answer = normalize_answer(QuestionType.MULTI_SELECT, options, chosen)
    assert is_correct(QuestionType.MULTI_SELECT, correct, answer) == (set(chosen) == set(correct))


@given(option_texts, st.data())
def test_a_single_answer_is_right_exactly_when_it_is_the_correct_option(options, data):
    correct = data.draw(st.sampled_from(options))
    chosen = data.draw(st.sampled_from(options))
    answer = normalize_answer(QuestionType.MULTIPLE_CHOICE, options, chosen)
    assert is_correct(QuestionType.MULTIPLE_CHOICE, [correct], answer) == (chosen == correct)


@given(
    st.sampled_from(["True", "False"]),
    st.sampled_from(["true", "TRUE", "True", "false", "FALSE", "False", " True "]),
)
def test_true_false_ignores_case(correct, typed):
    answer = normalize_answer(QuestionType.TRUE_FALSE, ["True", "False"], typed)
    assert is_correct(QuestionType.TRUE_FALSE, [correct], answer) == (
        typed.strip().casefold() == correct.casefold()
    )


@given(option_texts, st.text(max_size=12))
def test_anything_but_an_option_is_refused_or_unanswered(options, typed):
    try:
        answer = normalize_answer(QuestionType.MULTIPLE_CHOICE, options, typed)
    except ValueError:
        assert typed not in options
    else:
        assert answer is None or answer == [typed]


@given(st.sampled_from(Difficulty.values), st.booleans())
def test_xp_is_0_or_the_difficultys_reward(difficulty, correct):
    assert xp_for(difficulty, correct) == (XP_PER_CORRECT[Difficulty(difficulty)] if correct else 0)


@given(st.sampled_from(Difficulty.values), st.none() | st.floats(min_value=0, max_value=1))
def test_difficulty_moves_at_most_one_step(current, accuracy):
    order = list(Difficulty.values)
    assert abs(order.index(next_difficulty(current, accuracy)) - order.index(current)) <= 1


@st.composite
def learner_state(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    weights = draw(st.lists(st.integers(min_value=1, max_value=60), min_size=count, max_size=count))
    return [
        DomainInput(
            id=uuid.uuid4(),
            name=f"Domain {i}",
            weight=weight,
            difficulty=draw(st.none() | st.sampled_from(Difficulty.values)),
            is_weak=draw(st.booleans()),
        )
        for i, weight in enumerate(weights)
    ]


@settings(max_examples=300)
@given(
    learner_state(),
    st.integers(min_value=1, max_value=65),
    st.none() | st.sampled_from(Difficulty.values),
    st.none() | st.sampled_from(Difficulty.values),
)
def test_any_learner_state_gives_a_valid_plan(domains, count, base, fixed):
    plan = plan_quiz(domains=domains, count=count, base_difficulty=base, fixed_difficulty=fixed)
    by_id = {d.id: d for d in domains}
    assert len(plan) == count
    assert all(slot.domain_id in by_id and slot.domain == by_id[slot.domain_id].name for slot in plan)
    assert {
        slot.question_type: sum(s.question_type == slot.question_type for s in plan) for slot in plan
    } == {t: n for t, n in type_mix(count).items() if n}
    for slot in plan:
        domain = by_id[slot.domain_id]
        assert slot.difficulty == (fixed or domain.difficulty or base or Difficulty.EASY)
    if any(d.is_weak for d in domains):
        assert 2 * sum(by_id[s.domain_id].is_weak for s in plan) >= count
