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

    notify_cli = AppGroup("notify", help="Pushes and emails that say something is waiting.")

    @notify_cli.command("send-pending")
    def send_pending() -> None:
        """Queue emails for long-unread messages, then send everything due (run it from cron)."""
        from flask import current_app

        from .services import push

        queued = push.queue_unread_emails(current_app.config["EMAIL_UNREAD_AFTER"])
        counts = push.send_pending(limit=500)
        click.echo(
            f"Queued {queued} email(s). Sent {counts['sent']}, failed {counts['failed']} "
            f"(kept for a retry), gone {counts['gone']}."
        )

    app.cli.add_command(notify_cli)

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

    app.cli.add_command(db_cli)
