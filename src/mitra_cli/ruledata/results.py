"""Earlier results read back: `mitra assess --json` outputs given to --previous and --history.

Such a file is hostile input like any other: read with the usual checks
(size, binary data, encoding, control characters), parsed as strict JSON
(no NaN or Infinity), then checked field by field by ``core.trend.snapshot``.
"""

from __future__ import annotations

import json
from pathlib import Path

from mitra_cli.core.errors import InputFileError
from mitra_cli.core.model import Assessment
from mitra_cli.core.textsafety import escape, name_from_file
from mitra_cli.core.trend import Snapshot, snapshot
from mitra_cli.ruledata.files import display_path, read_text


def _no_constant(name: str) -> object:
    raise ValueError(name)  # NaN, Infinity: Python's json reads them, JSON does not have them


def read_result(name: str, assessment: Assessment) -> Snapshot:
    """The earlier assessment in file `name`, or an InputFileError naming the file."""
    path = Path(name).expanduser()
    source = escape(display_path(path))  # shown in results and messages: a file name may hold terminal escapes
    text = read_text(path)
    try:
        raw = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise InputFileError("trend.not_json", file=source, line=error.lineno, detail=error.msg) from None
    except ValueError as error:
        raise InputFileError("trend.not_json", file=source, line=1, detail=str(error)) from None
    except RecursionError:
        raise InputFileError("trend.too_deep", file=source) from None
    # Without a label, the check is named by its file name, cleaned (a file name is not the user's typing).
    return snapshot(raw, source=source, fallback_label=name_from_file(path.stem), assessment=assessment)
