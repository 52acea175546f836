"""Jobs: generators over the core and the port. They hold the logic of talking to GitHub and
do no I/O themselves: whatever executes their operations (an adapter) does."""
