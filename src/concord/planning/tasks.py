"""Background work: a requested forecast, computed by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def forecast_task(forecast_id: int) -> dict:
    from . import services

    forecast = services.run_forecast(forecast_id)
    return {"forecast": forecast.pk, "status": forecast.status, "model": forecast.model}
