"""How often the offline tutor labels a learner's mistake as a teacher would, per category, on the labelled
corpus (tests/tutor/providers/offline/grading_corpus.py), whether any grammar mistake is accepted, and how often
it names the rule the mistake breaks (rules.py), per kind."""

from collections import Counter

from tests.tutor.providers.offline.grading_corpus import CASES
from tutor.providers.offline.matching import Verdict, assess

from . import Row

NAME = "offline grading"
RULES = "offline rules"


def run() -> list[Row]:
    right, total, praised = Counter(), Counter(), 0
    named, kinds = Counter(), Counter()
    for case in CASES:
        result = assess(case.answer, case.expected, language=case.language)
        label = result.category if result.verdict is Verdict.CLOSE else result.verdict.value
        total[case.category] += 1
        right[case.category] += label == case.category
        praised += case.category == "grammar" and result.accepted
        kinds[case.rule] += 1
        named[case.rule] += "+".join(rule.kind for rule in result.rules) == case.rule
    rows = [
        Row(NAME, f"labelled right: {category}", 100 * right[category] / total[category], "%",
            f"{right[category]} of {total[category]}")
        for category in sorted(total)
    ]  # fmt: skip
    languages = len({case.language for case in CASES})
    rows.append(Row(NAME, "labelled right: all", 100 * sum(right.values()) / len(CASES), "%",
                    f"{sum(right.values())} of {len(CASES)}, {languages} languages"))  # fmt: skip
    rows.append(Row(NAME, "grammar mistakes accepted", praised, "count", "must be 0"))
    rows += [
        Row(RULES, f"rule named right: {kind}", 100 * named[kind] / kinds[kind], "%", f"{named[kind]} of {kinds[kind]}")
        for kind in sorted(kinds)
    ]
    rows.append(Row(RULES, "rule named right: all", 100 * sum(named.values()) / len(CASES), "%",
                    f"{sum(named.values())} of {len(CASES)}"))  # fmt: skip
    return rows
