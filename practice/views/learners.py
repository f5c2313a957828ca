"""A teacher's view of one student: their deck (size, due, retention, the cards) and their level in each
language, which the teacher may set. Only the teacher's own students (practice/access.py)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import teacher_required
from accounts.models import User

from ..access import learner_for_viewer
from ..forms import LevelForm
from ..models import LevelSource
from ..selectors import deck as deck_selectors
from ..selectors.levels import levels_of
from ..services.levels import level_set

CARDS_SHOWN = 100


def _learner(request: HttpRequest, student_id: int) -> User:
    try:
        learner = learner_for_viewer(user=request.user, student_id=student_id)
    except User.DoesNotExist:
        raise Http404 from None
    if learner.pk == request.user.pk and not request.user.is_operator:
        raise Http404  # a teacher's own deck is on their own pages
    return learner


@teacher_required
def learner_deck(request: HttpRequest, student_id: int) -> HttpResponse:
    learner = _learner(request, student_id)
    return render(
        request,
        "teach/learners/deck.html",
        {
            "learner": learner,
            "stats": deck_selectors.deck_stats(student=learner),
            "cards": deck_selectors.deck_list(student=learner, show="all")[:CARDS_SHOWN],
            "levels": levels_of(student=learner),
            "level_form": LevelForm(),
        },
    )


@teacher_required
@require_POST
def learner_level_set(request: HttpRequest, student_id: int) -> HttpResponse:
    learner = _learner(request, student_id)
    form = LevelForm(request.POST)
    if form.is_valid():
        level_set(
            student=learner,
            language=form.cleaned_data["language"],
            level=form.cleaned_data["level"],
            source=LevelSource.TEACHER,
            by=request.user,
        )
        messages.success(
            request, _("Level saved: %(name)s sees it on their progress page.") % {"name": learner.display_name}
        )
    else:
        messages.error(request, _("Choose a level."))
    return redirect("teach:learner_deck", student_id=learner.pk)
