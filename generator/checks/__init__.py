"""What `policygen check` and the build report: text, content, legal and front matter rules, the markers."""
