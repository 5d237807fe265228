"""flask commands: demo data, users, VAPID keys."""

from __future__ import annotations

import base64

import click
from flask import Flask
from flask.cli import AppGroup

from .services import demo


def register_cli(app: Flask) -> None:
    demo_cli = AppGroup("demo", help="Demo data for trying the app.")

    @demo_cli.command("load")
    @click.option("--if-empty", is_flag=True, help="Only load when there are no users yet.")
    def load(if_empty: bool) -> None:
        """Load the demo team, families and staff."""
        if if_empty and not demo.database_is_empty():
            click.echo("The database already has people in it: demo data not loaded.")
            return
        demo.load()
        click.echo("Demo data loaded. Sign in with any of these accounts:")
        for line in demo.account_lines():
            click.echo("  " + line)

    @demo_cli.command("accounts")
    def accounts() -> None:
        """Print the demo accounts, their password and the staff second-factor secret."""
        click.echo("Demo accounts:")
        for line in demo.account_lines():
            click.echo("  " + line)

    app.cli.add_command(demo_cli)

    push_cli = AppGroup("push", help="Web push.")

    @push_cli.command("keys")
    def keys() -> None:
        """Make a new VAPID key pair; put the lines it prints in the environment."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        private = ec.generate_private_key(ec.SECP256R1())
        raw_private = private.private_numbers().private_value.to_bytes(32, "big")
        raw_public = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        click.echo(f"VAPID_PRIVATE_KEY={b64(raw_private)}")
        click.echo(f"VAPID_PUBLIC_KEY={b64(raw_public)}")

    app.cli.add_command(push_cli)

    retention_cli = AppGroup("retention", help="Keeping records only as long as the law says.")

    @retention_cli.command("run")
    @click.option("--dry-run", is_flag=True, help="List what is past its date; remove nothing.")
    def retention_run(dry_run: bool) -> None:
        """Remove closed cases past the retention date (ids and dates only are printed)."""
        from datetime import date

        from flask import current_app

        from .services import retention

        found = retention.due(
            date.today(),
            current_app.config["RETAIN_UNTIL_AGE"],
            current_app.config["RETAIN_UNTIL_AGE_IF_17_AT_END"],
            current_app.config["RETAIN_YEARS_AFTER_DEATH"],
        )
        for item in found:
            click.echo(
                f"case {item.case_id}: closed {item.closed_on}, kept until {item.keep_until}"
            )
        if dry_run:
            click.echo(f"{len(found)} case(s) past the retention date; nothing removed (dry run).")
            return
        click.echo(f"Removed {retention.remove(found)} case(s).")

    app.cli.add_command(retention_cli)

    notify_cli = AppGroup("notify", help="Pushes and emails that say something is waiting.")

    @notify_cli.command("send-pending")
    def send_pending() -> None:
        """Queue emails for long-unread messages, then send everything due (run it from cron)."""
        from flask import current_app

        from . import jobs
        from .services import push

        queued = push.queue_unread_emails(current_app.config["EMAIL_UNREAD_AFTER"])
        if jobs.enabled():
            click.echo(f"Queued {queued} email(s); {jobs.enqueue_due()} job(s) for the workers.")
            return
        counts = push.send_pending(limit=500)
        click.echo(
            f"Queued {queued} email(s). Sent {counts['sent']}, failed {counts['failed']} "
            f"(kept for a retry), gone {counts['gone']}."
        )

    app.cli.add_command(notify_cli)

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Send everything that is due, then stop.")
    def worker(burst: bool) -> None:
        """Send pushes and emails from the job queue (needs REDIS_URL). Run one or more."""
        from flask import current_app

        from . import jobs

        if not jobs.enabled():
            click.echo(
                "REDIS_URL is not set: without a queue the web process sends pushes and "
                "emails itself, and `flask notify send-pending` (cron) retries them.",
                err=True,
            )
            raise SystemExit(2)
        name = current_app.config["QUEUE_NAME"]
        click.echo(
            f"Worker on queue {name}" + (" (burst: stops when nothing is due)" if burst else "")
        )
        ran = jobs.run_worker(burst=burst)
        click.echo(f"Ran {ran} job(s).")

    alerts_cli = AppGroup("alerts", help="Urgent signals and check-in reminders.")

    @alerts_cli.command("tick")
    def tick() -> None:
        """Escalate urgent signals nobody has seen, queue reminders, send the outbox.
        Run it every minute (cron, or the job queue)."""
        from . import jobs
        from .models import utcnow
        from .services import alerts

        counts = alerts.tick(utcnow(), send=not jobs.enabled())
        if jobs.enabled():
            click.echo(f"Queued {jobs.enqueue_due()} push(es) and email(s) for the workers.")
        click.echo(
            f"Checked {counts['alerts']} urgent signal(s), queued {counts['reminders']} "
            f"reminder(s). Sent {counts['sent']}, failed {counts['failed']} (kept for a retry), "
            f"gone {counts['gone']}."
        )

    app.cli.add_command(alerts_cli)

    appointments_cli = AppGroup("appointments", help="What happens next: appointments.")

    @appointments_cli.command("remind")
    def remind() -> None:
        """Queue the reminders that are due now (run it every 5 minutes, with notify
        send-pending); each is queued once, at the person's chosen London time."""
        from .models import utcnow
        from .services import appointments

        queued = appointments.due_reminders(utcnow())
        click.echo(f"Queued {queued} reminder(s).")

    app.cli.add_command(appointments_cli)

    easyread_cli = AppGroup("easyread", help="The easy-read library in easyread/.")

    @easyread_cli.command("lint")
    def lint_command() -> None:
        """Check every file against the easy-read rules; exit 1 if any is broken."""
        from . import easyread

        entries, problems = easyread.lint_library()
        for entry in entries:
            ease = easyread.reading_ease(entry)
            if ease is not None:
                click.echo(f"{entry.topic} ({entry.language}): reading ease {ease:.0f}")
        for problem in problems:
            click.echo(str(problem), err=True)
        if problems:
            raise SystemExit(1)
        click.echo(f"{len(entries)} files follow the easy-read rules.")

    @easyread_cli.command("sync")
    def sync_command() -> None:
        """Load new versions from the files, waiting for review. Loads nothing if any is wrong."""
        from .easyread import LibraryError
        from .services import content

        try:
            result = content.sync()
        except LibraryError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            click.echo("Nothing was loaded.", err=True)
            raise SystemExit(1) from None
        for line in result.added:
            click.echo(f"Waiting for review: {line}")
        click.echo(f"{len(result.added)} new, {result.unchanged} unchanged.")

    app.cli.add_command(easyread_cli)

    db_cli = AppGroup("db", help="The database.")

    @db_cli.command("upgrade")
    def upgrade() -> None:
        """Run the migrations up to the newest."""
        from flask import current_app

        from . import migrate

        url = current_app.config["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            from pathlib import Path

            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        migrate.upgrade(url)
        click.echo("The database is up to date.")

    @db_cli.command("check")
    def check() -> None:
        """Fail (exit 1) when the database is not at the newest migration, or when the models
        and the migrations differ (a change to a model without its migration)."""
        from flask import current_app

        from . import migrate

        problems = migrate.check(current_app.config["DATABASE_URL"])
        for problem in problems:
            click.echo(problem, err=True)
        if problems:
            raise SystemExit(1)
        click.echo("The models and the migrations agree, and the database is at the newest.")

    app.cli.add_command(db_cli)
