"""Structured logging: one JSON object a line in production, readable lines under `make run`."""


def logging_config(*, debug: bool, level: str) -> dict:
    formatter = (
        {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"}
        if debug
        else {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"quiet_refusals": {"()": "config.log_filters.QuietRefusals"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.channels.server": {"level": "WARNING"},
            "daphne": {"level": "WARNING"},
            # A refused or missing page is expected: one warning line, no traceback (config/log_filters.py).
            "django.request": {"filters": ["quiet_refusals"]},
            "websockets": {"level": "WARNING"},
            "httpx": {"level": "WARNING"},
            # The embedded broker has no host name, and kombu says so at every connection.
            "kombu.connection": {"level": "ERROR"},
        },
    }
