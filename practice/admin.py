from django.contrib import admin

from .models import (
    ContextSummary,
    Correction,
    LearnerProgress,
    SessionComment,
    SessionReport,
    Turn,
    TutorSession,
    UsageRecord,
    VocabularyEvent,
)


class TurnInline(admin.TabularInline):
    model = Turn
    extra = 0
    fields = ("index", "role", "text", "audio_ms", "interrupted")
    readonly_fields = fields
    can_delete = False


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    readonly_fields = ("turn_index", "original", "corrected", "explanation", "category")
    can_delete = False


class UsageInline(admin.TabularInline):
    model = UsageRecord
    extra = 0
    readonly_fields = ("purpose", "model", "total_tokens", "audio_in_tokens", "audio_out_tokens", "cost_usd")
    fields = readonly_fields
    can_delete = False


@admin.register(TutorSession)
class TutorSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "student", "lesson", "provider", "model", "status", "end_reason", "created_at")
    list_filter = ("status", "provider", "end_reason")
    search_fields = ("student__username", "lesson__title")
    raw_id_fields = ("student", "lesson")
    inlines = [TurnInline, CorrectionInline, UsageInline]


for model in (ContextSummary, SessionReport, VocabularyEvent, SessionComment):
    admin.site.register(model)


@admin.register(LearnerProgress)
class LearnerProgressAdmin(admin.ModelAdmin):
    list_display = ("student", "language", "sessions_count", "seconds_practised", "words_learned", "streak_days")
    list_filter = ("language",)
    raw_id_fields = ("student",)
