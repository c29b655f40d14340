from django.dispatch import Signal

# Sent after district boundaries or the territory tree changed, so that what depends on them can follow:
# hubs placed by position, the directory counts (the hubs app listens; districts knows nothing of it).
territories_changed = Signal()
