"""The environment reader shared by the settings modules, and the values several of them need."""

from pathlib import Path

import environ

env = environ.Env()
ROOT = Path(__file__).resolve().parent.parent.parent
if (ROOT / ".env").is_file():  # optional: without one, django-environ would log that it is missing
    environ.Env.read_env(ROOT / ".env")

DATA_DIR = Path(env.str("TUTOR_DATA_DIR", default=str(ROOT / ".data")))
DATA_DIR.mkdir(parents=True, exist_ok=True)
REDIS_URL: str = env.str("REDIS_URL", default="")
