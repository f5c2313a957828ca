"""A student's deck as an Anki package (.apkg, written by genanki): one note a card, its answer spoken in the
target language as an MP3 in the package's media. Note ids are stable (genanki's guid of the card), so a
package imported again updates the notes it already made instead of doubling them."""

import hashlib
import io
import tempfile
from collections.abc import Iterable
from html import escape
from pathlib import Path

import genanki
from django.utils.translation import gettext as _

from .models import Card, CardKind
from .selectors.deck import card_cue

MODEL_ID = 1_730_415_601  # fixed: Anki recognises the note type across exports
CSS = """.card { font-family: system-ui, sans-serif; font-size: 22px; text-align: center; color: #1d2321; }
.cue { color: #5d6663; font-size: 16px; } .note { color: #5d6663; font-size: 16px; margin-top: 1em; }"""


def _model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID,
        "Language tutor card",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Note"}, {"name": "Audio"}, {"name": "Kind"}],
        templates=[
            {
                "name": "Recall",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<br>{{Audio}}<div class="note">{{Note}}</div>',
            }
        ],
        css=CSS,
    )


def deck_id(student_id: int, language: str) -> int:
    """Stable per student and language, within Anki's positive 63-bit ids."""
    digest = hashlib.sha256(f"tutor-deck:{student_id}:{language}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 2


def front_of(card: Card) -> str:
    """The cue with what to do with it, as the review page says it, in the language of the page that exports it."""
    cue = f'<span class="cue">{escape(card_cue(card).text)}</span>'
    match card.kind:
        case CardKind.CORRECTION:
            return _("Say it correctly:") + f"<br>{cue}"
        case CardKind.WORD:
            return _("How do you say it?") + f"<br>{cue}"
        case _:
            return _("Say it aloud:") + f"<br>{cue}"


def media_name(card: Card) -> str:
    return f"tutor-card-{card.pk}.mp3"


def deck_package(cards: Iterable[Card], *, student_id: int, title: str) -> bytes:
    """The .apkg's bytes. `cards` come with their audio (select_related("audio")); cards without any are
    exported without sound."""
    model = _model()
    decks: dict[str, genanki.Deck] = {}
    with tempfile.TemporaryDirectory(prefix="tutor-anki-") as folder:
        media = []
        for card in cards:
            deck = decks.get(card.language)
            if deck is None:
                deck = decks[card.language] = genanki.Deck(
                    deck_id(student_id, card.language), f"{title}::{card.language}"
                )
            sound = ""
            audio = getattr(card, "audio", None)
            if audio is not None:
                path = Path(folder) / media_name(card)
                path.write_bytes(bytes(audio.mp3))
                media.append(str(path))
                sound = f"[sound:{media_name(card)}]"
            note = "<br>".join(escape(line) for line in card.note.splitlines())  # a rule a line
            fields = [front_of(card), escape(card.back), note, sound, card.get_kind_display()]
            deck.add_note(
                genanki.Note(model=model, fields=fields, guid=genanki.guid_for(student_id, card.kind, card.key))
            )
        buffer = io.BytesIO()
        genanki.Package(list(decks.values()) or [genanki.Deck(deck_id(student_id, ""), title)], media).write_to_file(
            buffer
        )
    return buffer.getvalue()
