"""The history: git as the store of published versions, the versions read from it, what a build publishes."""
