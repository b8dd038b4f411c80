"""The damage simulator (seedable, with exact ground truth) and the demo corpus built from text zhclean ships.

- :mod:`zhclean.simulate.damage`: S→T converters, GBK byte-level pinyin injection, glibc-style GB18030 decoding,
  NFKC, page template and SEO tail; :func:`damage_document` returns a :class:`SimulatedDoc`.
- :mod:`zhclean.simulate.texts`: the original texts zhclean ships (:func:`load_texts`).
- :mod:`zhclean.simulate.corpus`: :func:`synthetic_documents` and :func:`build_demo_corpus`.
"""

from zhclean.simulate.corpus import build_demo_corpus, synthetic_documents
from zhclean.simulate.damage import DamageConfig, DamageKit, FalseMatch, SimulatedDoc, damage_document
from zhclean.simulate.texts import SourceText, load_texts

__all__ = [
    "DamageConfig",
    "DamageKit",
    "FalseMatch",
    "SimulatedDoc",
    "SourceText",
    "build_demo_corpus",
    "damage_document",
    "load_texts",
    "synthetic_documents",
]
