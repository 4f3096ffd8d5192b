"""The content: site.yml's schema, reading and parsing policy files, resolving what each brand publishes."""
