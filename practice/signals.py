"""What practice tells the apps above it, which it may not import (pyproject.toml's layers): a session ended.
Sent inside session_end's transaction, so a receiver's writes and its tasks dispatched on commit go with it."""

from django.dispatch import Signal

# Sent with `session` (the TutorSession just ended, once; never again for the same session).
session_ended = Signal()
