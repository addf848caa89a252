"""Chat adapters: they translate between a platform and the commands core, and decide nothing."""
