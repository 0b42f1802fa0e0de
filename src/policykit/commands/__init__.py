"""One module per CLI verb; each exposes one function named after the verb."""
