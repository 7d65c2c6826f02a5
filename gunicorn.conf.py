"""Gunicorn in the container: workers sized to the CPUs the container may really use."""

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
# Sync workers, two per core: while one waits on PostgreSQL or Redis the other runs. Measured with
# `make bench` (bench/README.md), they beat gthread workers on throughput and tail latency: a
# gthread worker keeps the keep-alive connections it accepted, so one busy worker queues requests
# while another idles. Slow clients are the proxy's to absorb (it buffers), as always in front of
# gunicorn. GUNICORN_THREADS above 1 makes them gthread workers again.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * available_cores()))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 100_000  # recycle workers now and then (minutes apart under load), so no slow leak lives long
max_requests_jitter = 10_000
preload_app = True  # shared, copy-on-write code: less memory per worker
worker_tmp_dir = "/dev/shm"  # noqa: S108 - heartbeat files in memory, as gunicorn advises in containers
accesslog = None  # every request is logged once, with its request id, by the app
errorlog = "-"
# The proxy in front sets X-Forwarded-For/Proto; only trust what the deployment says.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
