"""The build: its steps (check, read, plan, write), its caches, the PDFs, the atomic publish."""
