"""Reading a JSON file given on the command line, with plain-word errors (commands turn them into
CommandError)."""

import json
from pathlib import Path
from typing import Any


class JsonFileError(ValueError):
    pass


def read_json(path: str | Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise JsonFileError(f"cannot read {path}: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise JsonFileError(f"{path} is not a JSON file: {exc}") from exc
