"""The production settings (docs/deploy.md's environment) pass `manage.py check --deploy` without a
warning, and every page carries the Content Security Policy (the browser tests run under it)."""

import secrets
import subprocess
import sys

from tests.config.test_migrations import ROOT


def test_the_deploy_settings_pass_the_deploy_check_without_a_warning(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TUTOR_DATA_DIR": str(tmp_path),
        "DJANGO_ALLOWED_HOSTS": "tutor.example.org",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://tutor.example.org",
        "DJANGO_BEHIND_TLS_PROXY": "true",
        "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout


def test_pages_carry_a_content_security_policy_of_this_site_only(client, db):
    policy = client.get("/accounts/login/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
