"""Django's PostgreSQL backend, with transactions that go through psycopg's pipeline mode without
waiting (`ENGINE = "mindquest.common.postgresql"`; `mindquest.common.db.atomic_pipeline` is what
uses it).

Django's own backend starts a transaction by turning psycopg's autocommit off. psycopg then sends
BEGIN before the next statement and, in a pipeline, waits for its reply; it waits once more
whenever autocommit changes inside a pipeline, and its commit() is a round trip of its own. Here
psycopg stays in autocommit and the backend begins and ends transactions itself, as Django's
SQLite backend does: atomic() marks a BEGIN as due, and it goes out just before the transaction's
first statement (no statement, no BEGIN). In a pipeline that costs no wait, and
`commit_in_pipeline()` sends the COMMIT after the pipeline's last statements, so that the wait at
the pipeline's end covers both.

In a pipeline, psycopg also writes each statement to the socket as soon as it is executed, and
PostgreSQL's backend wakes up for each one: a grading's dozen statements cost a dozen writes and
as many wake-ups, and under load each wake-up is a context switch on a busy CPU. Here a pipelined
statement is only queued in libpq's output buffer, and what is queued goes out in one write when
the pipeline next waits for replies (a fetch, a nested pipeline's end, the pipeline's end); see
`QueuedInPipeline`.

Outside a pipeline nothing changes: BEGIN, each statement and COMMIT are a round trip each, as
with Django's backend. A server-side cursor (`QuerySet.iterator()`) is declared WITH HOLD inside
a transaction too, since Django asks for one whenever psycopg is in autocommit: still correct, and
nothing here iterates one."""

from django.db.backends.postgresql import base
from django.db.backends.utils import debug_transaction


class QueuedInPipeline:
    """A psycopg cursor whose statements, in pipeline mode, wait in libpq's output buffer until
    the pipeline waits for replies, instead of being written to the socket one by one.

    psycopg has no public switch for this: `_execute_gen` is its own execute() (psycopg 3.3, as
    pinned), less the `_communicate_gen()` that flushes after each statement. Its commands still go
    to libpq here, in order, so nothing is left behind: libpq flushes them when the pipeline asks
    for replies (PQsendFlushRequest or a Sync), which is every wait psycopg has in a pipeline. The
    tests in mindquest/tests/test_db.py check both halves: nothing reaches the server before the
    wait, and everything after it."""

    def _execute_gen(self, query, params=None, *, prepare=None, binary=None):
        pipeline = self._conn._pipeline
        if not pipeline:
            return (yield from super()._execute_gen(query, params, prepare=prepare, binary=binary))
        yield from self._start_query(query)
        statement = self._convert_query(query, params)
        yield from self._maybe_prepare_gen(statement, prepare=prepare, binary=binary)
        self._last_query = query
        yield from self._conn._prepared.maintain_gen(self._conn)
        while pipeline.command_queue:  # into libpq's buffer: no write to the socket yet
            pipeline.command_queue.popleft()()


class ServerBindingCursor(QueuedInPipeline, base.ServerBindingCursor):
    pass


class Cursor(QueuedInPipeline, base.Cursor):
    pass


_QUEUEING = {base.ServerBindingCursor: ServerBindingCursor, base.Cursor: Cursor}


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._begin_due = False  # atomic() began a transaction; BEGIN goes out with its first statement
        self._begun = False  # BEGIN went out; COMMIT or ROLLBACK has not

    def connect(self):
        self._begin_due = self._begun = False
        super().connect()

    def get_connection_params(self):
        params = super().get_connection_params()
        params["cursor_factory"] = _QUEUEING.get(params["cursor_factory"], params["cursor_factory"])
        return params

    def _start_transaction_under_autocommit(self):
        """Called by atomic() instead of turning autocommit off."""
        self._begin_due = True

    def _send(self, command: str):
        """A transaction command, not waited for in a pipeline, logged as Django logs its own."""
        with debug_transaction(self, command):
            self.connection.execute(command, prepare=False)

    def create_cursor(self, name=None):
        if self._begin_due:
            self._begin_due = False
            level = self.connection.isolation_level
            self._send("BEGIN" if level is None else f"BEGIN ISOLATION LEVEL {level.name.replace('_', ' ')}")
            self._begun = True
        return super().create_cursor(name)

    def commit_in_pipeline(self):
        """Send the COMMIT of the transaction atomic() began, without waiting: leaving the pipeline
        waits for it with the statements before it, and raises if any of them (or it) failed. Then
        the transaction is over, and the commit that atomic() ends with has nothing left to do."""
        assert self.connection.pgconn.pipeline_status, "only inside a pipeline"
        if self._begin_due:  # no statement ran: nothing to commit
            self._begin_due = False
        elif self._begun:
            self._begun = False
            self._send("COMMIT")

    def _commit(self):
        if self._begin_due:  # no statement ran: nothing to commit
            self._begin_due = False
        elif self._begun:
            self._begun = False
            with debug_transaction(self, "COMMIT"), self.wrap_database_errors:
                if self.connection.pgconn.pipeline_status:
                    # libpq knows whether a transaction is open only from the replies read so far,
                    # so psycopg's commit() could skip it: send it, and wait (leaving the nested
                    # pipeline waits for every reply).
                    with self.connection.pipeline():
                        self.connection.execute("COMMIT", prepare=False)
                else:
                    self.connection.commit()
        else:  # a transaction of psycopg's own (autocommit turned off by hand), or none
            super()._commit()

    def _rollback(self):
        # psycopg waits for what a pipeline has in flight, then sends ROLLBACK if the server is in a
        # transaction (a COMMIT sent in a pipeline after a failed statement left it so).
        self._begin_due = self._begun = False
        super()._rollback()
