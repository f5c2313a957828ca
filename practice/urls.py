"""Routes of practice: the student's sessions, history, progress and the session API, and the teacher's
review and class progress pages (under /teach/, namespace "teach", beside lessons' pages)."""

from django.urls import path

from .views import api, history, home, progress, reports, review, sessions

urlpatterns = [
    path("", home.home, name="home"),
    path("api/sessions/", api.session_create, name="api_session_create"),
    path("lessons/<int:lesson_id>/start/", sessions.session_start, name="session_start"),
    path("sessions/", history.session_history, name="session_history"),
    path("sessions/<int:session_id>/live/", sessions.session_live, name="session_live"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/report.json", reports.session_report_json, name="session_report_json"),
    path("progress/", progress.progress_page, name="progress"),
]

teach_urlpatterns = [
    path("classes/<int:classroom_id>/progress/", progress.classroom_progress, name="classroom_progress"),
    path("sessions/", review.session_list, name="session_list"),
    path("sessions/<int:session_id>/", review.session_review, name="session_review"),
    path("sessions/<int:session_id>/comments/", review.comment_create, name="comment_create"),
    path("sessions/<int:session_id>/watch/", review.session_watch, name="session_watch"),
]
