"""Connecting a channel's account (`clearpost channels connect`): OAuth 2.0, OAuth 1.0a,
app passwords; the callback is served by `clearpost serve`."""
