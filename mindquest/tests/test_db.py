"""The written-out SQL helpers (mindquest.common.db), on SQLite and, under .ci/run, PostgreSQL."""

import threading
import uuid

import pytest
from django.db import DatabaseError, DataError, IntegrityError, connection, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from certifications.models import ExamDomain
from mindquest.common.db import (
    Read,
    atomic_pipeline,
    column,
    db_value,
    execute,
    execute_counted,
    fetch_models,
    fetch_together,
    select_list,
    table,
    update_rows,
)
from quizzes.models import Question
from quizzes.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

# A pipeline only runs around a transaction of its own, so its tests commit for real (and put
# the database back as they found it).
pipelined = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def questions_sql() -> str:
    return (
        f"SELECT {select_list(Question)}, {select_list(ExamDomain)} FROM {table(Question)}"
        f" INNER JOIN {table(ExamDomain)} ON {column(ExamDomain, 'id')} = {column(Question, 'domain')}"
        f" WHERE {column(Question, 'certification')} = %s ORDER BY {column(Question, 'question_text')}"
    )


def test_fetch_models_builds_instances_as_the_orm_would(certification):
    made = [QuestionFactory(certification=certification, question_text=f"Q{n}") for n in range(3)]
    rows = fetch_models(
        questions_sql(), [db_value(Question, "certification", certification.pk)], [Question, ExamDomain]
    )
    assert [question.pk for question, _ in rows] == [question.pk for question in made]
    question, domain = rows[0]
    assert question.options == made[0].options  # JSON decoded
    assert question.domain_id == domain.pk == made[0].domain_id  # a UUID on either database
    # The domain every row repeats is one instance.
    assert rows[1][1] is domain
    assert not question._state.adding


def test_a_built_instance_holds_what_the_orms_own_holds(certification):
    made = QuestionFactory(certification=certification)
    orm = Question.objects.get(pk=made.pk)
    ((question, _),) = fetch_models(
        questions_sql(), [db_value(Question, "certification", certification.pk)], [Question, ExamDomain]
    )
    fields = [field.attname for field in Question._meta.concrete_fields]
    assert [getattr(question, name) for name in fields] == [getattr(orm, name) for name in fields]
    assert (question._state.adding, question._state.db) == (orm._state.adding, orm._state.db)
    assert question.domain == orm.domain  # a foreign key's object is read on first use, as usual
    ((partial,),) = fetch_models(
        f"SELECT {select_list(Question, defer=('explanation',))} FROM {table(Question)}",
        [],
        [(Question, ("explanation",))],
    )
    assert partial.get_deferred_fields() == {"explanation"}
    assert partial.explanation == made.explanation  # loaded when asked for, as the ORM's deferred fields


def test_a_model_that_signals_listen_to_is_built_by_the_orm(certification):
    from mindquest.common import db

    made = QuestionFactory(certification=certification)
    initialised = []

    def receiver(sender, instance, **kwargs):
        initialised.append(instance.pk)

    post_init.connect(receiver, sender=Question)
    db._plain.cache_clear()
    try:
        fetch_models(
            questions_sql(), [db_value(Question, "certification", certification.pk)], [Question, ExamDomain]
        )
    finally:
        post_init.disconnect(receiver, sender=Question)
        db._plain.cache_clear()
    assert initialised == [made.pk]


def test_unbuilt_rows_read_one_column_and_build_the_same_instance(certification):
    made = QuestionFactory(certification=certification)
    ((unbuilt, _),) = fetch_models(
        questions_sql(),
        [db_value(Question, "certification", certification.pk)],
        [Question, ExamDomain],
        unbuilt=True,
    )
    assert unbuilt.value("domain_id") == made.domain_id
    assert unbuilt.value("options") == made.options
    built = unbuilt.build()
    assert isinstance(built, Question)
    assert (built.pk, built.options, built.correct_answers) == (made.pk, made.options, made.correct_answers)


def domain_names_read(certification) -> Read:
    return Read(
        f"SELECT {column(ExamDomain, 'name')} FROM {table(ExamDomain)}"
        f" WHERE {column(ExamDomain, 'certification')} = %s ORDER BY {column(ExamDomain, 'name')}",
        [db_value(ExamDomain, "certification", certification.pk)],
        extra=1,
    )


def read_together(certification) -> tuple[list, list]:
    made = QuestionFactory(certification=certification, question_text="Q0")
    questions, names = fetch_together(
        Read(
            questions_sql(), [db_value(Question, "certification", certification.pk)], [Question, ExamDomain]
        ),
        domain_names_read(certification),
    )
    assert [(question.pk, domain.pk) for question, domain in questions] == [(made.pk, made.domain_id)]
    return questions, names


