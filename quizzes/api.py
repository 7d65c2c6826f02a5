from collections.abc import Iterator
from contextlib import contextmanager

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import SessionCheck, SessionTokenAuthentication
from certifications.selectors import certification_get
from mindquest.common.api import PAGE_PARAMETERS, error_responses, page_params, page_response
from quizzes import selectors, services
from quizzes.models import QuizStatus
from quizzes.serializers import (
    EvaluationOutputSerializer,
    QuizDetailOutputSerializer,
    QuizEvaluateInputSerializer,
    QuizGeneratedOutputSerializer,
    QuizGenerateInputSerializer,
    QuizListInputSerializer,
    QuizSummaryOutputSerializer,
)
from quizzes.throttling import quiz_generation_allowed


# For the two busiest writes: the token's session is checked with the use case's first reads, not
# before them, one wait fewer (bench/README.md). POST runs its use case inside `session_checked`;
# any other method checks the session at once (401 before 405). (A comment, not a docstring: the
# API schema would show a docstring as each operation's description.)
class SessionWithReadsMixin:
    def get_authenticators(self) -> list[SessionTokenAuthentication]:
        return [SessionTokenAuthentication(with_reads=True)]

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if request.method != "POST":
            request.auth.user()

    @contextmanager
    def session_checked(self, request: Request) -> Iterator[SessionCheck]:
        """The session's check, for the service to send with its first reads. If the request fails
        before those (a bad body, an unknown id), the check runs on its own, so an ended session
        answers 401 before any other error; once it succeeds, `request.user` is the checked user."""
        session: SessionCheck = request.auth
        try:
            yield session
        except Exception:
            session.user()
            raise
        request.user = session.user()


class QuizGenerateApi(SessionWithReadsMixin, APIView):
    @extend_schema(
        request=QuizGenerateInputSerializer,
        responses={201: QuizGeneratedOutputSerializer, **error_responses(400, 401, 404, 429, 503)},
        summary="Start a quiz (answers stay hidden until it is evaluated)",
    )
    def post(self, request: Request) -> Response:
        with self.session_checked(request) as session:
            fields = QuizGenerateInputSerializer.validated(request.data)
            certification = certification_get(certification_id=fields["certification_id"], active_only=True)
            generated = services.quiz_generate(
                learner=request.user,
                certification=certification,
                difficulty=fields.get("difficulty"),
                weak_domains=fields.get("weak_domains"),
                count=fields["question_count"],
                session=session,
                allowed=quiz_generation_allowed,  # counted once the session has passed
            )
        return Response(QuizGeneratedOutputSerializer(generated).data, status=201)


class QuizEvaluateApi(SessionWithReadsMixin, APIView):
    @extend_schema(
        request=QuizEvaluateInputSerializer,
        responses={200: EvaluationOutputSerializer, **error_responses(400, 401, 404)},
        summary="Grade a quiz; a repeat returns the stored result and awards nothing",
    )
    def post(self, request: Request, quiz_id: str) -> Response:
        with self.session_checked(request) as session:
            answers = QuizEvaluateInputSerializer.answers_of(request.data)
            result = services.quiz_evaluate(
                learner=request.user, quiz_id=quiz_id, answers=answers, session=session
            )
        return Response(EvaluationOutputSerializer(result).data)


class QuizListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("certification_id", str, description="Only this certification's quizzes."),
            OpenApiParameter(
                "status",
                str,
                enum=[*QuizStatus.values, "all"],
                description="completed (default), in_progress or all",
            ),
            *PAGE_PARAMETERS,
        ],
        responses={200: QuizSummaryOutputSerializer(many=True), **error_responses(400, 401)},
        summary="The learner's quizzes, newest first",
    )
    def get(self, request: Request) -> Response:
        filters = QuizListInputSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        limit, offset = page_params(request)
        quizzes, total = selectors.quiz_page_for_learner(
            learner=request.user, **filters.validated_data, limit=limit, offset=offset
        )
        return page_response(QuizSummaryOutputSerializer(quizzes, many=True).data, total)


class QuizDetailApi(APIView):
    @extend_schema(
        responses={200: QuizDetailOutputSerializer, **error_responses(401, 404)},
        summary="A quiz with its questions in order",
    )
    def get(self, request: Request, quiz_id: str) -> Response:
        quiz = selectors.quiz_get_for_learner(learner=request.user, quiz_id=quiz_id)
        return Response(QuizDetailOutputSerializer(quiz).data)
