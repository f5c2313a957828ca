"""Routes of lessons and classes: the teacher's authoring and class pages (under /teach/, namespace "teach",
beside practice's review pages) and the student's way into a class (sign-up and join links)."""

from django.urls import path

from accounts.access import local_passwords_required

from .views import authoring, classes, files, joining

teach_urlpatterns = [
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
    path("classes/<int:classroom_id>/budget/", classes.classroom_budget, name="classroom_budget"),
    path("classes/<int:classroom_id>/delete/", classes.classroom_delete, name="classroom_delete"),
    path("classes/<int:classroom_id>/students/<int:student_id>/remove/", classes.student_remove, name="student_remove"),
    path("classes/<int:classroom_id>/assignments/", classes.assignment_save, name="assignment_save"),
    path(
        "classes/<int:classroom_id>/assignments/<int:assignment_id>/remove/",
        classes.assignment_remove,
        name="assignment_remove",
    ),
]

# Under /accounts/, where shared join links have always pointed.
joining_urlpatterns = [
    path("sign-up/", local_passwords_required(joining.sign_up), name="sign_up"),
    path("join/", joining.join_class, name="join_class"),
    path("join/<str:code>/", joining.join_link, name="join_link"),
]
