from io import StringIO

import pytest
from django.core.management import call_command

from greenbridge.tenders.models import Notice

pytestmark = pytest.mark.django_db


def test_demo_setup_is_idempotent_and_loads_only_real_notices(data_dir):
    out = StringIO()
    call_command("demo_setup", "--data", str(data_dir), "--password", "pw-123456", stdout=out)
    first = Notice.objects.count()
    call_command("demo_setup", "--data", str(data_dir), "--password", "pw-123456", stdout=StringIO())
    text = out.getvalue()
    assert Notice.objects.count() == first == 2 + 2 + 10  # Prozorro, Paraguay record + contract, 10 eForms
    assert not Notice.objects.filter(source_id__startswith="ocds-213czf").exists()  # the fictional record
    assert "rejected " in text
    assert "INVALID_cn_24_empty.xml" in text  # a rejection comes with its position and reason
    assert "ana@demo.greenbridge.example" in text
