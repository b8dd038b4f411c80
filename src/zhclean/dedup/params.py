"""The calibrated defaults of dedup, in a module without numpy so that the step table imports without the extra."""

NGRAM = 5
"""Characters per shingle of the folded key.  On the mirror benchmark (2026-11, 100 articles on 25 topics) every n
from 3 to 8 separates copies from distinct same-topic articles: the gap between the least similar copy pair and the
most similar distinct pair is 0.44 at n=3, 0.41 at 5 and 0.37 at 8 (longer n-grams are broken by more residual
damage).  5 rather than 3 because short n-grams of common words are shared by unrelated documents, which raises the
background similarity of a large corpus and with it the number of candidate pairs to verify."""
NUM_PERM = 128
"""Signature length; the LSH parameters are derived from it and the threshold (:mod:`zhclean.dedup.lsh`)."""
THRESHOLD = 0.5
"""Target Jaccard similarity of character 5-gram sets of the keys.  On the mirror benchmark (2026-11, 500 articles,
2,360 records) restored copies of one article score 0.67–1.0 against each other (1st percentile 0.71; what differs
is the page template, captions, SEO tail and residual damage), distinct articles on the same topic at most 0.30.
0.5 sits in the middle of that gap."""
FN_WEIGHT = 0.7
"""Weight of the false-negative area (false positives get ``1 - FN_WEIGHT``)."""
