"""Every name Slack routes by. manifest.yaml must list the commands, shortcuts and events, and a
test checks both directions, so a new handler cannot be forgotten in the manifest."""

from __future__ import annotations

PLATFORM = "slack"

COMMAND_PROPOSE = "/propose"
COMMAND_CALENDAR = "/calendar"

SHORTCUT_PROPOSE_FROM_MESSAGE = "propose_from_message"

ACTION_APPROVE = "approve"
ACTION_REQUEST_CHANGES = "request_changes"
ACTION_REJECT = "reject"
ACTION_APPROVE_OVERRIDE = "approve_override"  # the reason form an Approve click opens when blocked
ACTION_EDIT = "edit"
ACTION_RETRY_DELIVERY = "retry_delivery"
ACTION_CANCEL_DELIVERY = "cancel_delivery"
ACTION_MARK_PUBLISHED = "mark_published"
ACTION_PUBLISH_NOW = "publish_now"
ACTION_RESCHEDULE = "reschedule_delivery"
ACTION_WITHDRAW = "withdraw"
ACTION_STOP = "stop_post"
ACTION_FULL_POST = "show_full_post"
ACTION_FULL_POST_NEXT = "full_post_next"
ACTION_FULL_POST_PREVIOUS = "full_post_previous"
ACTION_RECORD_CONSENT = "record_consent"
# Buttons repeated per channel in one message carry ":<channel>" after their action id, since
# Slack wants action ids unique; listeners match the id with or without that suffix.
ACTION_SUFFIX = ":"

# What the dispatcher offers a person on a delivery (Notice.actions) -> button id and label.
DELIVERY_ACTIONS: dict[str, tuple[str, str]] = {
    "retry": (ACTION_RETRY_DELIVERY, "Retry"),
    "publish_now": (ACTION_PUBLISH_NOW, "Publish now"),
    "reschedule": (ACTION_RESCHEDULE, "Reschedule"),
    "mark_published": (ACTION_MARK_PUBLISHED, "Mark as published"),
    "cancel": (ACTION_CANCEL_DELIVERY, "Cancel"),
}

VIEW_PROPOSE = "propose_modal"
VIEW_EDIT = "edit_modal"
VIEW_REASON = "reason_modal"
VIEW_RESCHEDULE = "reschedule_modal"
VIEW_FULL_POST = "full_post_modal"  # read only: no submit, no listener
VIEW_CONSENT = "consent_modal"

EVENT_APP_HOME_OPENED = "app_home_opened"
EVENT_MESSAGE = "message"
EVENT_FILE_SHARED = "file_shared"

# Block ids of the proposal modal; field errors (`response_action: errors`) are keyed by them.
FIELD_CHANNELS = "channels"
FIELD_DATE = "date"
FIELD_TIME = "time"
FIELD_TEXT = "text"
FIELD_MEDIA_FILES = "media_files"
FIELD_MEDIA_URLS = "media_urls"
FIELD_MEDIA_ALT = "media_alt"
FIELD_NOTES = "notes"
FIELD_URGENT = "urgent"
FIELD_REASON = "reason"
FIELD_CONSENT_WHO = "consent_who"
FIELD_CONSENT_FORM_REF = "consent_form_ref"


def text_field(part: int) -> str:
    """The block id of the text's part (0-based): "text", then "text_2", "text_3" ..."""
    return FIELD_TEXT if part == 0 else f"{FIELD_TEXT}_{part + 1}"
