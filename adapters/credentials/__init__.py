"""Channel credentials: the encryption key (keys.py), each network's token endpoint
(endpoints.py), the refreshing token provider (provider.py) and the expiry sweep (expiry.py).
The table and its store are in storage/credentials.py."""
