"""Steps: thin adapters from the pure functions in :mod:`zhclean.text` to column batches.

:mod:`zhclean.steps.base` defines the protocol, :mod:`zhclean.steps.library` the built-in steps and
:mod:`zhclean.steps.table` the literal name → step table that configuration files use.
"""
