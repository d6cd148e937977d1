"""Production configuration: ``gunicorn app:server`` picks this file up from the working directory.

Figures behind each choice are in docs/deploy.md (measured with benchmarks/bench_load.py).
Every setting can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

from __future__ import annotations

import logging
import multiprocessing
import os

# The app's own log lines (warm-up, refused input, failed callbacks) go to stderr with gunicorn's.
logging.basicConfig(level=logging.INFO, format="[%(process)d] %(levelname)s %(name)s: %(message)s")

# The master warms the caches once (below), so the app must not start its own warm thread:
# threads do not survive fork().
os.environ.setdefault("KOMMUNEFRAM_WARM", "0")

bind = os.environ.get("KOMMUNEFRAM_BIND", "127.0.0.1:8050")  # behind a reverse proxy
# Callbacks are CPU-bound numpy/pandas work: one worker process per core.
workers = int(os.environ.get("KOMMUNEFRAM_WORKERS", multiprocessing.cpu_count()))
# Sync workers: one request at a time per process, a new connection per request (no
# keep-alive), so whichever worker is free takes the next request. Callbacks are CPU work
# under the GIL; measured with benchmarks/bench_load.py (50 clients, same machine, minutes
# apart): sync p95 263-286 ms at 287-298 req/s; gthread with 4 threads p95 ~610 ms (a short
# callback waits behind a long render's GIL slices), with 1 thread p95 345-666 ms at
# 133-281 req/s (keep-alive pins each client to one worker: the split of 50 connections
# between the two workers decided the run). A slow client holds its worker, so the reverse
# proxy in front must buffer responses and request bodies (nginx does by default, and
# talks HTTP/1.0 without keep-alive to the app). Serving without a proxy:
# GUNICORN_CMD_ARGS="--worker-class gthread --threads 4".
worker_class = "sync"
# Import and warm in the master, then fork: the aggregates of every scenario (~60 MB), the
# fitted rates and the data tables are shared copy-on-write by all workers.
preload_app = True
# No request needs more than a few seconds (the first all-kommuner CSV of a scenario ~2 s).
timeout = 30
graceful_timeout = 20
keepalive = 5  # gthread only (the sync worker closes each connection)
# Request limits (the app caps bodies at 64 kB and query strings at 2 kB itself).
limit_request_line = 4096
limit_request_fields = 60
limit_request_field_size = 8190
# Recycle a worker now and then: bounds any slow growth; the new one forks from the warm master.
max_requests = 20000
max_requests_jitter = 2000
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("KOMMUNEFRAM_ACCESS_LOG")  # e.g. "-" (off by default: CPU)
errorlog = "-"
loglevel = "info"
proc_name = "kommunefram"


def when_ready(server: object) -> None:
    """Master, after loading the app and before forking the workers: warm every cache."""
    import gc

    import app

    app.warm_all()
    # Everything warmed so far lives as long as the process: keep it out of the cyclic
    # collector's scans (cheaper collections in the workers, fewer copy-on-write pages).
    gc.freeze()


def post_fork(server: object, worker: object) -> None:
    """Worker, just forked: at most two malloc arenas for its threads.

    glibc gives each thread its own arena (up to 8 per core); with gthread's 4 threads every
    arena kept its own freed pages, and a worker's RSS grew by ~180 MB under the load test.
    Two arenas bound that at little cost (the GIL serialises the threads' Python work anyway);
    a sync worker has one thread and is not affected.
    """
    import contextlib
    import ctypes

    M_ARENA_MAX = -8  # glibc's mallopt parameter number
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, 2)
