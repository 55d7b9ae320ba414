"""mitra's version, in the lowest layer so that any module may name it.

``mitra_cli.__version__`` is this one; the wheel's version is read from
this file (pyproject.toml, ``[tool.hatch.version]``).
"""

__version__ = "0.1.0"
