"""What the operator configures: settings from the environment, paths, the topics file, the
outlet table, which topics are shown.

May import: ``core``.
"""
