"""Build hook: compile the shipped rule data into the wheel as plain JSON.

The wheel then carries ``mitra_cli/compiled.json``: the validated rules and
interface sentences, keyed by a hash of the YAML they came from and of
mitra's code.  An installed mitra reads it instead of parsing YAML, so it
needs no user-writable cache for its own data (see src/mitra_cli/ruledata/cache.py).
An editable install reads the repository's data/ and skips this.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledRulesHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))  # this checkout's code, not an installed mitra
        try:
            from mitra_cli.core.errors import MitraError
            from mitra_cli.ruledata.store import compiled_document
            from mitra_cli.views.i18n import describe

            try:
                document = compiled_document(root / "data")
            except MitraError as error:  # broken shipped data must not build a wheel
                raise SystemExit(f"mitra: the shipped rule data is invalid:\n{describe(error, 'en')}") from None
        finally:
            sys.path.remove(str(root / "src"))
        out = Path(tempfile.mkdtemp(prefix="mitra-build-")) / "compiled.json"
        out.write_bytes(document)
        build_data["force_include"][str(out)] = "mitra_cli/compiled.json"
