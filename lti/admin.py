"""The operator registers platforms in django-lti's admin (registrations and their deployments); here, what the
courses and gradebooks became: which class a course is, and each score sent or still waiting."""

from django.contrib import admin

from .models import CourseClass, GradeSent


@admin.register(CourseClass)
class CourseClassAdmin(admin.ModelAdmin):
    list_display = ("context", "classroom", "created_at")
    raw_id_fields = ("context", "classroom")


@admin.register(GradeSent)
class GradeSentAdmin(admin.ModelAdmin):
    list_display = ("session", "score", "status", "attempts", "sent_at")
    list_filter = ("status",)
    readonly_fields = ("session", "target", "score", "status", "attempts", "error", "sent_at")
