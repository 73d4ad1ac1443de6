from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person. Platform operators are `is_staff`; everything else comes from memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)

    def __str__(self) -> str:
        return self.full_name or self.email or self.username
