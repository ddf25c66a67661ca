"""The Slack front end: a slack-bolt App mounted on `clearpost serve` (HTTP or Socket Mode).

app.py        builds the bolt App and its Web API client; the aiohttp <-> bolt translation
listeners.py  one small function per command, action, view and event
modals.py     reading what a person typed into a modal
blocks.py     Block Kit builders: pure functions, domain objects in, dicts out
notifier.py   SlackNotifier, the ChatNotifier port over slack-sdk
approvers.py  approver membership through a Slack user group
ids.py        the action ids, callback ids and commands that manifest.yaml must match
"""
