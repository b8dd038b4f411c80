"""The ``zhclean`` command (``python -m zhclean`` is the same); see :mod:`zhclean.cli.main`."""
