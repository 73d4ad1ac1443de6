from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "greenbridge.assessments"
    verbose_name = "Self-assessments (twin transition, internationalisation)"
