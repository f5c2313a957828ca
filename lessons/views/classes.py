"""Classes: create and rename, the join code and link, the roster, and the lessons assigned with due dates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import teacher_required
from accounts.models import User

from ..forms.classrooms import AssignmentForm, ClassroomBudgetForm, ClassroomForm
from ..models import Classroom
from ..selectors.classrooms import classroom_assignments, classroom_roster, classrooms_managed_by
from ..selectors.lessons import lessons_assignable_by
from ..services import classrooms as class_services


def _classroom(request: HttpRequest, classroom_id: int) -> Classroom:
    return get_object_or_404(classrooms_managed_by(user=request.user), pk=classroom_id)


@teacher_required
def classroom_list(request: HttpRequest) -> HttpResponse:
    form = ClassroomForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        classroom = class_services.classroom_create(teacher=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Class created. Share its join link or code with your students."))
        return redirect("teach:classroom_detail", classroom_id=classroom.pk)
    classrooms = classrooms_managed_by(user=request.user)
    return render(request, "teach/classes/list.html", {"classrooms": classrooms, "form": form})


@teacher_required
def classroom_detail(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    join_path = reverse("join_link", args=[classroom.join_code])
    return render(
        request,
        "teach/classes/detail.html",
        {
            "classroom": classroom,
            "roster": classroom_roster(classroom=classroom),
            "assignments": classroom_assignments(classroom=classroom),
            "assignment_form": AssignmentForm(lessons=lessons_assignable_by(user=request.user)),
            "rename_form": ClassroomForm(initial={"name": classroom.name}),
            "budget_form": ClassroomBudgetForm(initial={"monthly_budget_usd": classroom.monthly_budget_usd}),
            "join_link": request.build_absolute_uri(join_path),
            "sign_up_link": request.build_absolute_uri(f"{reverse('sign_up')}?code={classroom.join_code}"),
        },
    )


@teacher_required
@require_POST
def classroom_rename(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    form = ClassroomForm(request.POST)
    if form.is_valid():
        class_services.classroom_rename(classroom=classroom, name=form.cleaned_data["name"])
        messages.success(request, _("Renamed."))
    else:
        messages.error(request, _("Give the class a name."))
    return redirect("teach:classroom_detail", classroom_id=classroom.pk)


@teacher_required
@require_POST
def classroom_budget(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    form = ClassroomBudgetForm(request.POST)
    if form.is_valid():
        class_services.classroom_budget_set(
            classroom=classroom, monthly_budget_usd=form.cleaned_data["monthly_budget_usd"]
        )
        messages.success(request, _("Budget saved."))
    else:
        messages.error(request, " ".join(form.errors["monthly_budget_usd"]))
    return redirect("teach:classroom_detail", classroom_id=classroom.pk)


@teacher_required
@require_POST
def classroom_new_code(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = class_services.classroom_regenerate_code(classroom=_classroom(request, classroom_id))
    messages.success(
        request,
        _("The new code is %(code)s. The old code and link no longer work; students already in the class stay.")
        % {"code": classroom.join_code},
    )
    return redirect("teach:classroom_detail", classroom_id=classroom.pk)


@teacher_required
def classroom_delete(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    if request.method == "POST":
        class_services.classroom_delete(classroom=classroom)
        messages.success(request, _("Deleted the class %(name)s.") % {"name": classroom.name})
        return redirect("teach:classroom_list")
    return render(request, "teach/classes/delete.html", {"classroom": classroom})


@teacher_required
@require_POST
def student_remove(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    student = get_object_or_404(User, pk=student_id, enrollments__classroom=classroom)
    class_services.enrollment_remove(classroom=classroom, student=student)
    messages.success(
        request,
        _("%(name)s is no longer in this class; their account and sessions are kept.") % {"name": student.display_name},
    )
    return redirect("teach:classroom_detail", classroom_id=classroom.pk)


@teacher_required
@require_POST
def assignment_save(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    form = AssignmentForm(request.POST, lessons=lessons_assignable_by(user=request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a published lesson, and a valid due date."))
        return redirect("teach:classroom_detail", classroom_id=classroom.pk)
    try:
        class_services.assignment_create(
            classroom=classroom, lesson=form.cleaned_data["lesson"], due_at=form.cleaned_data["due_at"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Assigned “%(title)s”.") % {"title": form.cleaned_data["lesson"].title})
    return redirect("teach:classroom_detail", classroom_id=classroom.pk)


@teacher_required
@require_POST
def assignment_remove(request: HttpRequest, classroom_id: int, assignment_id: int) -> HttpResponse:
    classroom = _classroom(request, classroom_id)
    assignment = get_object_or_404(classroom.assignments, pk=assignment_id)
    class_services.assignment_remove(assignment=assignment)
    messages.success(request, _("Unassigned “%(title)s”.") % {"title": assignment.lesson.title})
    return redirect("teach:classroom_detail", classroom_id=classroom.pk)
