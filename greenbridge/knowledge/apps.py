from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "greenbridge.knowledge"
    verbose_name = "Knowledge base (articles, votes, questions answered by an article)"
