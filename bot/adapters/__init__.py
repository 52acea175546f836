"""Adapters executing the operations of ``bot.port`` against GitHub."""
