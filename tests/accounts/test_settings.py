import os
import subprocess
import sys
from pathlib import Path

import pytest

from concord.env import ConfigError, email_settings, env_bool, env_timezone


def test_env_bool_fails_loudly(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ConfigError, match="DEBUG='ture' is not a boolean"):
        env_bool("DEBUG")


def test_timezone_must_be_iana(monkeypatch):
    monkeypatch.setenv("REPORTING_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError, match="IANA"):
        env_timezone("REPORTING_TIMEZONE", "UTC")


def test_email_url_parsing():
    smtp = email_settings("smtp://user:p%40ss@mail.example.com:587?tls=true")
    assert smtp["EMAIL_HOST"] == "mail.example.com" and smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss" and smtp["EMAIL_USE_TLS"] is True
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ConfigError, match="not supported"):
        email_settings("pigeon://coop")


def _check(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", *args],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "concord.settings", **env},
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
        timeout=120,
    )


def test_production_requires_a_secret_key(tmp_path):
    result = _check(
        {"CONCORD_ENV": "production", "ALLOWED_HOSTS": "concord.example.com", "CONCORD_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when CONCORD_ENV=production" in result.stderr


def test_production_passes_check_deploy(tmp_path):
    result = _check(
        {
            "CONCORD_ENV": "production",
            "ALLOWED_HOSTS": "concord.example.com",
            "SECRET_KEY": "k" * 20 + "x9!Qz" * 10,
            "CONCORD_VAR_DIR": str(tmp_path),
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
