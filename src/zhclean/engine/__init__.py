"""Engines run a plan over sharded input: :mod:`zhclean.engine.local` (default) and Ray behind the ``ray`` extra."""
