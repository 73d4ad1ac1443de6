"""The help desk's part in other apps' pages: a link to ask the company's clusters about what the page shows
(core.signals.side_sections). Connected when the app is ready, so it imports no views: every process (a
command, a worker) loads it."""

from django.template.loader import render_to_string

from greenbridge.assessments.models import Assessment
from greenbridge.events.models import Event
from greenbridge.partnering.models import Opportunity
from greenbridge.tenders.models import Notice

from . import selectors
from .models import Queue

# What a question may be about: the parameter of the "new question" page, the model, and who may see one.
ABOUT = {
    "notice": (Notice, None),  # notices are public
    "event": (Event, "events.view_event"),
    "opportunity": (Opportunity, "partnering.view_opportunity"),
    "assessment": (Assessment, "assessments.view_assessment"),
}


# The queue a question about each kind of page goes to first, when the company has one of that topic.
ABOUT_TOPIC = {"notice": Queue.Topic.PROCUREMENT}


def ask_about(sender, *, obj, request, **kwargs) -> str:
    """core.signals.side_sections: on a notice's, event's, opportunity's or assessment's page, for a company's person
    with a help desk to ask, a link that opens a question about it (linked to it, the subject filled in)."""
    kind = next((k for k, (model, _perm) in ABOUT.items() if isinstance(obj, model)), None)
    if kind is None or not selectors.may_ask(request.user):
        return ""
    return render_to_string("helpdesk/_ask_about.html", {"kind": kind, "obj": obj}, request=request)
