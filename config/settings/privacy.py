"""A learner's data (docs/privacy.md): how long transcripts are kept."""

from .env import env

# Days a finished session's transcript is kept; 0 keeps it for ever. Celery beat deletes older ones daily.
PRIVACY_TRANSCRIPT_RETENTION_DAYS: int = env.int("PRIVACY_TRANSCRIPT_RETENTION_DAYS", default=0)
