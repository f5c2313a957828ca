"""Signing up (optionally into a class) and joining a class; login, logout and passwords are Django's own views."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms.classrooms import JoinClassForm, StudentSignUpForm
from ..selectors.classrooms import classroom_by_code
from ..services.classrooms import classroom_join, student_sign_up


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("home")
    initial = {"join_code": request.GET.get("code", "")}
    form = StudentSignUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = student_sign_up(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
                native_language=form.cleaned_data["native_language"],
                join_code=form.cleaned_data["join_code"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("home")
    return render(request, "registration/sign_up.html", {"form": form})


def join_link(request, code: str):
    """The link a teacher shares: it names the class and offers the one step that fits the visitor."""
    classroom = classroom_by_code(join_code=code)
    enrolled = (
        classroom is not None
        and request.user.is_authenticated
        and classroom.enrollments.filter(student=request.user).exists()
    )
    return render(
        request,
        "accounts/join.html",
        {"classroom": classroom, "code": code, "enrolled": enrolled},
        status=200 if classroom else 404,
    )


@login_required
@require_POST
def join_class(request):
    form = JoinClassForm(request.POST)
    if form.is_valid():
        try:
            enrollment = classroom_join(student=request.user, join_code=form.cleaned_data["join_code"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You joined %(name)s.") % {"name": enrollment.classroom.name})
    else:
        messages.error(request, _("Enter the code your teacher gave you."))
    return redirect("home")
