"""`policygen import`: bring an existing policy (Markdown or a saved HTML page), with its history, into content/."""
