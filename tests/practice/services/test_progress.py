import datetime as dt

from practice.services.progress import progress_record_session


def test_progress_counts_sessions_and_keeps_a_streak(student):
    day = dt.date(2026, 11, 2)
    progress_record_session(student=student, language="fr", seconds=300, words_learned=2, corrections=1, on=day)
    progress_record_session(student=student, language="fr", seconds=60, words_learned=0, corrections=0, on=day)
    progress = progress_record_session(
        student=student, language="fr", seconds=120, words_learned=1, corrections=3, on=day + dt.timedelta(days=1)
    )
    assert (progress.sessions_count, progress.seconds_practised, progress.words_learned) == (3, 480, 3)
    assert progress.streak_days == 2 and progress.corrections_count == 4
    broken = progress_record_session(
        student=student, language="fr", seconds=10, words_learned=0, corrections=0, on=day + dt.timedelta(days=5)
    )
    assert broken.streak_days == 1
