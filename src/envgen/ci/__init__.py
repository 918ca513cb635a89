"""What the CI targets share: the exported variables, tool caches, job-time credentials."""
