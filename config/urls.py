"""URLs of the whole site: each app's routes, and the teacher's pages of two apps under one namespace."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from lessons import urls as lessons_urls
from live import health
from practice import urls as practice_urls
from privacy import urls as privacy_urls

from . import errors
from .metrics.view import metrics

teach = (
    [*lessons_urls.teach_urlpatterns, *practice_urls.teach_urlpatterns, *privacy_urls.teach_urlpatterns],
    "teach",
)


def favicon(request: HttpRequest) -> HttpResponse:
    """For what asks /favicon.ico without reading a page's <link rel="icon"> (the admin, feed readers)."""
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("", include(practice_urls)),
    path("", include(privacy_urls)),
    path("accounts/", include(lessons_urls.joining_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("teach/", include(teach)),
    path("lti/", include("lti.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the footer's language picker
    path("healthz", health.health, name="health"),
    path("metrics", metrics, name="metrics"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
]

handler500 = errors.server_error
