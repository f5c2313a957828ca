"""A session's notes become cards, once and without duplicates; corrections -> cards -> reviews -> Anki export."""

import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest

from lessons.services.lessons import lesson_create
from lessons.spec import VocabularySpec
from lessons.texts import Shown
from practice.anki import deck_package
from practice.models import Card, CardAudio, CardKind, TutorSession
from practice.selectors.deck import card_cue
from practice.services.deck import card_audio_make, card_key, deck_update
from practice.services.recording import note_record, turn_record
from practice.services.reviews import card_review
from practice.services.sessions import session_create, session_end
from tests.conftest import lesson_spec
from tutor.events import CorrectionNoted, PronunciationNoted, VocabularyNoted

from ..factories import RULE, recorded_session


def ended(session, capture) -> TutorSession:
    with capture(execute=True):
        session_end(session_id=session.pk, reason="student")
    return TutorSession.objects.get(pk=session.pk)


def open_apkg(data: bytes) -> tuple[sqlite3.Connection, dict[str, str], zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    folder = Path(tempfile.mkdtemp(prefix="apkg-test-"))
    archive.extract("collection.anki2", folder)
    return sqlite3.connect(folder / "collection.anki2"), json.loads(archive.read("media")), archive


def test_the_key_ignores_case_and_punctuation_but_not_the_language():
    assert (
        card_key("fr-FR", "Je voudrais, un café !")
        == card_key("fr-CA", "je voudrais un café")
        == "fr:je voudrais un café"
    )
    assert card_key("es-ES", "café") != card_key("fr-FR", "café")


def test_an_ended_session_gives_a_card_for_its_correction_and_its_learned_word(
    student, lesson, django_capture_on_commit_callbacks
):
    session = ended(recorded_session(student, lesson), django_capture_on_commit_callbacks)
    cards = {card.kind: card for card in Card.objects.filter(student=student)}
    assert set(cards) == {CardKind.CORRECTION, CardKind.WORD}  # "un café" was only used: no card
    correction, word = cards[CardKind.CORRECTION], cards[CardKind.WORD]
    # Its back says why: the rule the correction named (issue 24, defect 9).
    assert (correction.front, correction.back, correction.note) == ("Je voudrait", "Je voudrais", RULE)
    assert (word.front, word.back) == ("the bill", "l'addition")
    assert all(c.source_session == session and c.language == "fr-FR" and c.is_new for c in cards.values())
    assert session.deck_updated_at is not None
    assert bytes(CardAudio.objects.get(card=correction).mp3)[:2] in (b"\xff\xf3", b"\xff\xfb", b"ID")


def test_lesson_words_never_marked_in_a_session_where_the_student_spoke_are_missed_words(student, lesson):
    session = session_create(student=student, lesson=lesson)
    at = session.created_at
    turn_record(session_id=session.pk, index=0, role="student", text="Bonjour", started_at=at, ended_at=at)
    note_record(session_id=session.pk, note=VocabularyNoted(word="un café", status="used", turn=0))
    deck_update(session_id=session.pk)
    assert list(Card.objects.values_list("kind", "back")) == [("word", "l'addition")]


def test_a_session_where_the_student_said_nothing_misses_no_word(student, lesson):
    session = session_create(student=student, lesson=lesson)
    assert deck_update(session_id=session.pk) == [] and not Card.objects.exists()


def test_the_same_mistake_in_a_later_session_adds_no_card_and_a_rerun_adds_nothing(
    student, lesson, django_capture_on_commit_callbacks
):
    ended(recorded_session(student, lesson), django_capture_on_commit_callbacks)
    second = ended(recorded_session(student, lesson), django_capture_on_commit_callbacks)
    assert Card.objects.count() == 2
    assert Card.objects.get(kind=CardKind.CORRECTION).occurrences == 2
    assert deck_update(session_id=second.pk) == [] and Card.objects.get(kind=CardKind.CORRECTION).occurrences == 2


def test_a_pronunciation_note_becomes_a_card_that_keeps_its_estimate_label(student, lesson):
    session = session_create(student=student, lesson=lesson)
    note_record(
        session_id=session.pk,
        note=PronunciationNoted(word="croissant", heard_as="croisson", tip="-ant", estimate=True, turn=None),
    )
    [card] = deck_update(session_id=session.pk)
    assert (card.kind, card.back, card.note, card.estimate) == ("pronunciation", "croissant", "≠ croisson · -ant", True)


def test_corrections_become_cards_are_reviewed_and_export_to_an_anki_package_with_audio(
    student, lesson, django_capture_on_commit_callbacks
):
    ended(recorded_session(student, lesson), django_capture_on_commit_callbacks)
    for card in Card.objects.filter(student=student):
        card_review(card_id=card.pk, rating=3)
    cards = Card.objects.filter(student=student).select_related("audio").order_by("pk")
    assert all(card.reviews.count() == 1 and not card.is_new for card in cards)

    collection, media, archive = open_apkg(deck_package(cards, student_id=student.pk, title="Tutor"))
    notes = collection.execute("select flds from notes").fetchall()
    assert len(notes) == 2 and collection.execute("select count(*) from cards").fetchone() == (2,)
    fields = {row[0].split("\x1f")[1]: row[0].split("\x1f") for row in notes}
    assert set(fields) == {"Je voudrais", "l&#x27;addition"}
    assert fields["Je voudrais"][2] == "Conjugation of «vouloir»: «voudrais», not «voudrait»."  # the rule, on its back
    sounds = {field[3] for field in fields.values()}
    assert sounds == {f"[sound:{name}]" for name in media.values()} and len(media) == 2
    for index in media:  # each sound is in the archive, and is MP3
        assert archive.read(index)[:2] in (b"\xff\xf3", b"\xff\xfb", b"ID")
    [deck_name] = [d["name"] for d in json.loads(collection.execute("select decks from col").fetchone()[0]).values()
                   if d["name"] != "Default"]  # fmt: skip
    assert deck_name == "Tutor::fr-FR"


def test_a_correction_without_a_rule_keeps_its_explanation_and_a_rule_of_two_lines_is_two_in_anki(student, lesson):
    session = session_create(student=student, lesson=lesson)
    two = "Conjugation of «vouloir»: «voudrais», not «voudrai».\nSpelling: «croissant», not «croisant»."
    note_record(session_id=session.pk, note=CorrectionNoted("Un café", "Je voudrais un café", "Say it whole.",
                                                           "grammar", turn=None))  # fmt: skip
    note_record(session_id=session.pk, note=CorrectionNoted("Je voudrai un croisant", "Je voudrais un croissant",
                                                           "Compare.", "grammar", turn=None, rule=two))  # fmt: skip
    deck_update(session_id=session.pk)
    assert list(Card.objects.order_by("pk").values_list("note", flat=True)) == ["Say it whole.", two]
    collection, _media, _archive = open_apkg(deck_package(Card.objects.all(), student_id=student.pk, title="T"))
    backs = {row[0].split("\x1f")[1]: row[0].split("\x1f")[2] for row in collection.execute("select flds from notes")}
    assert backs["Je voudrais un croissant"] == (
        "Conjugation of «vouloir»: «voudrais», not «voudrai».<br>Spelling: «croissant», not «croisant»."
    )


def test_an_exported_note_keeps_its_id_so_importing_again_updates_it(student, lesson):
    session = session_create(student=student, lesson=lesson)
    note_record(
        session_id=session.pk, note=PronunciationNoted(word="rue", heard_as="", tip="", estimate=False, turn=None)
    )
    deck_update(session_id=session.pk)
    cards = Card.objects.select_related("audio")
    first, _media, _archive = open_apkg(deck_package(cards, student_id=student.pk, title="T"))
    again, _media, _archive = open_apkg(deck_package(cards, student_id=student.pk, title="T"))
    assert first.execute("select guid from notes").fetchall() == again.execute("select guid from notes").fetchall()


@pytest.mark.parametrize("language", ["fr-FR", "ja-JP", "de-DE"])
def test_card_audio_is_spoken_in_the_cards_language(student, language):
    back = "ありがとう" if language == "ja-JP" else "danke"
    card = Card.objects.create(
        student=student,
        language=language,
        kind="word",
        key=f"{language}:x",
        front="x",
        back=back,
        due=student.date_joined,
    )
    audio = card_audio_make(card=card)
    assert audio is not None and len(bytes(audio.mp3)) > 1000 and audio.text == card.back


def test_a_word_card_asks_in_the_language_its_student_read_the_site_in_and_keeps_the_others(student, teacher):
    """Issue 24, defect 3: a lesson word's card asks "la cuenta" of a student reading in Spanish, not "the bill"."""
    vocabulary = (VocabularySpec("l'addition", "the bill", translations={"es": "la cuenta", "de": "die Rechnung"}),)
    lesson = lesson_create(spec=lesson_spec(vocabulary=vocabulary), author=teacher)
    session = recorded_session(student, lesson)
    TutorSession.objects.filter(pk=session.pk).update(reader_language="es")
    deck_update(session_id=session.pk)
    card = Card.objects.get(kind=CardKind.WORD)
    assert (card.front, card.back) == ("la cuenta", "l'addition")
    assert card.cues == [["en", "the bill"], ["de", "die Rechnung"], ["es", "la cuenta"]]
    assert card_cue(card, "de") == Shown("die Rechnung", "de")
    assert card_cue(card, "fr") == Shown("the bill", "en", fallback=True)  # no French: the lesson's own, marked
