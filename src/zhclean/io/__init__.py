"""Streaming readers and writers: folders of .txt files, JSONL (plain, .gz, .zst) and Parquet; shard naming.

Nothing here holds a corpus in memory: input is read line by line (or row group by row group) and cut into shards
of a fixed number of records; output is written shard by shard, atomically.
"""
