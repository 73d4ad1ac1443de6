from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "greenbridge.assessments"
    verbose_name = "Self-assessments (twin transition, internationalisation)"

    def ready(self) -> None:
        # Assessments sit above orgs: they join an organisation's timeline through orgs' signal.
        from greenbridge.orgs.signals import timeline

        from .selectors import assessments_timeline

        timeline.connect(assessments_timeline, dispatch_uid="assessments-timeline")
