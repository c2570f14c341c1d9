"""The home page's to-do list: what waits for each user, read across every domain app (a top layer, like dashboard)."""
