"""The class page's budget notice (lessons' template; the spend is practice's to read, and lessons may not
import practice): {% classroom_budget classroom %}. The page's view has already checked the class is the
teacher's."""

from django import template

from lessons.models import Classroom

from ..budgets import classroom_budgets, over_budget_action

register = template.Library()


@register.inclusion_tag("teach/costs/_budget.html")
def classroom_budget(classroom: Classroom) -> dict:
    budgets = classroom_budgets(classrooms=[classroom])
    return {"budget": budgets[0] if budgets else None, "action": over_budget_action()}
