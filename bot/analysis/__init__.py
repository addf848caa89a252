"""The Korean analysis: the analyser (the only kiwipiepy import), the matcher, entities,
clusters, stories, briefs, watch indexes, and the pipeline that analyses stored articles.

May import: ``core``, ``config``, ``store``, ``ingest``.
"""
