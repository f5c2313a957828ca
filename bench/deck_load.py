"""Run by bench_deck in its own process, on a scratch SQLite database: cards made by the demo lessons played
on the offline tutor by a simulated learner, the review pages with a 5,000-card deck, and the Anki export of
1,000 cards with their audio. Prints one JSON object."""

import asyncio
import datetime as dt
import json
import os
import statistics
import tempfile
import time

os.environ["TUTOR_DATA_DIR"] = tempfile.mkdtemp(prefix="tutor-bench-deck-")
os.environ.pop("DATABASE_URL", None)  # always a scratch SQLite file: never touch a real database
os.environ["LOG_LEVEL"] = "WARNING"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from lessons.demo import demo_seed  # noqa: E402
from lessons.models import Lesson, Purpose  # noqa: E402
from live.store import DjangoSessionStore  # noqa: E402
from practice.anki import deck_package  # noqa: E402
from practice.models import Card, CardAudio, CardReview  # noqa: E402
from practice.selectors.live import learner_profile_for, session_brief  # noqa: E402
from practice.services.deck import card_audio_make  # noqa: E402
from practice.services.sessions import session_create  # noqa: E402
from tests.conftest import make_user  # noqa: E402
from tutor.events import TextIn  # noqa: E402
from tutor.providers.offline.config import OfflineConfig  # noqa: E402
from tutor.providers.offline.provider import OfflineProvider  # noqa: E402
from tutor.session.runner import SessionRunner  # noqa: E402

PAGE_RUNS = 15


def mistaken(answer: str) -> str:
    """The learner's typical slip: the longest word's ending wrong (je voudrait for je voudrais)."""
    words = answer.split()
    longest = max(range(len(words)), key=lambda n: len(words[n]))
    word = words[longest]
    words[longest] = word[:-1] + ("z" if word[-1] != "z" else "x")
    return " ".join(words)


async def play(runner: SessionRunner, answers: list[str]) -> None:
    task = asyncio.create_task(runner.run())
    runner.attach()
    while runner.state != "live":  # the runner announces "live" to a browser, not to an event
        await asyncio.sleep(0.02)
    for text in answers:
        await asyncio.sleep(0.4)  # the offline tutor answers each typed line before the next
        await runner.handle(TextIn(text))
    await asyncio.sleep(0.4)
    runner.request_end("student")
    await task


def cards_per_demo_session() -> dict[str, int]:
    """Each demo lesson once, as a learner who slips on every second step and then says it right."""
    student = User.objects.get(username="ana")
    made = {}
    for lesson in Lesson.objects.filter(purpose=Purpose.LESSON, author__username="teacher").order_by("pk"):
        session = session_create(student=student, lesson=lesson)
        brief = session_brief(session=session)
        answers = []
        for n, step in enumerate(brief.dialogue):
            answers += [mistaken(step.expected[0]), step.expected[0]] if n % 2 else [step.expected[0]]
        runner = SessionRunner(
            session_id=session.pk,
            provider=OfflineProvider(OfflineConfig(realtime=False, recognize_speech=False)),
            store=DjangoSessionStore(session_id=session.pk, provider="offline", model="", recent_turns=8),
            lesson=brief,
            learner=learner_profile_for(student=student, language=lesson.language),
            model="",
            voice="f2",
            config=settings.TUTOR.runner_config(provider="offline", max_minutes=lesson.max_minutes),
        )
        asyncio.run(play(runner, answers))
        made[lesson.title] = Card.objects.filter(source_session=session).count()
    return made


def big_deck(student: User, count: int, reviewed: int) -> None:
    now = timezone.now()
    Card.objects.bulk_create(
        Card(student=student, language="fr-FR", kind=("correction", "word", "pronunciation")[n % 3],
             key=f"fr:card {n}", front=f"cue {n}", back=f"réponse numéro {n}", due=now - dt.timedelta(minutes=n))
        for n in range(count)
    )  # fmt: skip
    cards = list(Card.objects.filter(student=student).order_by("pk")[:reviewed])
    for n, card in enumerate(cards):
        card.last_review, card.state, card.step = now - dt.timedelta(days=3), 2, None
        card.stability, card.difficulty = 3.0 + n % 7, 5.0
        card.due = now + dt.timedelta(days=n % 30 - 10)
    Card.objects.bulk_update(cards, ["last_review", "state", "step", "stability", "difficulty", "due"])
    CardReview.objects.bulk_create(
        CardReview(card=card, rating=1 + n % 4, reviewed_at=now - dt.timedelta(days=n % 80), state_before=2,
                   state_after=2, stability_after=3.0, difficulty_after=5.0, due_after=now)
        for n, card in enumerate(cards)
    )  # fmt: skip


def page_ms(client: Client, url: str) -> float:
    times = []
    for _ in range(PAGE_RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return round(statistics.median(times), 1)


def main() -> None:
    call_command("migrate", verbosity=0)
    demo_seed()
    made = cards_per_demo_session()

    heavy = make_user("bench-deck-5000")
    big_deck(heavy, 5000, reviewed=2500)
    client = Client(HTTP_HOST="localhost")
    client.force_login(heavy)
    pages = {url: page_ms(client, url) for url in ("/deck/", "/deck/review/", "/deck/?show=all&page=50", "/progress/")}

    exporter = make_user("bench-export-1000")
    big_deck(exporter, 1000, reviewed=0)
    started = time.perf_counter()
    for card in Card.objects.filter(student=exporter):
        card_audio_make(card=card)
    audio_s = time.perf_counter() - started
    cards = Card.objects.filter(student=exporter).select_related("audio").order_by("pk")
    started = time.perf_counter()
    package = deck_package(cards, student_id=exporter.pk, title="Bench")
    export_s = time.perf_counter() - started
    audio_bytes = sum(len(bytes(a.mp3)) for a in CardAudio.objects.filter(card__student=exporter))
    print(json.dumps({
        "cards_made": made, "pages_ms": pages, "export_s": round(export_s, 2), "export_bytes": len(package),
        "audio_s": round(audio_s, 1), "audio_bytes": audio_bytes,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
