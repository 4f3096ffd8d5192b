"""The differences between versions: clause by clause, word by word, as redlines, reports and PR comments."""
