from contextlib import suppress

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, When
from django.http import HttpRequest

from certifications.models import ExamDomain
from mindquest.common.admin import LearnerHistoryAdmin
from quizzes import budget, selectors, services
from quizzes.models import Difficulty, Question, QuestionStatus, Quiz, QuizQuestion

FORM_FIELD = {"options": "options_text", "correct_answers": "correct_text"}

# Easy, medium, hard: the stored values sort alphabetically (easy, hard, medium).
DIFFICULTY_ORDER = Case(
    *(When(difficulty=value, then=rank) for rank, value in enumerate(Difficulty.values)),
    output_field=IntegerField(),
)


class DomainChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, domain: ExamDomain) -> str:
        return f"{domain.certification.code} — {domain.name}"


class LinesField(forms.CharField):
    """One item a line. Cleaned to its non-blank lines, stripped and joined by "\n", so that the
    browser's "\r\n" and stray blank lines are not taken for a change."""

    def to_python(self, value: str | None) -> str:
        text = super().to_python(value)
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())


class QuestionForm(forms.ModelForm):
    domain = DomainChoiceField(
        queryset=ExamDomain.objects.select_related("certification").order_by("certification__code", "order")
    )
    options_text = LinesField(
        label="Options",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One option per line, in the order shown. True/false questions: True and False.",
    )
    correct_text = LinesField(
        label="Correct answer",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The exact text of the correct option; one per line for multi-select.",
    )

    class Meta:
        model = Question
        fields = [
            "certification",
            "domain",
            "difficulty",
            "question_type",
            "question_text",
            "options_text",
            "correct_text",
            "explanation",
            "reference_url",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields["options_text"].initial = "\n".join(self.instance.options)
            self.fields["correct_text"].initial = "\n".join(self.instance.correct_answers)
        if "certification" not in self.fields:  # read-only: the question is in learners' quizzes
            self.fields["domain"].queryset = self.fields["domain"].queryset.filter(
                certification_id=self.instance.certification_id
            )

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        # Not in the form when read-only (the question is in learners' quizzes).
        certification = data.get("certification") or self.instance.certification
        if data["domain"].certification_id != certification.pk:
            self.add_error("domain", f"Pick a domain of {certification.code}.")
            return data
        # The instance only receives the submitted values after clean(): check a candidate built
        # from them, with the rules every bank question passes.
        candidate = Question(
            pk=self.instance.pk,
            certification=certification,
            **{name: data[name] for name in ("domain", "difficulty", "question_type")},
            **{name: data[name] for name in ("question_text", "explanation", "reference_url")},
            options=data["options_text"].splitlines(),
            correct_answers=data["correct_text"].splitlines(),
        )
        try:
            services.question_check(candidate)
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                target = FORM_FIELD.get(field, field)
                self.add_error(target if target in self.fields else None, field_messages)
            return data
        self.instance.options = candidate.options
        self.instance.correct_answers = candidate.correct_answers
        return data


def _in_quizzes(question: Question) -> bool:
    """Whether learners' quizzes hold the question. Its change page asks four times (the read-only
    fields twice, the delete permission, the usage line): one query per object."""
    if not hasattr(question, "_in_quizzes"):
        question._in_quizzes = question.pk is not None and selectors.question_is_used(question_id=question.pk)
    return question._in_quizzes


class DomainFilter(admin.SimpleListFilter):
    """The domains of the certification filtered on (all of them, labelled, otherwise)."""

    title = "domain"
    parameter_name = "domain"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        domains = ExamDomain.objects.select_related("certification").order_by("certification__code", "order")
        if certification := request.GET.get("certification__id__exact"):
            # Not an id: every domain is listed, and the certification filter reports the value.
            with suppress(ValidationError):
                domains = domains.filter(certification_id=certification)
        return [(str(d.pk), f"{d.certification.code} — {d.name}") for d in domains]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        try:
            return queryset.filter(domain_id=self.value())
        except ValidationError as error:  # as Django's own filters do with a value they cannot use
            raise IncorrectLookupParameters(error) from error


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = [
        "short_text",
        "certification_code",
        "domain_name",
        "difficulty_level",
        "question_type",
        "source",
        "status",
        "times_answered",
        "answered_correctly",
    ]
    list_filter = ["certification", DomainFilter, "difficulty", "question_type", "source", "status"]
    list_select_related = ["certification", "domain"]
    search_fields = ["question_text", "explanation", "=certification__code"]  # "=": the whole code
    search_help_text = "Words of the question or explanation, or an exam code such as SAA-C03."
    ordering = ["certification__code", "domain__order", DIFFICULTY_ORDER, "question_text"]
    list_per_page = 50
    actions = ["retire", "reactivate"]
    readonly_fields = [
        "in_quizzes",
        "source",
        "model",
        "times_answered",
        "answered_correctly",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["certification", "domain", "difficulty", "question_type", "status"]}),
        (
            "Question",
            {"fields": ["question_text", "options_text", "correct_text", "explanation", "reference_url"]},
        ),
        ("Origin and usage", {"fields": readonly_fields}),
    ]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        if budget.is_spent():
            self.message_user(
                request,
                f"The daily LLM token budget is spent ({budget.tokens_spent()} of "
                f"{settings.LLM_DAILY_TOKEN_BUDGET} tokens today): quizzes come from the bank and no "
                "questions are generated until 00:00 UTC. Raise LLM_DAILY_TOKEN_BUDGET to change that.",
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request: HttpRequest, obj: Question | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and _in_quizzes(obj):
            # Its quizzes and the learners' progress belong to its exam (question_check refuses
            # the move too, for a form that still offered it).
            fields.append("certification")
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        # Learners' quizzes keep their questions (the database protects them): retire it instead.
        if obj is not None and _in_quizzes(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Question, form: QuestionForm, change: bool) -> None:
        services.question_save(question=obj)

    @admin.display(description="In quizzes")
    def in_quizzes(self, question: Question) -> str:
        if _in_quizzes(question):
            return "Yes: it keeps its exam and cannot be deleted. Retire it to stop serving it."
        return "Not yet."

    @admin.display(description="Question", ordering="question_text")
    def short_text(self, question: Question) -> str:
        return (
            question.question_text if len(question.question_text) <= 90 else question.question_text[:87] + "…"
        )

    @admin.display(description="Exam", ordering="certification__code")
    def certification_code(self, question: Question) -> str:
        return question.certification.code

    @admin.display(description="Domain", ordering="domain__name")
    def domain_name(self, question: Question) -> str:
        return question.domain.name

    @admin.display(description="Difficulty", ordering=DIFFICULTY_ORDER)
    def difficulty_level(self, question: Question) -> str:
        return question.get_difficulty_display()

    @admin.display(description="Answered correctly")
    def answered_correctly(self, question: Question) -> str:
        share = question.share_correct
        return "—" if share is None else f"{share:.0f}% of {question.times_answered}"

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: str, done: str) -> None:
        changed = services.questions_set_status(
            question_ids=queryset.values_list("pk", flat=True), status=status
        )
        # In each question's history, as an edit through the form would be.
        LogEntry.objects.log_actions(
            user_id=request.user.pk, queryset=changed, action_flag=CHANGE, change_message=f"{done}."
        )
        self.message_user(request, f"{done} {len(changed)} question(s).", messages.SUCCESS)

    @admin.action(description="Retire selected questions (stop serving them)")
    def retire(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, QuestionStatus.RETIRED, "Retired")

    @admin.action(description="Reactivate selected questions")
    def reactivate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, QuestionStatus.ACTIVE, "Reactivated")


