from django.contrib import admin

from .models import Assignment, Classroom, DialogueStep, Enrollment, Lesson, VocabularyItem


class VocabularyInline(admin.TabularInline):
    model = VocabularyItem
    extra = 1


class DialogueStepInline(admin.StackedInline):
    model = DialogueStep
    extra = 1


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "level", "persona_name", "provider", "published", "author")
    list_filter = ("published", "language", "level", "provider")
    search_fields = ("title", "scenario", "persona_name")
    inlines = [VocabularyInline, DialogueStepInline]


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    raw_id_fields = ("student",)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("name", "teacher", "join_code", "created_at")
    search_fields = ("name", "join_code", "teacher__username")
    inlines = [EnrollmentInline, AssignmentInline]
