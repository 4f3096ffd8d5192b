"""The site model: what the core hands an engine (typed pages, files, copies), engine-neutral."""
