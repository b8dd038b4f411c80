"""Per-shard statistics and their merge into ``report.json``."""