def _answer_text(answer: list[str] | None) -> str:
    return ", ".join(answer) if answer else "—"


class QuizQuestionInline(admin.TabularInline):
    """The quiz's questions, each labelled "Question <position>", with what support needs to see
    why an answer was marked wrong."""

    model = QuizQuestion
    fields = ["question", "learner_answer", "correct_answer", "answered_correctly", "xp_earned"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("question")

    def has_add_permission(self, request: HttpRequest, obj: Quiz | None = None) -> bool:
        return False

    @admin.display(description="Learner's answer")
    def learner_answer(self, item: QuizQuestion) -> str:
        return _answer_text(item.user_answer)

    @admin.display(description="Correct answer")
    def correct_answer(self, item: QuizQuestion) -> str:
        return _answer_text(item.question.correct_answers)

    @admin.display(description="Correct?", boolean=True)
    def answered_correctly(self, item: QuizQuestion) -> bool | None:
        return item.is_correct


@admin.register(Quiz)
class QuizAdmin(LearnerHistoryAdmin):
    """Learners' attempts, for support: read only (grading happens through the product)."""

    list_display = [
        "created_at",
        "learner",
        "certification",
        "difficulty",
        "status",
        "score",
        "total_questions",
        "xp_earned",
        "generation_source",
    ]
    list_filter = ["status", "certification", "difficulty", "generation_source"]
    list_select_related = ["learner", "certification"]
    search_fields = ["learner__email", "learner__username"]
    date_hierarchy = "created_at"
    inlines = [QuizQuestionInline]
    readonly_fields = [f.name for f in Quiz._meta.fields]
