"""Routes of privacy: a person's own data and its archive; the teacher's erasure of a student (under /teach/,
namespace "teach")."""

from django.urls import path

from . import views

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export.zip", views.my_data_export, name="my_data_export"),
]

teach_urlpatterns = [
    path("students/<int:student_id>/erase/", views.learner_erase_confirm, name="learner_erase"),
]
