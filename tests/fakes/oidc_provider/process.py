"""The test provider in a subprocess: its key made here, its client registered for the tool's callback, and the
switch that breaks its id_tokens' signature."""

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.fakes.lti_platform import private_pem, rsa_key
from tests.servers import ROOT, free_port

START_TIMEOUT = 60.0
CLIENT_ID = "language-tutor"
CLIENT_SECRET = "tutor-secret-of-the-school"
USERS = [
    {"username": "lea", "password": "lea-pass-2026", "email": "lea@school.example", "first_name": "Léa",
     "last_name": "Moreau", "role": "student"},
    {"username": "mme.roux", "password": "roux-pass-2026", "email": "claire.roux@school.example",
     "first_name": "Claire", "last_name": "Roux", "role": "teacher"},
    {"username": "outsider", "password": "out-pass-2026", "email": "max@elsewhere.example", "first_name": "Max",
     "last_name": "Weber", "role": "student"},
]  # fmt: skip


@dataclass
class Provider:
    url: str
    data: Path

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def tamper(self, on: bool) -> None:
        flag = self.data / "tamper"
        flag.touch() if on else flag.unlink(missing_ok=True)

    def settings(self) -> dict[str, str]:
        """The tool's environment for this provider, as an operator sets it."""
        return {
            "OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_PROVIDER_NAME": "École Test", "OIDC_ALLOWED_DOMAINS": "school.example",
            "OIDC_ROLE_CLAIM": "role", "OIDC_TEACHER_VALUES": "teacher",
        }  # fmt: skip


@contextlib.contextmanager
def oidc_provider(folder: Path, *, tool_url: str) -> Iterator[Provider]:
    """Start the provider for a tool served at `tool_url`; stop it on exit."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "signing-key.pem").write_text(private_pem(rsa_key()))
    (folder / "client.json").write_text(json.dumps({
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "redirect_uri": f"{tool_url}/accounts/oidc/callback/", "post_logout_redirect_uri": f"{tool_url}/",
        "users": USERS,
    }))  # fmt: skip
    port = free_port()
    log = (folder / "provider.log").open("w")
    environment = {**os.environ, "OIDC_PROVIDER_DATA": str(folder), "PYTHONUNBUFFERED": "1"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.oidc_provider.serve", str(port)],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    provider = Provider(url=f"http://127.0.0.1:{port}", data=folder)
    try:
        _wait_for(provider, process, folder / "provider.log")
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def _wait_for(provider: Provider, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the provider exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            discovery = f"{provider.issuer}/.well-known/openid-configuration/"
            with urllib.request.urlopen(discovery, timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.1)
    raise RuntimeError(f"the provider did not answer within {START_TIMEOUT}s:\n{log.read_text()[-3000:]}")
