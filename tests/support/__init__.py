"""The drivers every suite shares: the served app, Slack's requests, Teams' activities."""
