"""A student's archive opens as a zip of JSON files and an Anki package, and holds every session they had."""

import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest

from practice.models import Card, CardReview, Turn
from privacy.archive import learner_archive
from tests.practice.factories import reviewable_session
from tests.privacy.learner import EMAIL, full_learner

pytestmark = pytest.mark.django_db


def test_the_archive_holds_every_session_with_its_transcript_notes_report_and_usage(classroom, lesson, teacher, staff):
    student, sessions = full_learner(classroom=classroom, lesson=lesson, teacher=teacher, staff=staff)
    archive = zipfile.ZipFile(io.BytesIO(learner_archive(student=student)))
    assert set(archive.namelist()) == {
        "index.json", "profile.json", "sessions.json", "deck.json", "levels.json", "usage.json", "deck.apkg",
    }  # fmt: skip
    exported = json.loads(archive.read("sessions.json"))
    assert sorted(s["id"] for s in exported) == sorted(s.pk for s in sessions)
    by_id = {s["id"]: s for s in exported}
    done = by_id[sessions[0].pk]
    assert [t["text"] for t in done["transcript"]] == list(
        Turn.objects.filter(session=sessions[0]).order_by("index").values_list("text", flat=True)
    )
    assert done["corrections"][0]["corrected"] == "Je voudrais"
    assert done["vocabulary"] and done["summaries"] and done["usage"]
    assert done["report"]["status"] == "ready" and done["comments"][0]["text"] == "Bravo Zoé"
    assert len(by_id[sessions[1].pk]["transcript"]) == 8
    profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == EMAIL and profile["classes"][0]["name"] == classroom.name
    deck = json.loads(archive.read("deck.json"))
    assert len(deck) == Card.objects.filter(student=student).count() > 0
    assert sum(len(card["reviews"]) for card in deck) == CardReview.objects.filter(card__student=student).count() > 0
    levels = json.loads(archive.read("levels.json"))
    assert levels["placements"] and levels["progress"][0]["level"] == levels["placements"][-1]["level"]
    usage = json.loads(archive.read("usage.json"))
    assert {row["cost_usd"] for row in usage} >= {"0.250000"}
    assert json.loads(archive.read("index.json"))["sessions"] == 4


def test_the_deck_in_the_archive_opens_as_an_anki_collection(classroom, lesson, teacher, staff):
    student, _ = full_learner(classroom=classroom, lesson=lesson, teacher=teacher, staff=staff)
    package = zipfile.ZipFile(
        io.BytesIO(zipfile.ZipFile(io.BytesIO(learner_archive(student=student))).read("deck.apkg"))
    )
    with tempfile.TemporaryDirectory() as folder:
        collection = Path(folder) / "collection.anki2"
        collection.write_bytes(package.read("collection.anki2"))
        with sqlite3.connect(collection) as db:
            notes = db.execute("select count(*) from notes").fetchone()[0]
    assert notes == Card.objects.filter(student=student).count()


def test_an_archive_holds_nobody_elses_sessions(classroom, lesson, teacher, staff, other_student):
    theirs = reviewable_session(other_student, lesson)
    student, _ = full_learner(classroom=classroom, lesson=lesson, teacher=teacher, staff=staff)
    exported = json.loads(zipfile.ZipFile(io.BytesIO(learner_archive(student=student))).read("sessions.json"))
    assert theirs.pk not in {s["id"] for s in exported}
