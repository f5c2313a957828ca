"""What runs on the hosts: PostgreSQL and Redis of their own on the data host, the app's Daphne on the app hosts,
Celery on the worker host, nginx on the edge host (configured as docs/deploy.md says, plain HTTP)."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .hosts import Host, kill

ROOT = Path(__file__).resolve().parents[2]
APP_PORT = 8001
PG_PORT, REDIS_PORT = 5432, 6379
WORKER_METRICS_PORT = 9808
METRICS_TOKEN = "cluster-metrics-token"
# The Gemini fakes serve on the edge host's loopback (their certificate names 127.0.0.1); socat carries each to the
# same port on the loopback of the hosts that call it, by the edge host's address.
LIVE_FAKE_PORT, REST_FAKE_PORT = 8443, 8444
GEMINI_KEY = "cluster-gemini-key"


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        raise RuntimeError("no PostgreSQL server under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


def wait_port(address: str, port: int, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    """Until something listens there (the caller is in a namespace that reaches it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process for {address}:{port} exited with {process.returncode}")
        try:
            with socket.create_connection((address, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens at {address}:{port}")


class Postgres:
    def __init__(self, host: Host, address: str, folder: Path) -> None:
        self.host, self.address, self.folder = host, address, folder / "pgdata"
        self.process: subprocess.Popen | None = None

    def init(self) -> None:
        self.folder.mkdir(parents=True)
        shutil.chown(self.folder, "postgres", "postgres")
        self.host.run("runuser", "-u", "postgres", "--", str(postgres_bin() / "initdb"), "-D", str(self.folder),
                      "-U", "postgres", "--auth=trust", "-E", "UTF8")  # fmt: skip
        with (self.folder / "pg_hba.conf").open("a") as hba:
            hba.write("host all all 10.77.0.0/24 trust\n")

    def start(self) -> None:
        command = [str(postgres_bin() / "postgres"), "-D", str(self.folder), "-c", f"listen_addresses={self.address}",
                   "-c", f"port={PG_PORT}", "-c", f"unix_socket_directories={self.folder}", "-c", "fsync=off",
                   "-c", "max_connections=200"]  # fmt: skip
        self.process = self.host.start("postgres", command, dict(os.environ), user="postgres")
        wait_port(self.address, PG_PORT, process=self.process)
        deadline = time.monotonic() + 60
        while self.host.run(str(postgres_bin() / "pg_isready"), "-q", "-h", self.address, "-p", str(PG_PORT),
                            check=False).returncode:  # fmt: skip
            if time.monotonic() > deadline:
                raise TimeoutError("PostgreSQL did not come up")
            time.sleep(0.1)

    def stop(self) -> None:
        """A fast shutdown: every connection is closed, and new ones are refused until it starts again."""
        if self.process is not None:
            kill(self.process, signal.SIGINT, wait=30)

    @property
    def url(self) -> str:
        return f"postgres://postgres@{self.address}:{PG_PORT}/tutor"

    def create_database(self) -> None:
        self.host.run("runuser", "-u", "postgres", "--", str(postgres_bin() / "createdb"), "-h", self.address,
                      "-p", str(PG_PORT), "tutor")  # fmt: skip


class Redis:
    def __init__(self, host: Host, address: str, folder: Path) -> None:
        self.host, self.address, self.folder = host, address, folder / "redis"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """No snapshot, no append-only file: a restart loses everything, as a Redis restart did in the issue."""
        self.folder.mkdir(parents=True, exist_ok=True)
        command = ["redis-server", "--bind", self.address, "--port", str(REDIS_PORT), "--dir", str(self.folder),
                   "--save", "", "--appendonly", "no", "--protected-mode", "no"]  # fmt: skip
        self.process = self.host.start("redis", command, dict(os.environ))
        wait_port(self.address, REDIS_PORT, process=self.process)

    def stop(self) -> None:
        if self.process is not None:
            kill(self.process)

    @property
    def url(self) -> str:
        return f"redis://{self.address}:{REDIS_PORT}/0"


def app_env(base: dict[str, str], *, data_dir: Path, database: str, redis: str, allowed: list[str],
            tutor: str, gemini: str, ca_file: Path) -> dict[str, str]:  # fmt: skip
    """`tutor`: offline, or gemini at `gemini` (a fake, through socat) trusted by `ca_file`."""
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "cluster-bench-secret-key-cluster-bench-secret-key",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": ",".join(allowed),
        "DJANGO_CSRF_TRUSTED_ORIGINS": ",".join(f"http://{host}" for host in allowed),
        "DJANGO_SSL_REDIRECT": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_SECURE_COOKIES": "false",
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "TUTOR_DATA_DIR": str(data_dir),
        "TUTOR_PROVIDER": tutor,
        "TUTOR_FAILOVER": "off",
        "GEMINI_API_KEY": GEMINI_KEY if tutor == "gemini" else "",
        "GEMINI_BASE_URL": gemini,
        "GEMINI_CA_FILE": str(ca_file),
        "OPENAI_API_KEY": "",
        "METRICS_TOKEN": METRICS_TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(data_dir / "metrics"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def forward(host: Host, name: str, listen: str, port: int, to: str, to_port: int) -> subprocess.Popen:
    """socat on `host`: what reaches listen:port goes on to to:to_port."""
    command = ["socat", f"TCP-LISTEN:{port},bind={listen},fork,reuseaddr", f"TCP:{to}:{to_port}"]
    return host.start(f"socat-{name}", command, dict(os.environ))


class App:
    """One app host's Daphne, as docs/deploy.md runs it."""

    def __init__(self, host: Host, env: dict[str, str]) -> None:
        self.host, self.env = host, env
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        metrics = Path(self.env["PROMETHEUS_MULTIPROC_DIR"])
        metrics.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "config.server", "-b", self.host.address, "-p", str(APP_PORT)]
        self.process = self.host.start("daphne", command, self.env, cwd=ROOT)
        wait_port(self.host.address, APP_PORT, process=self.process)

    def kill9(self) -> None:
        kill(self.process, signal.SIGKILL)

    @property
    def url(self) -> str:
        return f"http://{self.host.address}:{APP_PORT}"


class Worker:
    def __init__(self, host: Host, env: dict[str, str]) -> None:
        self.host = host
        self.env = {**env, "CELERY_METRICS_PORT": str(WORKER_METRICS_PORT), "CELERY_METRICS_ADDRESS": host.address}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        Path(self.env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads", "--concurrency=4",
                   "--loglevel=WARNING", "-n", f"cluster-{time.monotonic_ns()}@%h"]  # fmt: skip
        self.process = self.host.start("worker", command, self.env, cwd=ROOT)
        wait_port(self.host.address, WORKER_METRICS_PORT, process=self.process)

    def start_beat(self) -> None:
        """Celery beat, apart from the worker (docs/deploy.md: one, anywhere), so killing the worker leaves it: it
        runs the sweep that queues again what a killed worker left."""
        command = [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=WARNING"]
        self.host.start("beat", command, {**self.env, "CELERY_METRICS_PORT": "0"}, cwd=ROOT)


NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream tutor {{ {servers} }}
    server {{
        listen {address}:80;
        client_max_body_size 5m;
        location /ws/ {{
            proxy_pass http://tutor;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 3600s;
            proxy_connect_timeout 2s;
        }}
        location = /metrics {{ return 404; }}
        location / {{
            proxy_pass http://tutor;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


class Nginx:
    def __init__(self, host: Host, apps: list[App], folder: Path) -> None:
        self.host, self.folder = host, folder / "nginx"
        self.folder.mkdir(parents=True)
        servers = " ".join(f"server {app.host.address}:{APP_PORT} max_fails=1 fail_timeout=5s;" for app in apps)
        self.conf = self.folder / "nginx.conf"
        self.conf.write_text(NGINX_CONF.format(prefix=self.folder, servers=servers, address=host.address))

    def start(self) -> None:
        command = ["nginx", "-p", str(self.folder), "-c", str(self.conf), "-g", "daemon off; user root;"]
        process = self.host.start("nginx", command, dict(os.environ))
        wait_port(self.host.address, 80, process=process)

    @property
    def url(self) -> str:
        return f"http://{self.host.address}"
