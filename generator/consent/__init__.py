"""Consent bound to exact versions: the snippets, their wording's rules, the cookie banner."""
