"""The ground floor of every document the app prints or reads: the party-document page
(Hướng dẫn 36-HD/VPTW), PDF rendering with the embedded font, the safe Excel writer, and the
one guarded opener for uploaded spreadsheets. ``documents`` imports no app of the project.
"""
