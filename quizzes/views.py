"""Pages to start, take and review quizzes; they call the same services as the API."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from certifications.selectors import certification_list
from mindquest.common.exceptions import ApplicationError, NotFoundError, ServiceUnavailableError
from mindquest.common.ratelimit import RateLimited
from quizzes import selectors, services
from quizzes.forms import QuizNewForm
from quizzes.models import QuestionType, Quiz, QuizStatus
from quizzes.throttling import quiz_generation_allowed

HISTORY_PAGE_SIZE = 10
# The history's status filter: its values (those of the API's `status`) and their labels; the
# first is the default.
HISTORY_STATUSES = {
    QuizStatus.COMPLETED: "Completed",
    QuizStatus.IN_PROGRESS: "In progress",
    "all": "All statuses",
}


# Unfinished quizzes the new-quiz page offers to resume (the rest are in the history).
UNFINISHED_SHOWN = 3


def _quiz_new_page(request: HttpRequest, form: QuizNewForm, *, status: int = 200) -> HttpResponse:
    """The form, with the learner's newest unfinished quizzes above it (any certification: the form's
    choice can change), each with a Resume link; read with their total in one statement."""
    unfinished, unfinished_total = selectors.quiz_page_for_learner(
        learner=request.user, status=QuizStatus.IN_PROGRESS, limit=UNFINISHED_SHOWN
    )
    context = {"form": form, "unfinished": unfinished, "unfinished_total": unfinished_total}
    return render(request, "quizzes/quiz_new.html", context, status=status)


@login_required
def quiz_new(request: HttpRequest) -> HttpResponse:
    selected = request.user.profile.selected_certification_id
    initial = {"certification": request.GET.get("certification") or selected}
    if request.GET.get("focus") == "weak":
        initial["focus_weak"] = True
    form = QuizNewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            quiz_generation_allowed(learner=request.user)
        except RateLimited as limited:
            # Per learner, whatever the certification: only waiting (or resuming) helps.
            form.add_error(
                None,
                f"You have started a lot of quizzes in a short time. Please wait {limited.wait} before"
                " starting another; an unfinished quiz can be resumed now.",
            )
            response = _quiz_new_page(request, form, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        try:
            generated = services.quiz_generate(
                learner=request.user,
                certification=form.cleaned_data["certification"],
                difficulty=form.cleaned_data["difficulty"] or None,
                weak_domains=None if form.cleaned_data["focus_weak"] else [],
                count=form.cleaned_data["question_count"],
            )
        except ServiceUnavailableError as error:
            form.add_error(
                None,
                f"{error.message} Your progress is safe: try a different certification or difficulty,"
                " or come back shortly.",
            )
        else:
            return redirect("quiz", quiz_id=generated.quiz.pk)
    return _quiz_new_page(request, form)


def _answers_from(request: HttpRequest, quiz: Quiz) -> tuple[dict[str, object], dict[str, list[str]]]:
    """The submitted answers by question id (as option texts), and the raw choices to re-show,
    in the quiz's order."""
    answers: dict[str, object] = {}
    chosen: dict[str, list[str]] = {}
    for item in quiz.items.all():
        picked = request.POST.getlist(f"answer-{item.pk}")
        chosen[str(item.pk)] = picked
        try:
            texts = [item.question.options[int(index)] for index in picked]
        except (ValueError, IndexError):
            texts = ["(not an option)"]  # tampered form: the service refuses it with a message
        if texts:
            answers[str(item.pk)] = (
                texts if item.question.question_type == QuestionType.MULTI_SELECT else texts[0]
            )
    return answers, chosen


def _rows(quiz: Quiz, chosen: dict[str, list[str]] | None = None) -> list[dict]:
    """Each question with its options marked: picked (from the form being re-shown, or the
    stored answer) and, once graded, correct."""
    rows = []
    for number, item in enumerate(quiz.items.all(), start=1):
        question = item.question
        picked = set(chosen.get(str(item.pk), [])) if chosen is not None else None
        stored = set(item.user_answer or [])
        rows.append(
            {
                "number": number,
                "item": item,
                "is_multi": question.question_type == QuestionType.MULTI_SELECT,
                "picks": len(question.correct_answers),  # said, as the exam says "Choose TWO."
                "unanswered": item.user_answer is None,
                "options": [
                    {
                        "index": index,
                        "text": text,
                        "chosen": str(index) in picked if picked is not None else text in stored,
                        "correct": quiz.is_completed and text in question.correct_answers,
                    }
                    for index, text in enumerate(question.options)
                ],
            }
        )
    return rows


