"""The ground floor: what every app needs and no app owns.

Audit records, text and date helpers, access mixins, download responses, form plumbing.
``core`` imports no app of the project (see docs/architecture.md).
"""
