"""A student's data as one zip: a JSON file per subject (profile, sessions, deck, levels, usage) and the deck as an
Anki package, the files named so a family can open them without this app."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from practice.anki import deck_package
from practice.models import Card

from .selectors import learner_data

FORMAT_VERSION = 1


def _json(document) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def learner_archive(*, student: User) -> bytes:
    """The zip's bytes: profile.json, sessions.json, deck.json, levels.json, usage.json, deck.apkg and an index."""
    sessions = learner_data.learner_sessions(student=student)
    documents = {
        "profile.json": learner_data.learner_profile(student=student),
        "sessions.json": sessions,
        "deck.json": learner_data.learner_deck(student=student),
        "levels.json": learner_data.learner_levels(student=student),
        "usage.json": learner_data.learner_usage(student=student),
    }
    cards = Card.objects.filter(student=student).select_related("audio").order_by("pk")
    index = {
        "format": FORMAT_VERSION,
        "student": student.username,
        "exported_at": timezone.now(),
        "files": {
            "profile.json": _("Who you are here: name, e-mail, role, language, classes, sign-in identities."),
            "sessions.json": _(
                "Every session: transcript, corrections, words, pronunciation notes, summaries, report, teachers' "
                "comments, usage and cost."
            ),
            "deck.json": _("The cards of your deck and the log of every review."),
            "levels.json": _("Your level and totals in each language, and the placements you took."),
            "usage.json": _("What each session used of the tutor services and what it cost."),
            "deck.apkg": _("Your deck as an Anki package."),
        },
        "sessions": len(sessions),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.json", _json(index))
        for name, document in documents.items():
            archive.writestr(name, _json(document))
        archive.writestr("deck.apkg", deck_package(cards, student_id=student.pk, title=student.username))
    return buffer.getvalue()
