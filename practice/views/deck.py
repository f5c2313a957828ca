"""The student's deck: its cards by tab (due, new, learned), the review page with the four ratings, a card's
audio, the Anki export and the start of a spoken review. A student sees only their own deck; a card's audio
also plays for their teacher (practice/access.py)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..access import cards_visible_to
from ..anki import deck_package
from ..budgets import BudgetSpent
from ..forms import LanguageForm, RatingForm
from ..models import Card, Rating
from ..selectors import deck as deck_selectors
from ..services.deck import card_audio_make
from ..services.drills import NothingToDrill, drill_start
from ..services.reviews import card_review, next_due_by_rating

TABS = ("due", "new", "learned", "all")
PER_PAGE = 50


def _language(request: HttpRequest) -> str:
    form = LanguageForm(request.GET)
    return form.cleaned_data["language"] if form.is_valid() else ""


@login_required
def deck_page(request: HttpRequest) -> HttpResponse:
    student, language = request.user, _language(request)
    show = request.GET.get("show") if request.GET.get("show") in TABS else "due"
    cards = deck_selectors.deck_list(student=student, show=show, language=language)
    return render(
        request,
        "student/deck.html",
        {
            "counts": deck_selectors.deck_counts(student=student, language=language),
            "page_obj": Paginator(cards, PER_PAGE).get_page(request.GET.get("page")),
            "show": show,
            "tabs": TABS,
            "language": language,
            "languages": deck_selectors.deck_languages(student=student),
        },
    )


@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    card = deck_selectors.next_card(student=request.user, language=language)
    ratings = []
    if card is not None:
        due = next_due_by_rating(card)
        ratings = [(value, label, due[value] - timezone.now()) for value, label in Rating.choices]
    return render(
        request,
        "student/review.html",
        {
            "card": card,
            "ratings": ratings,
            "language": language,
            "counts": deck_selectors.deck_counts(student=request.user, language=language),
        },
    )


@login_required
@require_POST
def card_rate(request: HttpRequest, card_id: int) -> HttpResponse:
    card = Card.objects.filter(pk=card_id, student=request.user).first()
    if card is None:
        raise Http404
    form = RatingForm(request.POST)
    if form.is_valid():
        card_review(card_id=card.pk, rating=form.cleaned_data["rating"], duration_ms=form.cleaned_data["duration_ms"])
    else:
        messages.error(request, _("Choose one of the four ratings."))
    language = LanguageForm(request.POST)
    query = f"?{urlencode({'language': language.cleaned_data['language']})}" if language.is_valid() else ""
    return redirect(reverse("deck_review") + query)


@login_required
@require_GET
def card_audio(request: HttpRequest, card_id: int) -> HttpResponse:
    """The card's answer spoken in its language (made now if the card has none yet)."""
    card = cards_visible_to(user=request.user).select_related("audio").filter(pk=card_id).first()
    if card is None:
        raise Http404
    audio = getattr(card, "audio", None)
    if audio is None or audio.text != card.back:
        audio = card_audio_make(card=card)
    if audio is None:
        raise Http404
    response = HttpResponse(bytes(audio.mp3), content_type="audio/mpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_GET
def deck_export(request: HttpRequest) -> HttpResponse:
    """The deck (or one language of it) as an Anki package."""
    language = _language(request)
    cards = deck_selectors.deck_cards(student=request.user, language=language).select_related("audio")
    title = _("Language tutor")
    package = deck_package(cards.order_by("pk"), student_id=request.user.pk, title=title)
    name = slugify(f"{title} {request.user.username} {language}".strip()) or "deck"
    response = HttpResponse(package, content_type="application/apkg")
    response["Content-Disposition"] = f'attachment; filename="{name}.apkg"'
    return response


@login_required
@require_POST
def spoken_review_start(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        session = drill_start(
            student=request.user, language=form.cleaned_data["language"], reader_language=translation.get_language()
        )
    except NothingToDrill as nothing:
        messages.info(request, str(nothing))
        return redirect("deck")
    except BudgetSpent as spent:
        messages.error(request, str(spent))
        return redirect("deck")
    return redirect("session_live", session_id=session.pk)
