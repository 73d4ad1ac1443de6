from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "greenbridge.assessments"
    verbose_name = _("Self-assessments (twin transition, internationalisation)")

    def ready(self) -> None:
        # Assessments sit above orgs: they join an organisation's timeline through orgs' signal.
        from greenbridge.orgs.signals import timeline

        from .selectors import assessments_timeline

        timeline.connect(assessments_timeline, dispatch_uid="assessments-timeline")
