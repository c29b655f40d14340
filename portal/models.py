"""Timed work's bookkeeping: when each job last ran, and who is running it (portal/scheduled.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    name = models.CharField(_("tâche"), max_length=40, primary_key=True)
    last_done = models.DateTimeField(_("dernière exécution"), null=True, blank=True)
    running_until = models.DateTimeField(_("en cours jusqu'à"), null=True, blank=True)

    class Meta:
        verbose_name = _("tâche programmée")
        verbose_name_plural = _("tâches programmées")

    def __str__(self):
        return self.name
