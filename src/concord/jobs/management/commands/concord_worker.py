"""``manage.py concord_worker``: the task worker (django-tasks' ``db_worker``) with a heartbeat.

At start it sweeps jobs left running by a dead process and cleans their leftovers
(``concord.jobs.maintenance``); while it runs it beats every few seconds, so pages
can say plainly when no worker is running and a job it held is failed promptly if it dies.
"""

from __future__ import annotations

import threading
from argparse import BooleanOptionalAction

from django.core.management import call_command
from django.core.management.base import BaseCommand

from concord.jobs import lifecycle, maintenance


class Command(BaseCommand):
    help = "Run the background task worker with a heartbeat; sweep dead jobs and clean their leftovers first."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reload", action=BooleanOptionalAction, default=False,
                            help="Restart on code changes (development only).")
        parser.add_argument("--batch", action="store_true", help="Run every queued task, then exit.")

    def handle(self, *args, reload: bool = False, batch: bool = False, **options) -> None:
        name = lifecycle.worker_name()
        lifecycle.CURRENT_WORKER["name"] = name
        lifecycle.worker_beat(name)
        report = maintenance.run()
        self.stdout.write(f"worker {name}: start-up maintenance {report}")
        stop = threading.Event()

        def beat() -> None:
            from django.db import connection

            try:
                while not stop.wait(lifecycle.HEARTBEAT_EVERY):
                    lifecycle.worker_beat(name)
            finally:
                connection.close()

        thread = threading.Thread(target=beat, name="worker-heartbeat", daemon=True)
        thread.start()
        try:
            call_command("db_worker", reload=reload, batch=batch)
        finally:
            stop.set()
            thread.join(timeout=5)
            lifecycle.worker_gone(name)
