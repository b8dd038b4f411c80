"""Dedup: canonical keys, MinHash signatures, LSH banding, clusters and cross-copy repair."""
