"""Signals through which an app adds to another's pages without that app importing it (pretalx's plugin
signals): the app below sends, the apps above answer."""

from django.dispatch import Signal

# Sent while the page of a notice, an event, an opportunity or an assessment is built, with `obj` and `request`;
# an app above answers with a section of HTML for the page's side, or "" (the help desk: "ask about this").
side_sections = Signal()  # sender: the object's model


def page_context(signal: Signal, sender, **kwargs) -> dict:
    """The receivers' contributions to a page's context (dicts), merged in the order they connected."""
    context: dict = {}
    for _, contribution in signal.send(sender=sender, **kwargs):
        context.update(contribution or {})
    return context


def page_sections(signal: Signal, sender, **kwargs) -> list[str]:
    """The receivers' sections of a page (rendered HTML), in the order they connected."""
    return [html for _, html in signal.send(sender=sender, **kwargs) if html]


def page_entries(signal: Signal, sender, **kwargs) -> list:
    """The receivers' entries of a page (each answers a list), in one list in the order they connected."""
    return [entry for _, entries in signal.send(sender=sender, **kwargs) for entry in entries or ()]


def first_answer(signal: Signal, sender, **kwargs):
    """The first receiver's answer that is not None, or None when no app answers."""
    return next((answer for _, answer in signal.send(sender=sender, **kwargs) if answer is not None), None)
