"""One host per live session, fenced: the process that takes a session up records its channel and a new epoch
here (the database, which a Redis restart does not erase); every write of a live runner is checked against the
epoch it took (`session_write_fenced`), so a runner another process has since taken over from writes nothing more,
and never ends the session."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F

from tutor.session.store import Fenced

from ..models import TutorSession


def session_host_claim(*, session_id: int, channel: str) -> int:
    """This process hosts the session from now on: returns its epoch (one more than the last host's)."""
    with transaction.atomic():
        TutorSession.objects.filter(pk=session_id).update(host_channel=channel, host_epoch=F("host_epoch") + 1)
        return TutorSession.objects.values_list("host_epoch", flat=True).get(pk=session_id)


def session_host_channel(*, session_id: int) -> str:
    """The channel of the process that last took the session up ("" if none)."""
    return TutorSession.objects.values_list("host_channel", flat=True).get(pk=session_id)


def session_host_release(*, session_id: int, epoch: int | None) -> None:
    """The host's runner is done: the next process need not ask it to let go (unless another took it since)."""
    TutorSession.objects.filter(pk=session_id, host_epoch=epoch).update(host_channel="")


def session_write_fenced(*, epoch: int | None, write: Callable[..., Any], **kwargs: Any) -> Any:
    """`write(**kwargs)` (a write of kwargs["session_id"]) only while `epoch` is the session's; None: unfenced (a
    store no host has claimed for, such as the replay of a dead process's journal)."""
    if epoch is not None:
        session_id = kwargs["session_id"]
        current = TutorSession.objects.values_list("host_epoch", flat=True).get(pk=session_id)
        if current != epoch:
            raise Fenced(f"session {session_id} is hosted at epoch {current}, this runner holds {epoch}")
    return write(**kwargs)
