"""``manage.py concord_worker``: the task worker (django-tasks' ``db_worker``) with a heartbeat.

At start it sweeps jobs left running by a dead process and cleans their leftovers
(``concord.jobs.maintenance``); while it runs it beats every few seconds, so pages
can say plainly when no worker is running and a job it held is failed promptly if it dies.
"""

from __future__ import annotations

import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from concord.jobs import lifecycle, maintenance


class Command(BaseCommand):
    help = "Run the background task worker with a heartbeat; sweep dead jobs and clean their leftovers first."

    def add_arguments(self, parser) -> None:
        parser.add_argument("worker_args", nargs="*", help="Passed on to db_worker (e.g. --queue-name default).")

    def handle(self, *args, worker_args=(), **options) -> None:
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
            call_command("db_worker", *worker_args)
        finally:
            stop.set()
            thread.join(timeout=5)
            lifecycle.worker_gone(name)
