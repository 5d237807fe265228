"""The job queue for every push and email: RQ on Redis when REDIS_URL is set.

The outbox table stays the source of truth. A job carries only an outbox row's id; the worker
claims the row (services/push.py `claim`) before it sends, so a job that runs twice, or two
workers, never send the same row twice. Each worker also looks in the outbox every
WORKER_SWEEP_SECONDS and queues what is due (retries whose time has come, and anything whose job
was lost, say because Redis was flushed or restarted): nothing is lost with Redis.

Without REDIS_URL (`make run`), the web process sends, after the response, in the thread that
served the request, so the two-command set-up needs no other service.
"""

from __future__ import annotations

import logging
import threading

from flask import after_this_request, current_app

log = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def _redis():
    import redis

    found = current_app.extensions.get("queue_redis")
    if found is None:
        found = redis.Redis.from_url(
            current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5
        )
        current_app.extensions["queue_redis"] = found
    return found


def queue():
    from rq import Queue

    return Queue(current_app.config["QUEUE_NAME"], connection=_redis())


def _marker(item_id: int) -> str:
    return f"{current_app.config['QUEUE_NAME']}:queued:{item_id}"


def enqueue_due(limit: int = 500) -> int:
    """Queue a job for each outbox row that is due and not already queued. Safe to run from
    every web process and every worker at once: a row queued twice is still sent once."""
    from .services import push

    connection, jobs, queued = _redis(), queue(), 0
    ttl = current_app.config["QUEUE_REQUEUE_AFTER"]
    for item_id in push.due_ids(limit=limit):
        if connection.set(_marker(item_id), 1, nx=True, ex=ttl):
            jobs.enqueue(
                "webapp.jobs.deliver", item_id, result_ttl=0, failure_ttl=7 * 24 * 3600,
                job_timeout=120,
            )  # fmt: skip
            queued += 1
    return queued


def deliver(item_id: int) -> str:
    """The job. It runs in `flask worker`, inside the app's context."""
    from .extensions import db
    from .services import push

    try:
        return push.send_one(item_id)
    finally:
        db.session.remove()
        # Whatever happened, the row may be queued again when it is next due.
        try:
            _redis().delete(_marker(item_id))
        except Exception:  # Redis went away mid-job: the marker expires by itself
            log.warning("Could not clear a queue marker (Redis did not answer)")


def after_response(limit: int = 10) -> None:
    """Once the person has their page: queue what is waiting (REDIS_URL), or send it here.
    Never makes them wait, and what fails stays in the outbox for a retry."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the real app, for after the request

    @after_this_request
    def later(response):
        def work():
            with app.app_context():
                if enabled():
                    try:
                        enqueue_due(limit=limit)
                    except Exception:  # Redis is down: the workers' sweep queues it later
                        log.warning("Could not queue pushes and emails (Redis did not answer)")
                    return
                from .services import push

                # A short budget and timeout, so slow push services cannot hold this thread.
                push.send_pending(limit=limit, budget=app.config["PUSH_SEND_BUDGET"])

        response.call_on_close(work)
        return response


def run_worker(burst: bool = False) -> int:
    """`flask worker`: RQ's SimpleWorker (jobs run in this process, in the app's context; no
    fork per job) with a sweep of the outbox beside it. `--burst` sends everything due and
    stops (for CI and cron); returns how many jobs ran."""
    from rq import SimpleWorker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    jobs = queue()
    if burst:
        ran = 0
        while enqueue_due() or jobs.count:
            worker = SimpleWorker([jobs], connection=_redis())
            worker.work(burst=True, logging_level="WARNING")
            ran += worker.successful_job_count + worker.failed_job_count
        return ran
    stop = threading.Event()

    def sweep():
        while not stop.wait(app.config["WORKER_SWEEP_SECONDS"]):
            with app.app_context():
                try:
                    enqueue_due()
                except Exception:
                    log.exception("The outbox sweep failed; trying again")

    enqueue_due()
    threading.Thread(target=sweep, name="outbox-sweep", daemon=True).start()
    worker = SimpleWorker([jobs], connection=_redis())
    try:
        worker.work(logging_level="INFO")
    finally:
        stop.set()
    return worker.successful_job_count