def test_reads_sent_together_each_return_their_own_rows(certification):
    _, names = read_together(certification)
    assert names == [(name,) for name in sorted(certification.domains.values_list("name", flat=True))]


@pipelined
def test_reads_sent_together_outside_a_transaction_each_return_their_own_rows(certification):
    # On PostgreSQL in a pipeline of their own, which ends with the reads.
    _, names = read_together(certification)
    assert names == [(name,) for name in sorted(certification.domains.values_list("name", flat=True))]
    if connection.vendor == "postgresql":
        assert not connection.connection.pgconn.pipeline_status


@pipelined
def test_a_failing_read_sent_with_others_is_a_database_error_and_the_connection_carries_on(certification):
    with pytest.raises(DatabaseError):
        fetch_together(domain_names_read(certification), Read("SELECT no_such_column FROM no_such_table", []))
    assert fetch_together(domain_names_read(certification))[0]


@pipelined
def test_reads_sent_together_in_a_pipeline_each_return_their_own_rows(certification):
    with atomic_pipeline():
        _, names = read_together(certification)
    assert names == [(name,) for name in sorted(certification.domains.values_list("name", flat=True))]


@pipelined
def test_pipelined_writes_commit_together_and_counts_are_exact(certification):
    first, second = QuestionFactory(certification=certification), QuestionFactory(certification=certification)
    first.times_answered, second.times_answered = 3, 4
    with atomic_pipeline():
        update_rows(Question, [first, second], ["times_answered"])
        changed = execute_counted(
            f"UPDATE {table(Question)} SET {column(Question, 'times_correct', qualified=False)} = 1"
            f" WHERE {column(Question, 'certification')} = %s",
            [db_value(Question, "certification", certification.pk)],
        )
    assert changed == 2
    assert sorted(Question.objects.values_list("times_answered", "times_correct")) == [(3, 1), (4, 1)]


@pytest.mark.postgres  # SQLite keeps a string of any length in any column
def test_a_string_too_long_for_its_column_is_refused_not_cut_short(certification):
    question = QuestionFactory(certification=certification, model="gpt-4o-mini")
    question.model = "m" * (Question._meta.get_field("model").max_length + 1)
    with pytest.raises(DataError), transaction.atomic():
        update_rows(Question, [question], ["model"])
    question.refresh_from_db()
    assert question.model == "gpt-4o-mini"


@pipelined
def test_a_failing_pipelined_write_rolls_the_whole_transaction_back(certification):
    question = QuestionFactory(certification=certification)
    question.times_answered = 5

    def count_then_break() -> None:
        with atomic_pipeline():
            update_rows(Question, [question], ["times_answered"])
            # times_correct may not exceed times_answered: the check constraint refuses it.
            execute(
                f"UPDATE {table(Question)} SET {column(Question, 'times_correct', qualified=False)} = 99"
                f" WHERE {column(Question, 'id')} = %s",
                [db_value(Question, "id", question.pk)],
            )

    with pytest.raises(IntegrityError):
        count_then_break()
    question.refresh_from_db()
    assert (question.times_answered, question.times_correct) == (0, 0)
    assert not connection.in_atomic_block


def test_inside_another_transaction_an_atomic_pipeline_is_a_savepoint_and_no_pipeline(certification):
    question = QuestionFactory(certification=certification)
    with atomic_pipeline():  # the test's own transaction is open
        assert not (connection.vendor == "postgresql" and connection.connection.pgconn.pipeline_status)
        question.times_answered = 2
        update_rows(Question, [question], ["times_answered"])
    question.refresh_from_db()
    assert question.times_answered == 2


def _answered(question, times: int) -> None:
    question.times_answered = times
    update_rows(Question, [question], ["times_answered"])


def _answer_then_break(first, second) -> None:
    """Two writes together, the second refused by the check constraint (times_correct may not
    exceed times_answered)."""
    with atomic_pipeline():
        _answered(first, 3)
        execute(
            f"UPDATE {table(Question)} SET {column(Question, 'times_correct', qualified=False)} = 99"
            f" WHERE {column(Question, 'id')} = %s",
            [db_value(Question, "id", second.pk)],
        )


def _server_transaction_status() -> str:
    with connection.cursor() as cursor:  # outside any transaction: the server's own view
        cursor.execute("SELECT 1")
    return connection.connection.info.transaction_status.name


@pipelined
def test_pipelined_writes_alone_commit_and_leave_no_transaction_open(certification):
    first, second = QuestionFactory(certification=certification), QuestionFactory(certification=certification)
    committed = []
    with atomic_pipeline():
        if connection.vendor == "postgresql":
            assert connection.connection.pgconn.pipeline_status
        _answered(first, 3)
        _answered(second, 4)
        connection.on_commit(lambda: committed.append(True))
    assert committed == [True]
    assert sorted(Question.objects.values_list("times_answered", flat=True)) == [3, 4]
    assert not connection.in_atomic_block
    if connection.vendor == "postgresql":
        assert not connection.connection.pgconn.pipeline_status
        assert _server_transaction_status() == "IDLE"


