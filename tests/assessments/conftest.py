"""A small questionnaire to test the format and the scoring on."""

import copy

import pytest

SMALL = {
    "format": "greenbridge-questionnaire/1",
    "id": "small-test",
    "title": {"en": "Small", "ro": "Mic"},
    "languages": ["en", "ro"],
    "bands": [
        {"id": "low", "min": 0, "max": 50, "label": {"en": "Low", "ro": "Scăzut"}},
        {"id": "high", "min": 51, "max": 100, "label": {"en": "High", "ro": "Ridicat"}},
    ],
    "dimensions": [
        {
            "id": "energy",
            "name": {"en": "Energy", "ro": "Energie"},
            "questions": [
                {
                    "id": "E1",
                    "type": "multiple_choice",
                    "text": {"en": "What do you do?", "ro": "Ce faceți?"},
                    "options": [
                        {"id": "E1.1", "label": {"en": "Meter", "ro": "Contorizăm"}, "points": 1},
                        {"id": "E1.2", "label": {"en": "Plan", "ro": "Plan"}, "points": 2},
                        {"id": "E1.3", "label": {"en": "None", "ro": "Nimic"}, "points": 0, "exclusive": True},
                    ],
                },
                {
                    "id": "E2",
                    "type": "scale",
                    "text": {"en": "How far?", "ro": "Cât de departe?"},
                    "scale": {"min": 0, "max": 5, "labels": {0: {"en": "Not", "ro": "Deloc"}}},
                    "rows": [{"id": "E2.1", "label": {"en": "Solar", "ro": "Solar"}}],
                },
                {"id": "E3", "type": "text", "text": {"en": "Notes", "ro": "Note"}},
            ],
        }
    ],
}


@pytest.fixture
def small() -> dict:
    return copy.deepcopy(SMALL)
