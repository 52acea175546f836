"""The webhook GitHub App: deliveries verified, routed and queued; reviews run by workers."""