def _results(request: HttpRequest, quiz: Quiz, *, is_resubmission: bool = False) -> HttpResponse:
    """The graded quiz's results page; is_resubmission when answers were just sent to it anyway."""
    context = {"quiz": quiz, "rows": _rows(quiz), "is_resubmission": is_resubmission}
    return render(request, "quizzes/quiz_results.html", context)


@login_required
def quiz_detail(request: HttpRequest, quiz_id: str) -> HttpResponse:
    """Take the quiz while it is open; once graded, the same address shows the results."""
    try:
        quiz = selectors.quiz_get_for_learner(learner=request.user, quiz_id=quiz_id)
    except NotFoundError:
        raise Http404("Quiz not found") from None
    if quiz.is_completed:
        # Graded once only: answers sent to a graded quiz (from a second tab, say) change nothing,
        # and the page says so, or its "(your answer)" marks would pass for the ones just sent.
        return _results(request, quiz, is_resubmission=request.method == "POST")
    context: dict = {"quiz": quiz, "answered": 0, "unanswered": []}
    chosen = None
    if request.method == "POST":
        answers, chosen = _answers_from(request, quiz)
        context["answered"] = len(answers)
        unanswered = [number for number, picked in enumerate(chosen.values(), start=1) if not picked]
        if unanswered and not request.POST.get("confirm"):
            context["unanswered"] = unanswered  # their numbers, to link to and mark
        else:
            try:
                result = services.quiz_evaluate(learner=request.user, quiz_id=quiz.pk, answers=answers)
            except ApplicationError as error:
                context["error"] = error.message
            else:
                if result["already_evaluated"]:  # another submission was graded since the read above
                    quiz = selectors.quiz_get_for_learner(learner=request.user, quiz_id=quiz.pk)
                    return _results(request, quiz, is_resubmission=True)
                return redirect("quiz", quiz_id=quiz.pk)
    return render(request, "quizzes/quiz_take.html", {**context, "rows": _rows(quiz, chosen or {})})


def _history_page(*, learner, certification_id: str | None, status: str, number: str | None) -> Page:
    """A page of the learner's quizzes of `status`, read with their total in one statement. A page
    number out of range gives the last page and one that is not a number the first, as Django's
    Paginator.get_page does."""

    def read(page_number: int) -> tuple[list[Quiz], int]:
        return selectors.quiz_page_for_learner(
            learner=learner,
            certification_id=certification_id,
            status=status,
            limit=HISTORY_PAGE_SIZE,
            offset=(page_number - 1) * HISTORY_PAGE_SIZE,
        )

    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    quizzes, total = read(max(wanted, 1))
    paginator = Paginator(range(total), HISTORY_PAGE_SIZE)  # counts pages; the page is `quizzes`
    if not 1 <= wanted <= paginator.num_pages:
        wanted = paginator.num_pages
        quizzes, _ = read(wanted)
    return Page(quizzes, wanted, paginator)


@login_required
def history(request: HttpRequest) -> HttpResponse:
    certification_id = request.GET.get("certification") or None
    certifications = certification_list()
    if certification_id not in {str(c.pk) for c in certifications}:
        certification_id = None
    # An unknown status, like an unknown certification, shows the default list (and the filter says so).
    status = request.GET.get("status")
    if status not in HISTORY_STATUSES:
        status = QuizStatus.COMPLETED
    page = _history_page(
        learner=request.user, certification_id=certification_id, status=status, number=request.GET.get("page")
    )
    return render(
        request,
        "quizzes/history.html",
        {
            "page": page,
            "certifications": certifications,
            "certification_id": certification_id,
            "status": status,
            "statuses": HISTORY_STATUSES,
            # What the pages' links keep: the filters as shown, the default status left out.
            "filters": {
                "certification": certification_id,
                "status": None if status == QuizStatus.COMPLETED else status,
            },
        },
    )
