"""The project's configuration for a document, found from its folder and cached per folder."""

from __future__ import annotations

import logging
from pathlib import Path

from asl_lint.config import Config, ConfigError, config_for

log = logging.getLogger(__name__)
CONFIG_NAMES = ("pyproject.toml", ".asl-lint.toml")


class ConfigCache:
    def __init__(self) -> None:
        self._by_folder: dict[Path, Config] = {}

    def for_path(self, path: str) -> Config:
        folder = Path(path).parent
        cached = self._by_folder.get(folder)
        if cached is None:
            try:
                # The folder, not the file: an unsaved new document has no file yet.
                cached = config_for([str(folder)], None)
            except ConfigError as exc:
                # A broken config must not silence the editor: lint with the defaults.
                log.warning("asl-lint config for %s: %s", path, exc)
                cached = Config()
            self._by_folder[folder] = cached
        return cached

    def clear(self) -> None:
        self._by_folder.clear()


def is_config_file(path: str) -> bool:
    return Path(path).name in CONFIG_NAMES
