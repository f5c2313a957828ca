from django.apps import AppConfig

from practice.signals import session_ended


class LtiConfig(AppConfig):
    name = "lti"
    verbose_name = "Learning platforms (LTI)"

    def ready(self) -> None:
        from .services.grades import grades_queue_for_ended_session  # models load only once apps are ready

        session_ended.connect(grades_queue_for_ended_session, dispatch_uid="lti-grades")
