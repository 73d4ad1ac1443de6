"""Why a meeting was left out of the schedule, kept as data to be said in each reader's language; the English
sentences already stored are kept as they are, until the next schedule says them again."""

from django.db import migrations, models


def keep_said(apps, schema_editor):
    Meeting = apps.get_model("events", "Meeting")
    meetings = list(Meeting.objects.exclude(unscheduled_reason=""))
    for meeting in meetings:
        meeting.unscheduled_why = [{"kind": "text", "text": meeting.unscheduled_reason}]
    Meeting.objects.bulk_update(meetings, ["unscheduled_why"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("events", "0006_message_bounded")]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="unscheduled_why",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(keep_said, migrations.RunPython.noop),
        migrations.RemoveField(model_name="meeting", name="unscheduled_reason"),
    ]
