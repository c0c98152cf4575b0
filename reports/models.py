"""Reports hold no tables: they read through the other apps' selectors."""
