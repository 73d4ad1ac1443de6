from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    """When a person last opened their dashboard, and the visit before that one: what is new is what came since."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dashboard_visit")
    last = models.DateTimeField(_("last visit"))
    previous = models.DateTimeField(_("visit before"), null=True, blank=True)

    class Meta:
        verbose_name = _("dashboard visit")
        verbose_name_plural = _("dashboard visits")

    def __str__(self) -> str:
        return f"{self.user} {self.last:%Y-%m-%d %H:%M}"
