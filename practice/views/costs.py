"""The costs page (/teach/costs/): what the tutor services cost this month and the months before, per class and
per student, with the budgets and how much of each is spent. A teacher sees their own classes and students;
an operator every class and student, and the whole site."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import teacher_required

from ..budgets import classroom_budgets, over_budget_action, site_budget
from ..cost_charts import costs_chart
from ..selectors.costs import costs_overview


@teacher_required
def cost_overview(request: HttpRequest) -> HttpResponse:
    overview = costs_overview(user=request.user)
    site = site_budget()
    rows = (*overview.classrooms, *overview.students, *((overview.site,) if overview.site else ()))
    return render(
        request,
        "teach/costs/overview.html",
        {
            "overview": overview,
            "chart": costs_chart(overview),
            "budgets": classroom_budgets(classrooms=[row.classroom for row in overview.classrooms]),
            # The site's spend is the operator's to see; a teacher is only told when it holds their students.
            "site_budget": site if request.user.is_operator else None,
            "site_spent": site is not None and site.reached,
            "action": over_budget_action(),
            "unpriced": any(spend.unpriced for row in rows for spend in row.months),
        },
    )
