"""make bench: throughput and latency of the hot endpoints, on an empty database and on a large one.

For each run: a fresh PostgreSQL database, a warm bank, optionally LEARNERS × QUIZZES of seeded
history, a pool of signed-in bench learners. Then a gunicorn with production settings per run,
all serving at once, and each scenario driven by wrk (a separate process, over loopback) at fixed
concurrency for a fixed time on each run's server in turn. Prints one table and writes it to
bench/results/, with the plans of the key queries and the memory of each gunicorn worker.

Settings (environment): BENCH_RUNS (default "empty,scale"), BENCH_LEARNERS (100000),
BENCH_QUIZZES (10), BENCH_DURATION seconds per scenario (15), BENCH_CONNECTIONS (16);
BENCH_SCENARIOS (request-file names, comma-separated: only those, beside the floor) and
BENCH_REUSE=1 (serve the database and requests an earlier run prepared; evaluate then uses the
open quizzes that run left) are for working on one endpoint, not for the recorded figures."""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8711"))
FAKE_PORT = PORT + 1
DURATION = int(os.environ.get("BENCH_DURATION", "15"))
# The floor measured again after each scenario, for the ratio (see measure).
FLOOR_RECHECK = int(os.environ.get("BENCH_FLOOR_RECHECK", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "100000"))
QUIZZES = int(os.environ.get("BENCH_QUIZZES", "10"))
RUNS = os.environ.get("BENCH_RUNS", "empty,scale").split(",")
POOL = int(os.environ.get("BENCH_POOL", "2000"))
REUSE = os.environ.get("BENCH_REUSE", "") == "1"
PG = {
    "host": os.environ.get("PGHOST", "127.0.0.1"),
    "port": os.environ.get("PGPORT", "5432"),
    "user": os.environ.get("PGUSER", "postgres"),
}

# (name, request file, kind): the floor first; every ratio is against it.
SCENARIOS = [
    ("me (floor)", "me", "floor"),
    ("certifications", "certifications", "read"),
    ("dashboard", "dashboard", "read"),
    ("quiz history", "history", "read"),
    ("profile", "profile", "read"),
    ("generate (5 from the bank)", "generate", "write"),
    ("evaluate", "evaluate", "write"),
    ("dashboard page (HTML)", "dashboard_page", "page"),
]
if os.environ.get("BENCH_SCENARIOS"):
    _only = {"me", *os.environ["BENCH_SCENARIOS"].split(",")}
    SCENARIOS = [scenario for scenario in SCENARIOS if scenario[1] in _only]
TARGET_RATIO = {"read": 0.5, "write": 0.3}
TARGET_P95_MS = {"floor": 50, "read": 50, "page": 50, "write": 100}
MEMORY_LIMIT_MB = 150


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def run(*args: str, env: dict, quiet: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=quiet, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return result


def ensure_postgres() -> None:
    if subprocess.run(["pg_isready", "-q", "-h", PG["host"], "-p", PG["port"]], check=False).returncode == 0:
        return
    log("PostgreSQL is not answering; starting it")
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)
    for _ in range(30):
        if (
            subprocess.run(["pg_isready", "-q", "-h", PG["host"], "-p", PG["port"]], check=False).returncode
            == 0
        ):
            return
        time.sleep(1)
    sys.exit("PostgreSQL did not start")


def fresh_database(name: str) -> str:
    base = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
    subprocess.run(["dropdb", *base, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *base, name], check=True)
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def run_port(index: int) -> int:
    """Where run `index`'s server listens (its servers run side by side)."""
    return PORT + 100 * index


