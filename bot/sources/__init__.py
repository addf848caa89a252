"""Where articles come from: seed files and RSS/Atom feeds.  Only this package (and bot.chat)
touches the network."""
