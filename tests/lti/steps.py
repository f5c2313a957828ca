"""A dialogue whose steps each name one of lesson_spec's objectives, so answering a step meets its objective."""

from lessons.spec import StepSpec


def steps_with_objectives() -> tuple[StepSpec, ...]:
    return (
        StepSpec(
            "Bonjour ! Qu'est-ce que vous voulez boire ?",
            ("Je voudrais un café, s'il vous plaît",),
            "Say: je voudrais un café.",
            objective="Order a drink",
        ),
        StepSpec(
            "Voilà. Autre chose ?", ("L'addition, s'il vous plaît",), "Ask for the bill.", objective="Ask for the bill"
        ),
    )
