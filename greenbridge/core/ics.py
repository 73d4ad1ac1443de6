"""iCalendar (.ics) files every app sends or serves: one way to start a calendar."""

from icalendar import Calendar


def new_calendar(product: str, name: str = "") -> Calendar:
    """An empty calendar of one of GreenBridge's products ("Events", "E-watch"…), with a name shown by calendar
    apps when given."""
    cal = Calendar()
    cal.add("prodid", f"-//GreenBridge//{product}//EN")
    cal.add("version", "2.0")
    if name:
        cal.add("x-wr-calname", name)
    return cal
