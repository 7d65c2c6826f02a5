"""Gunicorn in the container: gthread workers sized to the CPUs the container may really use."""

import os
from pathlib import Path


def available_cores() -> int:
    """CPUs this container may use: the cgroup quota if one is set, else the CPUs it may run on."""
    cores = len(os.sched_getaffinity(0))
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            cores = min(cores, max(1, round(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cores


bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
# One process per core (Python runs one thread at a time per process), a few threads each for the
# time spent waiting on PostgreSQL and Redis.
workers = int(os.environ.get("WEB_CONCURRENCY", available_cores()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers now and then, so no slow leak lives long
max_requests_jitter = 500
preload_app = True  # shared, copy-on-write code: less memory per worker
worker_tmp_dir = "/dev/shm"  # noqa: S108 - heartbeat files in memory, as gunicorn advises in containers
accesslog = None  # every request is logged once, with its request id, by the app
errorlog = "-"
# The proxy in front sets X-Forwarded-For/Proto; only trust what the deployment says.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
