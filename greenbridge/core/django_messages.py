"""Django's own words that its Ukrainian catalogue gets wrong ("Зробить коректний вибір": a typo for "Зробіть", and
a command most forms of GreenBridge do not use), listed so that `make messages` keeps them in GreenBridge's
catalogues, which come before Django's. Never used for its values: only `makemessages` reads it (as
allauth_messages.py does for django-allauth)."""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
)
