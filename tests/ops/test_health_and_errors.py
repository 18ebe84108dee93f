"""Probes, the 500 page under production static storage, and the settings production reads."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from concord.env import ConfigError, cache_settings, spark_conf
from concord.web import health

pytestmark = pytest.mark.django_db

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_healthz_answers_without_a_session():
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "alive"}


def test_readyz_is_ready_when_database_cache_and_lake_answer(settings, tmp_path):
    settings.LAKE_URI = str(tmp_path / "lake")  # a lake never written is reachable: nothing to read yet
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "lake": "ok", "static": "ok"},
    }


def test_readyz_names_an_unreachable_cache_without_saying_why(settings, tmp_path):
    settings.LAKE_URI = str(tmp_path / "lake")
    # port 1 on loopback: nothing listens, the connection is refused at once
    with override_settings(CACHES=cache_settings("redis://127.0.0.1:1/0")):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready" and body["checks"]["cache"] == "failing"
    assert body["checks"]["database"] == "ok"
    assert "127.0.0.1" not in response.content.decode()


def test_readyz_names_a_lake_that_cannot_be_read(settings, tmp_path):
    # a table whose Delta log is garbage: the store answers, the table cannot be read
    log = tmp_path / "lake" / "interactions" / "_delta_log"
    log.mkdir(parents=True)
    (log / "00000000000000000000.json").write_text("this is not a delta log")
    settings.LAKE_URI = str(tmp_path / "lake")
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["lake"] == "failing"


def test_readyz_names_static_files_not_collected(settings, tmp_path):
    settings.LAKE_URI = str(tmp_path / "lake")
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    with override_settings(STORAGES=MANIFEST_STORAGE):
        response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["static"] == "failing"


def test_production_static_storage_without_collectstatic_gives_a_plain_500_then_collecting_fixes_it(
    settings, tmp_path
):
    # given the production storage (hashed names from a manifest) and nothing collected yet
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.DEBUG = False
    with override_settings(STORAGES=MANIFEST_STORAGE):
        client = Client(raise_request_exception=False)
        # when a page that links its stylesheet is drawn
        response = client.get("/accounts/login/")
        # then the 500 handler answers itself, plainly, instead of failing on the same stylesheet
        assert response.status_code == 500
        assert b"Something went wrong on our side" in response.content
        # and once the files are collected (as concord serve --production does), the page is served
        call_command("collectstatic", "--no-input", "-v", "0")
        from django.contrib.staticfiles.storage import staticfiles_storage

        # this process read the manifest when it was missing; a server started after collecting reads it whole
        staticfiles_storage.hashed_files, staticfiles_storage.manifest_hash = staticfiles_storage.load_manifest()
        page = client.get("/accounts/login/")
        assert page.status_code == 200
        assert b"concord/concord." in page.content and b".css" in page.content


def test_cache_url_selects_djangos_redis_cache():
    caches = cache_settings("redis://127.0.0.1:6379/2")
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://127.0.0.1:6379/2"
    assert cache_settings(None)["default"]["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ConfigError, match="CACHE_URL scheme 'memcached'"):
        cache_settings("memcached://127.0.0.1:11211")


def test_spark_conf_is_read_from_one_variable():
    assert spark_conf("spark.executor.memory=2g; spark.sql.shuffle.partitions=8") == {
        "spark.executor.memory": "2g",
        "spark.sql.shuffle.partitions": "8",
    }
    with pytest.raises(ConfigError, match=r"not spark\.<name>=<value>"):
        spark_conf("executor.memory=2g")


def test_every_readiness_check_is_reported():
    assert set(health.CHECKS) == {"database", "cache", "lake", "static"}
