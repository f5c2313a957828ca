"""Channel-layer group names of a live session, shared by the host, Celery tasks and watchers."""


def control_group(session_id: int) -> str:
    """Hosts listen here: takeovers from other processes, new summaries from Celery."""
    return f"session.{session_id}"


def watch_group(session_id: int) -> str:
    """Teachers' live views listen here: every event of the session but audio."""
    return f"session.{session_id}.watch"
