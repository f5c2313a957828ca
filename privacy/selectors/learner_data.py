"""Everything the app holds about one student, as plain JSON-ready documents: their profile, sessions with
transcripts, notes, reports, comments and usage, their deck with its review log, their levels and placements.
The archive (privacy/archive.py) writes each document as a file; erasure (services/erasure.py) removes the same."""

from django.db.models import Prefetch

from accounts.models import User
from lessons.models import Enrollment
from practice.models import (
    Card,
    CardReview,
    LearnerProgress,
    PlacementResult,
    SessionComment,
    Turn,
    TutorSession,
    UsageRecord,
)

from . import identities


def _session(session: TutorSession) -> dict:
    report = getattr(session, "report", None)
    return {
        "id": session.pk,
        "lesson": {"id": session.lesson_id, "title": session.lesson.title, "language": session.lesson.language,
                   "level": session.lesson.level},
        "status": session.status,
        "end_reason": session.end_reason,
        "provider": session.provider,
        "model": session.model,
        "created_at": session.created_at,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "objectives_met": session.objectives_met,
        "transcript": [
            {"turn": t.index, "speaker": t.role, "text": t.text, "started_at": t.started_at, "ended_at": t.ended_at,
             "audio_ms": t.audio_ms, "interrupted": t.interrupted, "provider": t.provider, "model": t.model}
            for t in session.turns.all()
        ],
        "corrections": [
            {"turn": c.turn_index, "original": c.original, "corrected": c.corrected, "explanation": c.explanation,
             "category": c.category, "rule": c.rule, "created_at": c.created_at}
            for c in session.corrections.all()
        ],
        "vocabulary": [
            {"turn": v.turn_index, "word": v.word, "status": v.status, "created_at": v.created_at}
            for v in session.vocabulary_events.all()
        ],
        "pronunciation": [
            {"turn": p.turn_index, "word": p.word, "heard_as": p.heard_as, "tip": p.tip, "estimate": p.estimate,
             "created_at": p.created_at}
            for p in session.pronunciation_notes.all()
        ],
        "summaries": [
            {"through_turn": s.through_turn, "text": s.text, "created_at": s.created_at}
            for s in session.summaries.all()
        ],
        "report": None if report is None else {
            "status": report.status, "summary": report.summary, "strengths": report.strengths,
            "corrections_by_category": report.corrections_by_category, "vocabulary_used": report.vocabulary_used,
            "vocabulary_learned": report.vocabulary_learned, "objectives_met": report.objectives_met,
            "weak_points": report.weak_points, "suggested_lesson": report.suggested_lesson_id,
            "updated_at": report.updated_at,
        },
        "comments": [
            {"author": c.author.display_name, "text": c.text, "created_at": c.created_at}
            for c in session.comments.all()
        ],
        "usage": [_usage(u) for u in session.usage.all()],
    }  # fmt: skip


def _usage(usage) -> dict:
    return {
        "session": usage.session_id, "provider": usage.provider, "model": usage.model, "purpose": usage.purpose,
        "text_in_tokens": usage.text_in_tokens, "audio_in_tokens": usage.audio_in_tokens,
        "image_in_tokens": usage.image_in_tokens, "cached_in_tokens": usage.cached_in_tokens,
        "text_out_tokens": usage.text_out_tokens, "audio_out_tokens": usage.audio_out_tokens,
        "total_tokens": usage.total_tokens, "cost_usd": usage.cost_usd, "created_at": usage.created_at,
    }  # fmt: skip


def learner_sessions(*, student: User) -> list[dict]:
    """Every session of the student, oldest first, with all it left behind."""
    sessions = (
        TutorSession.objects.filter(student=student)
        .select_related("lesson", "report")
        .prefetch_related(
            "turns", "corrections", "vocabulary_events", "pronunciation_notes", "summaries", "usage",
            Prefetch("comments", queryset=SessionComment.objects.select_related("author")),
        )
        .order_by("created_at", "pk")
    )  # fmt: skip
    return [_session(session) for session in sessions]


def learner_profile(*, student: User) -> dict:
    classes = Enrollment.objects.filter(student=student).select_related("classroom__teacher").order_by("joined_at")
    return {
        "username": student.username,
        "first_name": student.first_name,
        "last_name": student.last_name,
        "email": student.email,
        "role": student.role,
        "native_language": student.native_language,
        "date_joined": student.date_joined,
        "last_login": student.last_login,
        "classes": [
            {"name": e.classroom.name, "teacher": e.classroom.teacher.display_name, "joined_at": e.joined_at}
            for e in classes
        ],
        "sign_in_identities": identities.identities_of(student=student),
    }


def learner_deck(*, student: User) -> list[dict]:
    """The deck's cards, each with its scheduling state and its review log (what FSRS could re-optimize from)."""
    cards = Card.objects.filter(student=student).prefetch_related(
        Prefetch("reviews", queryset=CardReview.objects.order_by("reviewed_at", "pk"))
    )
    return [
        {
            "id": card.pk, "language": card.language, "kind": card.kind, "front": card.front, "back": card.back,
            "note": card.note, "estimate": card.estimate, "source_session": card.source_session_id,
            "occurrences": card.occurrences, "created_at": card.created_at, "state": card.state, "step": card.step,
            "stability": card.stability, "difficulty": card.difficulty, "due": card.due,
            "last_review": card.last_review,
            "reviews": [
                {"rating": r.rating, "reviewed_at": r.reviewed_at, "duration_ms": r.duration_ms, "mode": r.mode,
                 "session": r.session_id, "state_before": r.state_before, "state_after": r.state_after,
                 "stability_after": r.stability_after, "difficulty_after": r.difficulty_after,
                 "due_after": r.due_after}
                for r in card.reviews.all()
            ],
        }
        for card in cards.order_by("pk")
    ]  # fmt: skip


def learner_levels(*, student: User) -> dict:
    """Their level and running totals in each language, and the placements they took."""
    progress = LearnerProgress.objects.filter(student=student).order_by("language")
    placements = PlacementResult.objects.filter(student=student).order_by("taken_at")
    return {
        "progress": [
            {"language": p.language, "seconds_practised": p.seconds_practised, "sessions_count": p.sessions_count,
             "words_learned": p.words_learned, "corrections_count": p.corrections_count,
             "streak_days": p.streak_days, "last_practised_on": p.last_practised_on, "level": p.level,
             "level_source": p.level_source, "level_set_at": p.level_set_at}
            for p in progress
        ],
        "placements": [
            {"language": p.language, "level": p.level, "bands": p.bands, "taken_at": p.taken_at} for p in placements
        ],
    }  # fmt: skip


def learner_usage(*, student: User) -> list[dict]:
    return [_usage(u) for u in UsageRecord.objects.filter(session__student=student).order_by("created_at", "pk")]


def learner_counts(*, student: User) -> dict[str, int]:
    """How much there is of each kind, for the pages that offer the archive or the erasure."""
    return {
        "sessions": TutorSession.objects.filter(student=student).count(),
        "turns": Turn.objects.filter(session__student=student).count(),
        "cards": Card.objects.filter(student=student).count(),
        "reviews": CardReview.objects.filter(card__student=student).count(),
        "placements": PlacementResult.objects.filter(student=student).count(),
        "usage": UsageRecord.objects.filter(session__student=student).count(),
    }
