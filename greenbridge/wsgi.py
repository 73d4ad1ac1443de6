import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")
application = get_wsgi_application()

# The CPV lexicon that searches across languages read takes a few seconds to build: a web process builds it
# as it starts, beside serving, rather than during its first search.
from greenbridge.reference.lexicon import warm_in_background  # noqa: E402

warm_in_background()
