"""What an ended session gives the student's deck: a card for every correction, every lesson word learned or
missed, and every pronunciation note, de-duplicated (one card per thing, however often it comes up), each with
its audio; and, after a spoken review, the drilled cards' ratings. Runs once per session, in Celery
(deck_update_task, dispatched by session_end on commit).

A lesson word is *missed* when the session's student spoke but the tutor never marked the word used or learned.
"""

import logging
import unicodedata
from dataclasses import dataclass

from celery import shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lessons import texts
from lessons.models import Purpose

from ..models import Card, CardAudio, CardKind, Speaker, TutorSession, VocabularyStatus
from ..speech import spoken_mp3
from .drills import drill_grade

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardDraft:
    kind: str
    front: str
    back: str
    note: str = ""
    estimate: bool = False
    cues: tuple[tuple[str, str], ...] = ()  # a word's cue in each language its lesson gives, its own first


def card_key(language: str, text: str) -> str:
    """What makes two cards the same: the language and the answer, ignoring case and punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = "".join(char if char.isalnum() else " " for char in folded).split()
    return f"{language.split('-')[0].lower()}:{' '.join(words)}"[:300]


def drafts_of(session: TutorSession) -> list[CardDraft]:
    # A correction's card says why on its back: the rule it broke (the explanation when the tutor named none).
    drafts = [
        CardDraft(CardKind.CORRECTION, c.original, c.corrected, c.rule or c.explanation)
        for c in session.corrections.order_by("created_at", "id")
    ]
    spoke = session.turns.filter(role=Speaker.STUDENT).exclude(text="").exists()
    if spoke and session.lesson.purpose == Purpose.LESSON:
        events = session.vocabulary_events.values_list("word", "status")
        marked = {word for word, _status in events}
        learned = {word for word, status in events if status == VocabularyStatus.LEARNED}
        lesson, reader = session.lesson, session.written_for
        for item in lesson.vocabulary.all():
            if item.term in learned or item.term not in marked:
                shown = texts.word_translation(item, lesson, reader)
                cues = tuple((code, text) for code, text in texts.word_cues(item, lesson))
                drafts.append(CardDraft(CardKind.WORD, shown.text if shown else item.term, item.term, item.example,
                                        cues=cues))  # fmt: skip
    drafts += [
        CardDraft(CardKind.PRONUNCIATION, p.word, p.word, _pronunciation_note(p.heard_as, p.tip), p.estimate)
        for p in session.pronunciation_notes.order_by("created_at", "id")
    ]
    return drafts


def _pronunciation_note(heard_as: str, tip: str) -> str:
    return " · ".join(part for part in (f"≠ {heard_as}" if heard_as else "", tip) if part)


def deck_update(*, session_id: int) -> list[Card]:
    """Once per session (a retried task finds it done); returns the cards it made."""
    with transaction.atomic():
        session = TutorSession.objects.select_for_update().select_related("lesson", "student").get(pk=session_id)
        if session.deck_updated_at is not None:
            return []
        made = _cards_from(session)
        if session.lesson.purpose == Purpose.REVIEW:
            drill_grade(session=session)
        TutorSession.objects.filter(pk=session.pk).update(deck_updated_at=timezone.now())
    for card in made:
        card_audio_make(card=card)
    return made


@shared_task
def deck_update_task(session_id: int) -> int:
    return len(deck_update(session_id=session_id))


def _cards_from(session: TutorSession) -> list[Card]:
    language, made, seen = session.lesson.language, [], set()
    for draft in drafts_of(session):
        key = card_key(language, draft.back)
        if not key.split(":", 1)[1] or (draft.kind, key) in seen:
            continue
        seen.add((draft.kind, key))
        card, created = Card.objects.get_or_create(
            student=session.student,
            kind=draft.kind,
            key=key,
            defaults={
                "language": language,
                "front": draft.front,
                "back": draft.back,
                "note": draft.note,
                "estimate": draft.estimate,
                "cues": [list(pair) for pair in draft.cues],
                "source_session": session,
                "due": timezone.now(),
            },
        )
        if created:
            made.append(card)
        else:
            Card.objects.filter(pk=card.pk).update(occurrences=F("occurrences") + 1)
    return made


def card_audio_make(*, card: Card) -> CardAudio | None:
    """The card's answer spoken in its language; None (logged) if eSpeak NG cannot say it, and the card lives on
    without audio."""
    try:
        mp3 = spoken_mp3(card.back, language=card.language)
    except Exception:
        log.exception("no audio for card %s", card.pk)
        return None
    audio, _created = CardAudio.objects.update_or_create(card=card, defaults={"text": card.back, "mp3": mp3})
    return audio