def server_env(database_url: str, index: int) -> dict:
    """Production settings (DEBUG off, JSON logs, Redis, persistent connections), on loopback; run
    `index` has its own port and Redis database, as its server runs beside the others'."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OPENAI_"))},
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:6379/{9 + index}",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "PORT": str(run_port(index)),
        "ACCESS_TOKEN_MINUTES": "240",
        # Each bench learner starts far more quizzes than a person would in an hour.
        "QUIZ_GENERATE_RATE": "1000000/hour",
        "OPENAI_API_KEY": "",
    }


def warm_bank(env: dict) -> None:
    """A warm bank: every cell topped up to 40 questions by a model (the fake one, on loopback)."""
    fake = subprocess.Popen(
        [PYTHON, "-m", "quizzes.tests.fake_openai", "--port", str(FAKE_PORT)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1)
        model_env = {
            **env,
            "OPENAI_API_KEY": "bench",
            "OPENAI_BASE_URL": f"http://127.0.0.1:{FAKE_PORT}/v1",
            "LLM_DAILY_TOKEN_BUDGET": "0",
            "LOG_LEVEL": "WARNING",
        }
        run(PYTHON, "manage.py", "top_up_bank", "--target", "40", env=model_env)
    finally:
        fake.terminate()
        fake.wait()


def wait_for(url: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - our own loopback server
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer")


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True, check=False).stdout
    return [int(pid) for pid in out.split()]


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes have used so far (those still running)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def psql(*args: str, database: str, check: bool = False) -> str:
    """Run psql against `database` (a name or a URL) on the local server; returns what it printed."""
    command = ["psql", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], *args, database]
    return subprocess.run(command, capture_output=True, text=True, check=check).stdout


def database_name(database_url: str) -> str:
    return database_url.rsplit("/", 1)[1]


def database_pids(database_url: str) -> list[int]:
    """The PostgreSQL backends serving the bench database (gunicorn's persistent connections)."""
    query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{database_name(database_url)}'"  # noqa: S608 - our own bench database
    out = psql("-Atq", "-c", query, database="postgres")
    return [int(pid) for pid in out.split()]


def warm_database(database_url: str) -> None:
    """Read every table and index of the bench database through the operating system's file cache
    (pg_prewarm's `read` mode: 2.9 GB in 1-3 s on the large database). This machine's kernel
    pages out file cache that nothing has touched for a minute (a DAMON `pageout` scheme, in
    /sys/kernel/mm/damon), however much memory is free. Without this, a scenario met on the disk
    whatever pages of the large database the scenarios before it had not read: a grading replayed
    in process waited 4.2 ms a request against 3.5 with the pages in memory, and under load the
    large database's writes stalled on `IO:DataFileRead`. A database server with this machine's
    24 GB keeps a 3 GB database in memory; so does each scenario now."""
    every_relation = (
        "SELECT sum(pg_prewarm(oid, 'read')) FROM pg_class"
        " WHERE relkind IN ('r', 'i', 't', 'm') AND relpersistence <> 't'"
    )
    create = "CREATE EXTENSION IF NOT EXISTS pg_prewarm"
    psql("-Atq", "-c", create, "-c", every_relation, database=database_url, check=True)


@contextmanager
def backend_waits(database_url: str) -> Iterator[Counter]:
    """What the bench database's PostgreSQL backends were doing while the block ran, sampled every
    0.2 s: how many times a busy backend (not idle between requests) was seen on each wait event,
    or running (`CPU`). A stall's cause shows there: commits waiting for the WAL to reach the
    disk (`IO:WALSync`), row locks (`Lock:...`), data read from disk (`IO:DataFileRead`), or
    the backends waiting for the app (`Client:ClientRead`). From a connection of its own to
    another database, so it never samples itself."""
    name = database_name(database_url)
    counts: Counter = Counter()
    done = threading.Event()
    query = (
        "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU'), count(*) FROM pg_stat_activity"
        " WHERE datname = %s AND state <> 'idle' GROUP BY 1"
    )

    def sample() -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as connection:
            while not done.wait(0.2):
                counts.update(dict(connection.execute(query, [name]).fetchall()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield counts
    finally:
        done.set()
        sampler.join()


def waits_summary(counts: dict) -> str:
    """The four commonest of `backend_waits`' findings, as shares of all its sightings."""
    total = sum(counts.values())
    if not total:
        return "no busy backend seen"
    top = Counter(counts).most_common(4)
    return ", ".join(f"{event} {count / total:.0%}" for event, count in top) + f" of {total} sightings"


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
    return round(rss, 1), round(peak, 1)


def wrk(requests_file: Path, duration: int, port: int) -> dict:
    env = {
        **os.environ,
        "BENCH_REQUESTS": str(requests_file),
        "BENCH_THREADS": "1",
        "BENCH_HOST": "127.0.0.1",
    }
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(BENCH / "scenario.lua"),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    seconds = result["duration_us"] / 1e6
    errors = sum(
        result[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return {
        "rps": round(result["requests"] / seconds, 1),
        "p50": round(result["p50_us"] / 1000, 1),
        "p95": round(result["p95_us"] / 1000, 1),
        "p99": round(result["p99_us"] / 1000, 1),
        "errors": errors,
        "requests": result["requests"],
    }


def tidy(env: dict) -> None:
    """What autovacuum would have done after the bulk loads (this machine's PostgreSQL runs
    without it): fresh statistics for the planner, the dead row versions left by the usage
    counts' updates cleared from the bank's table and indexes, and the visibility map set, so
    that index-only scans need not visit the table. Then a checkpoint: the vacuum dirtied every
    page of the large tables, and writing them out (with every page's first change after it
    copied whole into the WAL) would otherwise fall in the middle of the measurements."""
    psql("-q", "-c", "VACUUM (ANALYZE)", database=env["DATABASE_URL"], check=True)
    psql("-q", "-c", "CHECKPOINT", database=env["DATABASE_URL"], check=True)


def prepare_run(label: str, learners: int, index: int) -> dict:
    """A run's database, bench learners and request files (or, with BENCH_REUSE, an earlier
    run's), and the environment its server runs with."""
    data = BENCH / "results" / f".requests-{label}"
    saved = data / "server-env.json"
    if REUSE and saved.exists():
        log(f"run '{label}': reusing the database and requests prepared earlier")
        env = {**os.environ, **json.loads(saved.read_text()), "PORT": str(run_port(index))}
        if any(file == "evaluate" for _, file, _ in SCENARIOS):
            open_quizzes = os.environ.get("BENCH_OPEN_QUIZZES", "6000")
            run(
                PYTHON, "bench/prepare.py", str(data), str(POOL), open_quizzes, "--open-quizzes-only", env=env
            )
        tidy(env)  # after the earlier runs' writes
        return {"label": label, "learners": learners, "env": env, "data": data, "explain": ""}
    log(f"run '{label}': preparing a fresh database")
    env = server_env(fresh_database(f"mindquest_bench_{label}"), index)
    subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "flushdb"], capture_output=True, check=False)
    run(PYTHON, "manage.py", "migrate", "--noinput", env=env)
    run(PYTHON, "manage.py", "collectstatic", "--noinput", env=env)
    run(PYTHON, "manage.py", "load_question_bank", env=env)
    warm_bank(env)
    if learners:
        log(f"seeding {learners:,} learners × {QUIZZES} quizzes")
        started = time.monotonic()
        run(
            PYTHON,
            "manage.py",
            "seed_load_data",
            "--learners",
            str(learners),
            "--quizzes-per-learner",
            str(QUIZZES),
            env=env,
        )
        log(f"seeded in {time.monotonic() - started:.0f}s")
    shutil.rmtree(data, ignore_errors=True)
    open_quizzes = int(os.environ.get("BENCH_OPEN_QUIZZES", "12000"))
    log(f"preparing {POOL} bench learners and {open_quizzes} open quizzes")
    run(PYTHON, "bench/prepare.py", str(data), str(POOL), str(open_quizzes), env=env)
    tidy(env)
    explain = run(PYTHON, "bench/explain.py", env=env).stdout
    # What a later BENCH_REUSE run (or a profiler) needs to serve the same data: the tokens in
    # the request files are signed with this SECRET_KEY.
    saved.write_text(json.dumps({k: v for k, v in env.items() if k not in os.environ or os.environ[k] != v}))
    return {"label": label, "learners": learners, "env": env, "data": data, "explain": explain}


def serve_and_measure(runs: list[dict]) -> None:
    """Serve every run's database at once (a gunicorn each) and drive each scenario on one run's
    server, then on the next's, before the next scenario: the runs meet the machine in the same
    mood, so what differs between them is the data (this machine is shared, and its speed drifts
    by a third from one minute to the next). Adds each run's results and workers' memory."""
    log("starting gunicorn (production settings), one per run")
    with ExitStack() as servers:
        for r in runs:
            r["port"] = int(r["env"]["PORT"])
            server_log = servers.enter_context(open(r["data"] / "gunicorn.log", "w"))
            r["server"] = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "mindquest.wsgi"],
                cwd=ROOT,
                env=r["env"],
                stdout=subprocess.DEVNULL,
                stderr=server_log,
            )
            servers.callback(stop, r["server"])
        for r in runs:
            wait_for(f"http://127.0.0.1:{r['port']}/api/health")
        log("warming up")
        for r in runs:
            for _, file, kind in SCENARIOS:
                if kind != "write":
                    wrk(r["data"] / f"{file}.tsv", 2, r["port"])
            r["results"] = {}
        for name, file, kind in SCENARIOS:
            for r in runs:
                r["results"][name] = measure(r, name, file, kind)
        for r in runs:
            if "evaluate" in r["results"] and r["results"]["evaluate"]["requests"] > len(
                (r["data"] / "evaluate.tsv").read_text().splitlines()
            ):
                log(
                    f"warning: evaluate ran out of open quizzes in run '{r['label']}'; raise BENCH_OPEN_QUIZZES"
                )
            r["memory"] = {pid: memory_mb(pid) for pid in worker_pids(r["server"].pid)}


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait()


def measure(r: dict, name: str, file: str, kind: str) -> dict:
    """One scenario on one run's server, with the CPU each request cost by side (where the time
    goes, app or database) and, but for the floor, the floor measured on either side of it."""
    warm_database(r["env"]["DATABASE_URL"])
    if kind == "write":
        # PostgreSQL checkpoints every five minutes, and the measurements take longer: without
        # this, one lands inside whichever write scenario is running then, and that one alone
        # pays for the writes it spreads out and the whole pages its first changes copy into
        # the WAL. A checkpoint just before each write scenario puts every one of them in the
        # same place: the first change of each page it touches pays the copy, within the run.
        psql("-q", "-c", "CHECKPOINT", database=r["env"]["DATABASE_URL"], check=True)
    app, db = worker_pids(r["server"].pid), database_pids(r["env"]["DATABASE_URL"])
    app_before, db_before = cpu_seconds(app), cpu_seconds(db)
    with backend_waits(r["env"]["DATABASE_URL"]) as waits:
        result = wrk(r["data"] / f"{file}.tsv", DURATION, r["port"])
    result["waits"] = dict(waits)
    done = max(1, result["requests"])
    result["app_cpu_ms"] = round((cpu_seconds(app) - app_before) * 1000 / done, 2)
    result["db_cpu_ms"] = round((cpu_seconds(db) - db_before) * 1000 / done, 2)
    if kind == "floor":
        r["previous_floor"] = result["rps"]
    else:
        # The floor again right after each scenario: the scenario is compared with the floor on
        # either side of it.
        after = wrk(r["data"] / "me.tsv", FLOOR_RECHECK, r["port"])["rps"]
        result["floor_rps"] = round((r["previous_floor"] + after) / 2, 1)
        r["previous_floor"] = after
    log(
        f"{r['label']:6} {name:28} {result['rps']:8.1f} req/s  p95 {result['p95']:6.1f} ms  errors {result['errors']}"
        f"  cpu/request: app {result['app_cpu_ms']:.2f} ms, database {result['db_cpu_ms']:.2f} ms"
        + (f"  floor beside it {result['floor_rps']:.0f} req/s" if "floor_rps" in result else "")
    )
    return result


def commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    # An earlier run's results file is not a change to what is measured.
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", ".", ":(exclude)bench/results"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return out.stdout.strip() + ("+changes" if dirty.strip() else "")


def report(runs: list[dict]) -> tuple[str, bool]:
    ok = True
    lines = []
    head = "| scenario |"
    rule = "|---|"
    for r in runs:
        name = f"{r['label']} ({r['learners']:,} learners)" if r["learners"] else f"{r['label']} database"
        head += f" {name}: req/s | p50 | p95 | p99 | errors | × floor | CPU ms app | CPU ms db |"
        rule += "---:|---:|---:|---:|---:|---:|---:|---:|"
    lines += [head, rule]
    empty = next((r for r in runs if not r["learners"]), None)
    checks, waits = [], []
    for name, _, kind in SCENARIOS:
        row = f"| {name} |"
        for r in runs:
            res = r["results"][name]
            ratio = res["rps"] / res.get("floor_rps", r["results"]["me (floor)"]["rps"])
            row += (
                f" {res['rps']:.0f} | {res['p50']:.1f} | {res['p95']:.1f} | {res['p99']:.1f} | {res['errors']}"
                f" | {ratio:.2f} | {res['app_cpu_ms']:.2f} | {res['db_cpu_ms']:.2f} |"
            )
            tag = f"{r['label']}: {name}"
            if kind in TARGET_RATIO and ratio < TARGET_RATIO[kind]:
                checks.append(f"✗ {tag}: {ratio:.3f} × floor < {TARGET_RATIO[kind]}")
            slow = res["p95"] >= TARGET_P95_MS[kind]
            if slow:
                checks.append(f"✗ {tag}: p95 {res['p95']} ms ≥ {TARGET_P95_MS[kind]} ms")
            if kind == "write" or slow:
                waits.append(f"- {tag}: its busy database backends were on {waits_summary(res['waits'])}")
            if res["errors"]:
                checks.append(f"✗ {tag}: {res['errors']} errors")
            if r["learners"] and empty and res["p95"] > 1.5 * empty["results"][name]["p95"]:
                checks.append(
                    f"✗ {tag}: p95 {res['p95']} ms > 1.5 × empty {empty['results'][name]['p95']} ms"
                )
        lines.append(row)
    lines.append("")
    # Where the writes' backends spent the scenario, and any scenario's that missed its p95: a
    # stall's cause (see backend_waits).
    lines += waits
    for r in runs:
        beside = [res["floor_rps"] for res in r["results"].values() if "floor_rps" in res]
        if beside:  # how far the machine's speed moved during the run, for reading the ratios
            lines.append(
                f"- {r['label']}: the floor beside the scenarios ran at {min(beside):,.0f}–{max(beside):,.0f} req/s"
            )
        memory = ", ".join(f"{rss:.0f} MB (peak {peak:.0f})" for rss, peak in r["memory"].values())
        lines.append(f"- gunicorn workers after the {r['label']} run: {memory}")
        for rss, _ in r["memory"].values():
            if rss >= MEMORY_LIMIT_MB:
                checks.append(f"✗ {r['label']}: a worker holds {rss} MB ≥ {MEMORY_LIMIT_MB} MB")
        if not r["explain"]:  # BENCH_REUSE: the plans were shown when the data was prepared
            continue
        scans = r["explain"].strip().splitlines()[-1]
        lines.append(f"- {r['label']}: {scans.lower().capitalize()}")
        if "none" not in scans.split(":", 1)[1]:
            checks.append(f"✗ {r['label']}: {scans}")
    ok = not checks
    lines.append("")
    lines += checks or [
        "✓ every target met: reads ≥ 0.5 × floor and p95 < 50 ms, generate and evaluate ≥ 0.3 × floor "
        "and p95 < 100 ms, p95 on the large database ≤ 1.5 × empty, workers < 150 MB, no errors"
    ]
    return "\n".join(lines), ok


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: bench/ensure-wrk installs it (Debian's package)")
    ensure_postgres()
    runs = [
        prepare_run(label, 0 if label == "empty" else LEARNERS, index) for index, label in enumerate(RUNS)
    ]
    serve_and_measure(runs)
    table, ok = report(runs)
    stamp = datetime.now(UTC)
    header = (
        f"# Benchmark {stamp:%Y-%m-%d %H:%M} UTC, commit {commit()}, {os.cpu_count()} cores\n\n"
        f"wrk, {CONNECTIONS} connections, {DURATION} s per scenario, gunicorn (gunicorn.conf.py) with production settings on "
        f"PostgreSQL, a server per run, each scenario run on each in turn; latencies in ms; × floor against the floor measured"
        f" just before and just after the scenario ({FLOOR_RECHECK} s each);"
        f" CPU per request of the gunicorn workers (app) and of their PostgreSQL backends (db).\n\n"
    )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{stamp:%Y-%m-%d-%H%M}-{commit()}.md"
    plans = "\n\n".join(f"## Query plans, {r['label']}\n\n```\n{r['explain']}\n```" for r in runs)
    path.write_text(header + table + "\n\n" + plans + "\n")
    kept = ("label", "learners", "results", "memory", "explain")
    (RESULTS / "latest.json").write_text(
        json.dumps([{k: r[k] for k in kept} for r in runs], indent=2, default=str)
    )
    print("\n" + header + table)
    print(f"\nwritten to {path.relative_to(ROOT)}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