@pipelined
def test_pipelined_writes_are_one_transaction_a_failing_one_undoes_the_others(certification):
    first, second = QuestionFactory(certification=certification), QuestionFactory(certification=certification)
    with pytest.raises(IntegrityError):
        _answer_then_break(first, second)
    assert sorted(Question.objects.values_list("times_answered", "times_correct")) == [(0, 0), (0, 0)]
    assert Question.objects.count() == 2  # and the connection carries on


@pipelined
def test_pipelined_writes_left_by_an_exception_write_nothing(certification):
    first, second = QuestionFactory(certification=certification), QuestionFactory(certification=certification)
    committed = []

    def answer_then_fail() -> None:
        with atomic_pipeline():
            _answered(first, 3)
            connection.on_commit(lambda: committed.append(True))
            raise ValueError("after the first write")

    with pytest.raises(ValueError, match="after the first write"):
        answer_then_fail()
    assert committed == []
    _answered(second, 4)  # the connection carries on
    assert sorted(Question.objects.values_list("times_answered", flat=True)) == [0, 4]


@pipelined
def test_a_commit_refused_at_the_end_of_the_pipeline_writes_nothing(certification):
    # A foreign key is checked when the transaction commits (Django declares them deferred on
    # PostgreSQL): here the COMMIT itself fails, after the pipeline's other statements succeeded.
    question = QuestionFactory(certification=certification)
    committed = []

    def point_at_a_missing_domain() -> None:
        with atomic_pipeline():
            _answered(question, 3)
            execute(
                f"UPDATE {table(Question)} SET {column(Question, 'domain', qualified=False)} = %s"
                f" WHERE {column(Question, 'id')} = %s",
                [db_value(Question, "domain", uuid.uuid4()), db_value(Question, "id", question.pk)],
            )
            connection.on_commit(lambda: committed.append(True))

    with pytest.raises(IntegrityError):
        point_at_a_missing_domain()
    assert committed == []
    question.refresh_from_db()
    assert question.times_answered == 0
    assert not connection.in_atomic_block
    if connection.vendor == "postgresql":
        assert _server_transaction_status() == "IDLE"


def test_pipelined_writes_inside_another_transaction_are_a_savepoint(certification):
    first, second = QuestionFactory(certification=certification), QuestionFactory(certification=certification)
    with pytest.raises(IntegrityError):
        _answer_then_break(first, second)
    assert sorted(Question.objects.values_list("times_answered", flat=True)) == [0, 0]


@pytest.mark.postgres
@pipelined
def test_a_transaction_begins_with_its_first_statement_and_one_without_any_sends_nothing(certification):
    # The project's PostgreSQL backend (mindquest.common.postgresql) keeps psycopg in autocommit
    # and sends BEGIN itself, just before the transaction's first statement.
    with CaptureQueriesContext(connection) as sent, transaction.atomic():
        pass
    assert [query["sql"] for query in sent] == []
    with CaptureQueriesContext(connection) as sent, transaction.atomic():
        Question.objects.count()
    assert [query["sql"].split()[0] for query in sent] == ["BEGIN", "SELECT", "COMMIT"]
    assert _server_transaction_status() == "IDLE"


def _last_statement_received(pid: int) -> str:
    """What PostgreSQL's backend `pid` last received, as another connection sees it."""
    seen = []

    def look() -> None:
        try:
            with connection.cursor() as cursor:  # this thread's own connection
                cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
                seen.append(cursor.fetchone()[0])
        finally:
            connection.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return seen[0]


@pytest.mark.postgres
@pipelined
def test_pipelined_statements_reach_the_server_together_when_the_pipeline_waits(certification):
    first, second = QuestionFactory(certification=certification), QuestionFactory(certification=certification)
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with atomic_pipeline():
        _answered(first, 3)
        _answered(second, 4)
        queued = _last_statement_received(pid)
        (rows,) = fetch_together(
            Read(
                f"SELECT {column(Question, 'times_answered')} FROM {table(Question)}"
                f" WHERE {column(Question, 'certification')} = %s ORDER BY 1",
                [db_value(Question, "certification", certification.pk)],
                extra=1,
            )
        )
        read = _last_statement_received(pid)
    # Nothing was sent before the wait (neither the BEGIN nor the writes)...
    assert not queued.startswith(("BEGIN", "UPDATE"))
    assert rows == [(3,), (4,)]  # ...then all went out, in order, the writes before the read
    assert read.startswith("SELECT")
    assert _last_statement_received(pid) == "COMMIT"
    assert sorted(Question.objects.values_list("times_answered", flat=True)) == [3, 4]
