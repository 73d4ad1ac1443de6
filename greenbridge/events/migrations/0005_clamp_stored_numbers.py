"""Numbers saved before the bounds of 0003-0004 existed (SQLite kept any integer a form gave it: a meeting length of
10**15 minutes overflowed every page that cuts the event into slots; a session of a billion tables filled the
memory of the schedule page) are brought within them. The bounds are written out: a migration does not
change when the model's constants do."""

from django.db import migrations

BOUNDS = {
    "Event": {
        "capacity": 100_000,
        "meeting_minutes": 240,
        "request_expiry_hours": 2160,
        "max_meetings": 1000,
        "max_meetings_per_session": 1000,
    },
    "Session": {"tables": 1000},
    "Registration": {"max_meetings": 1000},
}


def clamp(apps, schema_editor):
    for model_name, fields in BOUNDS.items():
        model = apps.get_model("events", model_name)
        for field, largest in fields.items():
            model.objects.filter(**{f"{field}__gt": largest}).update(**{field: largest})


class Migration(migrations.Migration):
    dependencies = [("events", "0004_typed_bounds")]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
