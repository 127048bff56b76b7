"""The measuring half: builds in fresh processes, pages in Chromium, synthetic cases; returns plain figures."""
