from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "role", "native_language", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Tutor", {"fields": ("role", "native_language")}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ("Tutor", {"fields": ("role", "native_language")}))
