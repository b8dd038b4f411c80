"""HTML and WARC input: bytes → decoded HTML → main text, behind the ``html`` extra (resiliparse, fastwarc)."""
