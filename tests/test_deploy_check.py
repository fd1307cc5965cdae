"""Production settings behind HTTPS pass Django's deployment checklist with no warnings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_with_production_settings_behind_https() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECURE_COOKIES", "STATIC_MANIFEST", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        BEHIND_HTTPS_PROXY="1",
        ALLOWED_HOSTS="myoplan.example.org",
        CSRF_TRUSTED_ORIGINS="https://myoplan.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
