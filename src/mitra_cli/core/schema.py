"""The version of the JSON documents mitra writes (`schema_version` in each).

One number for them all: the recommendation (``recommend --json`` and every
``--batch`` line), the assessment, and the files read back from them.  It
changes only when a key is renamed or removed, or a value changes meaning.
"""

SCHEMA_VERSION = 1
