"""Gunicorn's settings for ``concord serve --production`` (``--config python:concord.gunicorn_conf``).

Threads rather than many processes: each process keeps its own query-engine connection
and a few hundred MB of it, while page requests mostly wait on the cache, the database
or that one connection. Logs go to stdout/stderr, as JSON lines when LOG_FORMAT=json
(the production default), like Django's own.
"""

import os

from concord.logformat import JSON_FORMATTER, log_format

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "8"))
worker_class = "gthread"
# a cold scorecard over a large lake can take a while; a hung request is still cut off
timeout = int(os.environ.get("WEB_TIMEOUT", "120"))
graceful_timeout = 20  # below concord serve's grace period, so gunicorn finishes first
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'

if log_format() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": JSON_FORMATTER},
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        },
        "root": {"handlers": ["stderr"], "level": "INFO"},  # gunicorn's default names a handler replaced here
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }


def post_worker_init(worker):
    """Import every view now, not on a worker's first request: Django loads the URLconf (and with
    it altair, ibis, the lake) lazily, which made each worker's first answer take seconds."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (the import is the point)
