"""The one door to the outside world: an OpenAI-compatible chat model that writes quiz questions.

Everything else talks to `QuestionWriter`; only this module knows about the `openai` package, its
errors, the prompt and the JSON schema of the structured output."""

import functools
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

import openai
from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Wanted:
    domain: str
    difficulty: str
    question_type: str
    count: int


@dataclass(frozen=True)
class QuestionRequest:
    certification_code: str
    certification_name: str
    domains: list[tuple[str, int]]  # every domain of the blueprint, with its weight
    wanted: list[Wanted]
    avoid: list[str]  # question texts already in the bank: do not repeat them

    @property
    def count(self) -> int:
        return sum(w.count for w in self.wanted)


@dataclass(frozen=True)
class WriterReply:
    items: list[Any] | None  # None when the output was not the JSON that was asked for
    tokens: int
    model: str
    latency_ms: int


class WriterUnavailable(Exception):
    """The model could not be reached or refused: timeout, rate limit, server error, network."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class QuestionWriter(Protocol):
    model: str

    def write(self, request: QuestionRequest) -> WriterReply: ...


# --- Prompt and schema ----------------------------------------------------------------------------

SYSTEM_PROMPT = (
    "You write practice questions for AWS certification exams. Questions are accurate for current "
    "AWS services, names and limits, exam-like (scenario-based for associate and professional "
    "exams), with plausible distractors. Each explanation says why the correct answer is right and "
    "why each other option is wrong. reference_url is the AWS documentation page the question rests on."
)


def response_schema(domain_names: list[str]) -> dict:
    """The structured output: {"questions": [...]}, each item as our validator expects it."""
    item = {
        "type": "object",
        "properties": {
            "domain": {"type": "string", "enum": domain_names},
            "difficulty": {"type": "string", "enum": ["easy", "medium", "hard"]},
            "question_type": {"type": "string", "enum": ["multiple_choice", "multi_select", "true_false"]},
            "question_text": {"type": "string"},
            "options": {"type": "array", "items": {"type": "string"}},
            "correct_answers": {"type": "array", "items": {"type": "string"}},
            "explanation": {"type": "string"},
            "reference_url": {"type": "string"},
        },
        "required": [
            "domain",
            "difficulty",
            "question_type",
            "question_text",
            "options",
            "correct_answers",
            "explanation",
            "reference_url",
        ],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {"questions": {"type": "array", "items": item}},
        "required": ["questions"],
        "additionalProperties": False,
    }


def build_messages(request: QuestionRequest) -> list[dict[str, str]]:
    blueprint = "\n".join(f"- {name} ({weight}%)" for name, weight in request.domains)
    wanted = "\n".join(
        f"- {w.count} × {w.difficulty} {w.question_type} in domain “{w.domain}”" for w in request.wanted
    )
    avoid = "\n".join(f"- {text}" for text in request.avoid) or "- (none yet)"
    user = f"""Exam: {request.certification_code} {request.certification_name}
Exam domains:
{blueprint}

Write exactly these {request.count} questions:
{wanted}

Rules:
- multiple_choice: 4 distinct options, exactly one correct.
- multi_select: 5 distinct options, 2 or 3 correct; end the question with "(Select TWO.)" or "(Select THREE.)".
- true_false: options exactly ["True", "False"], one correct.
- correct_answers repeats the exact text of the correct option(s).
- easy recalls one concept; medium applies it to a scenario; hard weighs several constraints.
- Do not repeat or paraphrase these existing questions:
{avoid}
"""
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


# --- OpenAI ---------------------------------------------------------------------------------------

# US dollars per million tokens (input, output), for the cost estimate in the logs.
PRICES = {"gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.50, 10.00), "gpt-4.1-mini": (0.40, 1.60)}


def estimated_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    price = PRICES.get(model)
    if price is None:
        return None
    return round((prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000, 6)


class OpenAIQuestionWriter:
    def __init__(self, *, api_key: str, model: str, base_url: str | None, timeout: float, max_retries: int):
        self.model = model
        self.client = openai.OpenAI(
            api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=max_retries
        )

    def write(self, request: QuestionRequest) -> WriterReply:
        started = time.monotonic()
        try:
            completion = self.client.chat.completions.create(
                model=self.model,
                messages=build_messages(request),
                response_format={
                    "type": "json_schema",
                    "json_schema": {
                        "name": "quiz_questions",
                        "strict": True,
                        "schema": response_schema([name for name, _ in request.domains]),
                    },
                },
                temperature=0.7,
            )
        except openai.APITimeoutError:
            raise WriterUnavailable("timeout") from None
        except openai.RateLimitError:
            raise WriterUnavailable("rate_limited") from None
        except openai.APIStatusError as error:
            raise WriterUnavailable(f"http_{error.status_code}") from None
        except openai.APIError as error:
            raise WriterUnavailable(error.__class__.__name__) from None
        latency_ms = int((time.monotonic() - started) * 1000)

        usage = completion.usage
        prompt_tokens = usage.prompt_tokens if usage else 0
        completion_tokens = usage.completion_tokens if usage else 0
        logger.info(
            "llm call",
            extra={
                "llm_model": completion.model or self.model,
                "llm_prompt_tokens": prompt_tokens,
                "llm_completion_tokens": completion_tokens,
                "llm_latency_ms": latency_ms,
                "llm_cost_usd": estimated_cost(self.model, prompt_tokens, completion_tokens),
                "llm_questions_asked": request.count,
            },
        )
        content = completion.choices[0].message.content if completion.choices else None
        try:
            items = json.loads(content or "")["questions"]
            if not isinstance(items, list):
                items = None
        except (ValueError, TypeError, KeyError):
            items = None
        return WriterReply(
            items=items, tokens=prompt_tokens + completion_tokens, model=self.model, latency_ms=latency_ms
        )


@functools.cache
def _writer(
    api_key: str, model: str, base_url: str, timeout: float, max_retries: int
) -> OpenAIQuestionWriter:
    return OpenAIQuestionWriter(
        api_key=api_key, model=model, base_url=base_url, timeout=timeout, max_retries=max_retries
    )


def get_question_writer() -> QuestionWriter | None:
    """The configured writer, or None without OPENAI_API_KEY (then the bank alone serves)."""
    if not settings.OPENAI_API_KEY:
        return None
    return _writer(
        settings.OPENAI_API_KEY,
        settings.OPENAI_MODEL,
        settings.OPENAI_BASE_URL,
        settings.OPENAI_TIMEOUT,
        settings.OPENAI_MAX_RETRIES,
    )
