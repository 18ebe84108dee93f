"""``manage.py concord_maintenance``: sweep dead jobs and remove leftovers of failed or killed runs now."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from concord.jobs import maintenance


class Command(BaseCommand):
    help = "Mark jobs of dead processes failed and remove staging, temp and orphan files no live run uses."

    def handle(self, *args, **options) -> None:
        for part, counts in maintenance.run().items():
            self.stdout.write(f"{part}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
