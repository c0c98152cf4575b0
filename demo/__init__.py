"""The demo: the district of Plan 145/KH-HU (seed 001) with its accounts, plans, 2024
classes and a generated year of candidates, loaded by ``manage.py load_demo`` through the
services. Imported by nothing but ``config``'s demo login page."""
