from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "greenbridge.portfolio"
    verbose_name = _("Service portfolio (support services, requests, engagements)")

    def ready(self) -> None:
        # The portfolio sits above assessments: it answers the assessments' signals rather than being imported.
        from greenbridge.assessments.signals import plan_services, results_page
        from greenbridge.orgs.signals import timeline

        from .selectors import engagements_timeline, plan_services_of, recommended_section

        results_page.connect(recommended_section, dispatch_uid="portfolio-recommended-services")
        plan_services.connect(plan_services_of, dispatch_uid="portfolio-plan-services")
        timeline.connect(engagements_timeline, dispatch_uid="portfolio-timeline")
