"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`. Each can be changed from the
environment (see README, Deploy)."""

import multiprocessing
import os

# Where to listen: BIND ("0.0.0.0:8000", "unix:/run/mkw.sock"), else HOST and PORT.
_host = os.environ.get("HOST", "0.0.0.0")  # noqa: S104 - behind a proxy, in a private network
bind = os.environ.get("BIND") or f"{_host}:{os.environ.get('PORT', '8000')}"

# Workers from the CPU count (gunicorn's rule of thumb, 2 per core + 1), capped so a big
# machine does not open more database connections than PostgreSQL allows; WEB_CONCURRENCY
# overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 12))

# gthread, not sync: a request mostly waits (PostgreSQL, Redis, argon2, which releases the
# GIL), and after each message the worker hands the outbox to the queue once the response is
# sent. Threads let one worker serve other people meanwhile, with one process's memory, and
# keep-alive connections from the proxy do not hold a whole worker.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)

timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20
keepalive = 5
# A worker is replaced now and then, so a slow leak never builds up. The jitter is wide so
# that workers are seldom replaced together: with 2000 +/- 200, both of make load's two
# workers restarted in the same 3 seconds and every request waited (4 s, the p95 doubled).
# Not too often either: a new worker takes over a second of CPU to start (imports, the app),
# and a worker serving kept pages at 400 a second was replaced every 10 s with 4000 +/- 2000
# (make bench: the plan page 600-840 requests a second from round to round, 810-850 without).
max_requests = 40000
max_requests_jitter = 20000

# The client's address and scheme come from ProxyFix in the app (TRUSTED_PROXIES hops), not
# from gunicorn's own header handling, so there is one rule, not two.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}

# Logs: the app writes one JSON line per request (with its request id); gunicorn's own access
# log would repeat it without the id, so it stays off. gunicorn's messages are JSON too.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "webapp.observability.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
    },
}
if os.environ.get("LOG_FORMAT", "json").lower() == "text":
    logconfig_dict = {}
