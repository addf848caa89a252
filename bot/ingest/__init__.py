"""Getting articles in: seeds, fetching (guarded), feeds and keyword sources, cleaning, dates,
URLs, OPML, and the poller that stores what is new (analysing it is the caller's next step).

May import: ``core``, ``config``, ``store``.
"""
