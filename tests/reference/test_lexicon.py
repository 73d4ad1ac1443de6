"""The CPV lexicon of a web process."""

import pytest


@pytest.mark.django_db
def test_a_web_process_builds_the_lexicon_as_it_starts():
    """wsgi.py builds the lexicon in a thread, so that the first search across languages does not wait for it."""
    from greenbridge.reference import lexicon

    lexicon.reset()
    lexicon.warm_in_background().join(timeout=120)
    assert lexicon._build_lexicon.cache_info().currsize == 1
    assert "09331200" in lexicon.cpv_lexicon().codes_of("solar")
