"""The pure core: ``str -> str`` transforms and detectors, each with an ``*_explained`` twin returning edits.

Nothing in this package does I/O, keeps global state or imports from the rest of zhclean (a test enforces it).
Expensive tables live in a :class:`~zhclean.text.lexicon.Lexicon` that the caller builds once and passes in.
"""
