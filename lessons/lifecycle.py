"""What the shutdown of a lesson's own live model means for its teacher, in the teacher's language: an error once
the model has shut down (the lesson cannot be saved or imported with it), a notice while it shuts down within
the catalog's RETIRING_WITHIN_DAYS. The form, the lesson's page, lesson files and `manage.py check` say the same
(the facts are the catalog's, tutor/providers/catalog.py)."""

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tutor.providers.catalog import Lifecycle


def model_lifecycle(model: str) -> Lifecycle:
    return settings.TUTOR.catalog.lifecycle(model)


def shut_down_error(model: str) -> str | None:
    """Why a lesson may not name this model, if it has shut down."""
    lifecycle = model_lifecycle(model) if model else None
    if lifecycle is None or lifecycle.state != "shut_down":
        return None
    values = {"model": model, "date": date_format(lifecycle.shutdown), "replacement": lifecycle.replacement}
    if lifecycle.replacement:
        return (
            _(
                "%(model)s was shut down on %(date)s: the service no longer answers it. Choose %(replacement)s, "
                "its replacement."
            )
            % values
        )
    return _("%(model)s was shut down on %(date)s: the service no longer answers it. Choose another model.") % values


def retiring_notice(model: str) -> str | None:
    """What to do about a model that shuts down soon, if this one does."""
    lifecycle = model_lifecycle(model) if model else None
    if lifecycle is None or lifecycle.state != "retiring":
        return None
    values = {"model": model, "date": date_format(lifecycle.shutdown), "replacement": lifecycle.replacement}
    if lifecycle.replacement:
        return _("%(model)s shuts down on %(date)s: choose %(replacement)s, its replacement, before then.") % values
    return _("%(model)s shuts down on %(date)s: choose another model before then.") % values


def model_label(model: str) -> str:
    """A model as the lesson form offers it: its name, and when it shuts down if it does soon."""
    lifecycle = model_lifecycle(model)
    if lifecycle.state == "retiring":
        return _("%(model)s (shuts down on %(date)s)") % {"model": model, "date": date_format(lifecycle.shutdown)}
    if lifecycle.state == "shut_down":
        return _("%(model)s (shut down)") % {"model": model}
    return model
