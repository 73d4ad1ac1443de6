import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402

from greenbridge.core import heap  # noqa: E402

# Every view imported as the process starts rather than on its first request, then the start-up heap frozen
# (core.heap: a full garbage collection would otherwise walk it during requests).
get_resolver().url_patterns  # noqa: B018
heap.freeze()

# The CPV lexicon that searches across languages read takes a few seconds to build: a web process builds it
# as it starts, beside serving, rather than during its first search; frozen with the rest once built.
from greenbridge.reference.lexicon import warm_in_background  # noqa: E402

warm_in_background(then=heap.freeze)
