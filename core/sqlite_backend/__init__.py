"""The embedded default's database engine: Django's SQLite backend, for concurrent users (base.py)."""
