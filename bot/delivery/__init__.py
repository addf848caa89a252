"""Getting replies out on time: the planner (due digests, alerts, notices into the outbox),
the sender (outbox rows to posters, exactly once), the scheduler's jobs, leadership between
replicas, and posting a digest on demand.

May import: ``core``, ``config``, ``store``, ``ingest``, ``analysis``, ``services``, ``present``,
``chat``.
"""
