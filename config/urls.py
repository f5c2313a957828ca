"""URLs of the whole site: each app's routes, and the teacher's pages of two apps under one namespace."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from lessons import urls as lessons_urls
from live import health
from practice import urls as practice_urls

teach = ([*lessons_urls.teach_urlpatterns, *practice_urls.teach_urlpatterns], "teach")

urlpatterns = [
    path("", include(practice_urls)),
    path("accounts/", include(lessons_urls.joining_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("teach/", include(teach)),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("healthz", health.health, name="health"),
    path("admin/", admin.site.urls),
]
