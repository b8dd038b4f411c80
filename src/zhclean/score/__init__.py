"""Quality signals (pure functions text → number, each with a documented direction and range) and page verdicts."""
