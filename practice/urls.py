"""Routes of practice: the student's sessions, history, progress, deck, review and placement, and the session
API; and the teacher's review, class progress and student pages (under /teach/, namespace "teach", beside
lessons' pages)."""

from django.urls import path

from .views import (
    api,
    costs,
    deck,
    history,
    home,
    learners,
    lesson_drafts,
    placement,
    progress,
    reports,
    review,
    sessions,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("api/sessions/", api.session_create, name="api_session_create"),
    path("lessons/<int:lesson_id>/start/", sessions.session_start, name="session_start"),
    path("sessions/", history.session_history, name="session_history"),
    path("sessions/<int:session_id>/live/", sessions.session_live, name="session_live"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/report.json", reports.session_report_json, name="session_report_json"),
    path("sessions/<int:session_id>/report/version/", reports.report_version, name="report_version"),
    path("progress/", progress.progress_page, name="progress"),
    path("deck/", deck.deck_page, name="deck"),
    path("deck/review/", deck.review_page, name="deck_review"),
    path("deck/cards/<int:card_id>/rate/", deck.card_rate, name="card_rate"),
    path("deck/cards/<int:card_id>/answer/", deck.card_answer, name="card_answer"),
    path("deck/cards/<int:card_id>/audio.mp3", deck.card_audio, name="card_audio"),
    path("deck/export.apkg", deck.deck_export, name="deck_export"),
    path("deck/spoken-review/", deck.spoken_review_start, name="spoken_review_start"),
    path("placement/", placement.placement_list, name="placement_list"),
    path("placement/<str:language>/", placement.placement_take, name="placement_take"),
    path("levels/accept/", placement.level_accept, name="level_accept"),
]

teach_urlpatterns = [
    path("classes/<int:classroom_id>/progress/", progress.classroom_progress, name="classroom_progress"),
    path("costs/", costs.cost_overview, name="cost_overview"),
    path("lessons/<int:lesson_id>/translations/", lesson_drafts.lesson_translations, name="lesson_translations"),
    path("sessions/", review.session_list, name="session_list"),
    path("sessions/<int:session_id>/", review.session_review, name="session_review"),
    path("sessions/<int:session_id>/comments/", review.comment_create, name="comment_create"),
    path("sessions/<int:session_id>/watch/", review.session_watch, name="session_watch"),
    path("students/<int:student_id>/deck/", learners.learner_deck, name="learner_deck"),
    path("students/<int:student_id>/level/", learners.learner_level_set, name="learner_level_set"),
]
