"""Settings are read from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "magazine.example",
    "DJANGO_SETTINGS_MODULE": "holr.settings",
    "SITE_URL": "https://magazine.example",
}


def run(args, **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SITE_", "CACHE_", "REDIS_", "DATABASE_", "MEDIA_"))
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=120
    )


def settings_value(expression, **env):
    result = run(
        [
            "-c",
            f"import django, json; django.setup(); from django.conf import settings; print(json.dumps({expression}))",
        ],
        **{"DJANGO_SETTINGS_MODULE": "holr.settings", **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_check_reports_nothing_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_warns_about_a_local_site_url():
    """Canonical links would point at 127.0.0.1: the deploy check says so."""
    result = run(["manage.py", "check", "--deploy"], **(PRODUCTION | {"SITE_URL": "http://127.0.0.1:8000"}))
    assert "holr.W002" in result.stderr + result.stdout


def test_site_will_not_serve_without_a_secret_key_when_debug_is_off():
    """No fallback key: the WSGI and ASGI applications refuse to start."""
    for module in ("holr.wsgi", "holr.asgi"):
        result = run(["-c", f"import {module}"], DJANGO_SETTINGS_MODULE="holr.settings")
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_deploy_check_flags_a_missing_secret_key():
    environment = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"}
    result = run(["manage.py", "check", "--deploy"], **environment)
    assert "security.W009" in result.stderr + result.stdout


def test_commands_that_need_no_key_run_without_one():
    """Developers can make and check migrations without inventing a secret."""
    result = run(
        ["manage.py", "makemigrations", "--check", "--dry-run"], DJANGO_SETTINGS_MODULE="holr.settings"
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_debug_is_off_unless_asked():
    assert settings_value("settings.DEBUG", **PRODUCTION) is False
    assert settings_value("settings.DEBUG", DJANGO_DEBUG="1") is True


def test_https_is_on_by_default_in_production_and_can_be_turned_off():
    on = settings_value(
        "[settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE]",
        **PRODUCTION,
    )
    off = settings_value(
        "[settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE]",
        **PRODUCTION,
        DJANGO_HTTPS="0",
    )
    assert on == [True, 31536000, True]
    assert off == [False, 0, False]


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "django.db.backends.sqlite3"),
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/holr"}, "django.db.backends.postgresql"),
    ],
)
def test_database_comes_from_database_url(env, expected):
    assert settings_value("settings.DATABASES['default']['ENGINE']", **PRODUCTION, **env) == expected


def test_cache_is_local_memory_by_default_and_redis_with_redis_url():
    assert settings_value("settings.CACHES['default']['BACKEND']", **PRODUCTION).endswith("LocMemCache")
    assert settings_value(
        "settings.CACHES['default']['BACKEND']", **PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/1"
    ).endswith("RedisCache")


def test_site_name_url_and_media_root_come_from_the_environment(tmp_path):
    values = settings_value(
        "[settings.SITE_NAME, settings.SITE_URL, str(settings.MEDIA_ROOT)]",
        **(
            PRODUCTION
            | {"SITE_NAME": "The Review", "SITE_URL": "https://review.example/", "MEDIA_ROOT": str(tmp_path)}
        ),
    )
    assert values == ["The Review", "https://review.example", str(tmp_path)]


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="set REDIS_URL to test against Redis (.ci/run does)"
)
def test_redis_cache_works_against_a_running_redis():
    """With REDIS_URL the cache really talks to Redis (the client library is installed)."""
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.core.cache import cache; "
            "cache.set('holr-settings-test', 'ok', 5); print(cache.get('holr-settings-test'))",
        ],
        **PRODUCTION,
        REDIS_URL=os.environ["REDIS_URL"],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
