"""Celery: Redis when REDIS_URL is set, else an embedded filesystem broker that needs no server."""

from .env import DATA_DIR, REDIS_URL, env

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # How long a message taken by a worker stays invisible before Redis hands it to another (a worker killed with
    # it): the longest a task holds a message, a retry's countdown (60 s at most) and a text-model call (60 s), with
    # room to spare. Work lost on the embedded broker, or sooner, is asked for again by the sweep below.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 300}
else:
    _broker = DATA_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker / _folder).mkdir(parents=True, exist_ok=True)
    (DATA_DIR / "results").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{DATA_DIR / 'results'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker / "queue"),
        "data_folder_out": str(_broker / "queue"),
        "processed_folder": str(_broker / "processed"),
        "control_folder": str(_broker / "control"),
        "store_processed": False,
        # Short polling keeps a summary or report a fraction of a second behind its trigger.
        "polling_interval": 0.1,
    }

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=CELERY_BROKER_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_RESULT_BACKEND)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Each task sits beside the service it wraps; these are the modules that hold tasks.
CELERY_IMPORTS = (
    "practice.services.sessions",
    "practice.services.summaries",
    "practice.services.reports",
    "practice.services.deck",
    "practice.services.recovery",
    "live.health",
    "privacy.services.retention",
    "lti.services.grades",
)
CELERY_BEAT_SCHEDULE = {
    "end-stale-sessions": {"task": "practice.services.sessions.sessions_end_stale_task", "schedule": 600.0},
    # Reports, summaries and cards a killed worker left half done (practice/services/recovery.py).
    "requeue-stuck-work": {"task": "practice.services.recovery.stuck_work_requeue_task", "schedule": 60.0},
    # Transcripts past PRIVACY_TRANSCRIPT_RETENTION_DAYS (config/settings/privacy.py), once a day.
    "delete-expired-transcripts": {
        "task": "privacy.services.retention.transcripts_delete_expired_task",
        "schedule": 86_400.0,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
