"""Local storage of the desktop client: no Qt, callable from worker threads.

- :mod:`~dispatch_desktop.storage.paths`: where data, logs and settings live.
- :mod:`~dispatch_desktop.storage.secrets`: passwords and API keys in the system keyring.
- :mod:`~dispatch_desktop.storage.journal`: the local journal of every launch attempt.
"""
