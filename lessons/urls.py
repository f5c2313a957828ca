"""The teacher's pages, under /teach/ (namespace "teach")."""

from django.urls import path

from .views import authoring, classes, files, progress, review

app_name = "teach"

urlpatterns = [
    path("lessons/", authoring.lesson_list, name="lesson_list"),
    path("lessons/new/", authoring.lesson_create, name="lesson_create"),
    path("lessons/preview/", authoring.lesson_preview, name="lesson_preview"),
    path("lessons/import/", files.lesson_import, name="lesson_import"),
    path("lessons/export/", files.lesson_export, name="lesson_export"),
    path("lessons/<int:lesson_id>/", authoring.lesson_detail, name="lesson_detail"),
    path("lessons/<int:lesson_id>/edit/", authoring.lesson_edit, name="lesson_edit"),
    path("lessons/<int:lesson_id>/duplicate/", authoring.lesson_duplicate, name="lesson_duplicate"),
    path("lessons/<int:lesson_id>/publish/", authoring.lesson_publish, name="lesson_publish"),
    path("lessons/<int:lesson_id>/assign/", authoring.lesson_assign, name="lesson_assign"),
    path("classes/", classes.classroom_list, name="classroom_list"),
    path("classes/<int:classroom_id>/", classes.classroom_detail, name="classroom_detail"),
    path("classes/<int:classroom_id>/rename/", classes.classroom_rename, name="classroom_rename"),
    path("classes/<int:classroom_id>/code/", classes.classroom_new_code, name="classroom_new_code"),
    path("classes/<int:classroom_id>/delete/", classes.classroom_delete, name="classroom_delete"),
    path("classes/<int:classroom_id>/progress/", progress.classroom_progress, name="classroom_progress"),
    path("classes/<int:classroom_id>/students/<int:student_id>/remove/", classes.student_remove, name="student_remove"),
    path("classes/<int:classroom_id>/assignments/", classes.assignment_save, name="assignment_save"),
    path(
        "classes/<int:classroom_id>/assignments/<int:assignment_id>/remove/",
        classes.assignment_remove,
        name="assignment_remove",
    ),
    path("sessions/", review.session_list, name="session_list"),
    path("sessions/<int:session_id>/", review.session_review, name="session_review"),
    path("sessions/<int:session_id>/comments/", review.comment_create, name="comment_create"),
    path("sessions/<int:session_id>/watch/", review.session_watch, name="session_watch"),
]
